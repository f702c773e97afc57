package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.Trunk;

class NeighbourSpoofingTest {

  private final NeighbourSpoofing check = new NeighbourSpoofing("CH", 7);

  @Test
  void ruleId_isNeighbourSpoofing() {
    assertThat(check.ruleId()).isEqualTo("neighbour-spoofing");
  }

  @Test
  void inspect_sameFirstSevenDigitsOnUntrustedTrunk_namesBoth() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41446681899@x")
                    .to("<sip:+41446681800@proxy.example>")))
        .contains(
            "caller +41446681899 shares its first 7 digits 4144668 with callee +41446681800 on"
                + " untrusted trunk peer");
  }

  @Test
  void inspect_nationalFormatCalleeInRequestUri_isCompared() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:0446681899@x")
                    .to("<sip:alice@proxy.example>")
                    .requestUri("sip:0446681800@proxy.example;user=phone")))
        .isPresent();
  }

  @Test
  void inspect_sixSharedDigits_findsNothing() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41446671899@x")
                    .to("<sip:+41446681800@proxy.example>")))
        .isEmpty();
  }

  @Test
  void inspect_trustedDomesticTrunk_findsNothing() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681899@x")
                    .to("<sip:+41446681800@proxy.example>")))
        .isEmpty();
  }

  @Test
  void inspect_trustedInternationalTrunk_isSuspicious() {
    Trunk transit = Calls.TRUSTED_TRANSIT;

    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(transit)
                    .from("sip:+41446681899@x")
                    .to("<sip:+41446681800@proxy.example>")))
        .hasValueSatisfying(e -> assertThat(e).endsWith("on international trunk transit"));
  }

  @Test
  void inspect_nonNumberCallerOrCallee_findsNothing() {
    assertThat(
            Checks.inspect(
                check, call().trunk(PEER).from("sip:alice@x").to("<sip:+41446681800@p.example>")))
        .isEmpty();
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41446681899@x")
                    .to("<sip:bob@p.example>")
                    .requestUri("sip:bob@p.example")))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:0041797654399@x.example",
        "<sip:+41797654399;tgrp=TG1;trunk-context=x.example@x.example;user=phone>",
        "<sip:0797654399;phone-context=+41@x.example;user=phone>",
        "<tel:079-765-43-99;phone-context=+41>"
      })
  void inspect_callerIn00OrWithUserPartParameters_isComparedInE164(String from) {
    assertThat(Checks.inspect(check, call().trunk(PEER).from(from)))
        .contains(
            "caller +41797654399 shares its first 7 digits 4179765 with callee +41797654321 on"
                + " untrusted trunk peer");
  }

  @Test
  void inspect_emptyToUserAndRequestUriUser_findsNothing() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41797654399@x.example")
                    .to("<sip:proxy.example>")
                    .requestUri("sip:proxy.example")))
        .isEmpty();
  }

  @Test
  void inspect_emptyToUser_usesTheRequestUriUser() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41797654399@x.example")
                    .to("<sip:proxy.example>")
                    .requestUri("sip:+41797654321@proxy.example")))
        .isPresent();
  }

  @Test
  void inspect_calleeWithForeignPhoneContext_isNotTheCallersNeighbour() {
    // 079 765 43 21;phone-context=+49 is +49797654321, not the Swiss mobile +41797654321.
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(PEER)
                    .from("sip:+41797654399@x.example")
                    .to("<sip:0797654321;phone-context=+49@proxy.example;user=phone>")))
        .isEmpty();
  }
}
