package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.Calls;

class InvalidCliTest {

  private final InvalidCli check = new InvalidCli();

  private Optional<String> inspect(Calls.Builder call) {
    return Checks.inspect(check, call);
  }

  @Test
  void ruleId_isInvalidCli() {
    assertThat(check.ruleId()).isEqualTo("invalid-cli");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:+41446681800@pbx.example",
        "sip:0446681800@pbx.example",
        "sip:0041446681800@pbx.example",
        "tel:+41446681800",
        "sip:+12025550123@pbx.example;user=phone"
      })
  void inspect_validNumber_findsNothing(String from) {
    assertThat(inspect(call().from(from))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:sipp@192.0.2.10",
        "sip:alice@example.com",
        "sip:anonymous@anonymous.invalid",
        "\"Anonymous\" <sip:Anonymous@pbx.example>",
        "sip:pbx.example",
        "sip:+alice@example.com"
      })
  void inspect_sipUserThatIsNoNumber_findsNothing(String from) {
    assertThat(inspect(call().from(from))).isEmpty();
  }

  @Test
  void inspect_tooShortNumber_findsInvalidWithRegion() {
    assertThat(inspect(call().from("sip:+4144@pbx.example")))
        .contains("From sip:+4144@pbx.example: \"+4144\" → +4144 is not a valid number for CH");
  }

  @Test
  void inspect_nationalNumberTooShort_showsRawAndE164() {
    assertThat(inspect(call().from("sip:0123@pbx.example")))
        .contains("From sip:0123@pbx.example: \"0123\" → +410123 is not a valid number for CH");
  }

  @Test
  void inspect_invalidNumberOfSharedCountryCode_findsInvalidWithoutRegion() {
    assertThat(inspect(call().from("sip:+1555@pbx.example")))
        .contains("From sip:+1555@pbx.example: \"+1555\" → +1555 is not a valid number");
  }

  @Test
  void inspect_unknownCountryCode_findsNotANumber() {
    assertThat(inspect(call().from("sip:+99912345@pbx.example")))
        .contains("From sip:+99912345@pbx.example: \"+99912345\" is not a telephone number");
  }

  @Test
  void inspect_telUriThatIsNoNumber_findsNotANumber() {
    assertThat(inspect(call().from("tel:12ab")))
        .contains("From tel:12ab: \"12ab\" is not a telephone number");
  }

  @Test
  void inspect_userPhoneThatIsNoNumber_findsNotANumber() {
    assertThat(inspect(call().from("sip:office@pbx.example;user=phone")))
        .contains("From sip:office@pbx.example;user=phone: \"office\" is not a telephone number");
  }

  @Test
  void inspect_invalidTrustedPai_blamesPai() {
    assertThat(
            inspect(
                call().trunk(CARRIER).from("sip:+41446681800@carrier.example").pai("tel:+4144")))
        .contains("P-Asserted-Identity tel:+4144: \"+4144\" → +4144 is not a valid number for CH");
  }

  @Test
  void inspect_invalidFromBehindValidTrustedPai_findsNothing() {
    assertThat(
            inspect(
                call().trunk(CARRIER).from("sip:+4144@carrier.example").pai("tel:+41446681800")))
        .isEmpty();
  }

  @Test
  void inspect_invalidFromBehindUntrustedPai_blamesFrom() {
    assertThat(inspect(call().trunk(PEER).from("sip:+4144@peer.example").pai("tel:+41446681800")))
        .contains("From sip:+4144@peer.example: \"+4144\" → +4144 is not a valid number for CH");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<sip:+41446681800;tgrp=TG1;trunk-context=pbx.example@pbx.example;user=phone>",
        "<sip:0446681800;phone-context=+41@pbx.example;user=phone>",
        "<tel:044-668-18-00;phone-context=+41>",
        "<tel:+41-44-668-18-00>",
        "<sip:0041446681800;npdi;rn=+41446680000@pbx.example;user=phone>"
      })
  void inspect_validNumberWithUserPartParameters_findsNothing(String from) {
    assertThat(inspect(call().from(from))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<sip:0301234567;phone-context=+49@pbx.example;user=phone>",
        "<tel:030-1234567;phone-context=+49>"
      })
  void inspect_foreignNationalNumberWithItsPhoneContext_isValid(String from) {
    // Read in the home region (CH) 030 1234567 is unassigned; in its context (+49) it is Berlin.
    assertThat(inspect(call().from(from))).isEmpty();
  }

  @Test
  void inspect_tooShortNumberWithTgrp_quotesTheNumberWithoutParameters() {
    assertThat(
            inspect(
                call()
                    .from("<sip:+4144;tgrp=TG1;trunk-context=pbx.example@pbx.example;user=phone>")))
        .hasValueSatisfying(
            evidence ->
                assertThat(evidence).endsWith(": \"+4144\" → +4144 is not a valid number for CH"));
  }

  @Test
  void inspect_00PrefixWithUnknownCountryCode_findsNotANumber() {
    assertThat(inspect(call().from("sip:00999123456@pbx.example;user=phone")))
        .contains(
            "From sip:00999123456@pbx.example;user=phone: \"00999123456\" is not a telephone number");
  }

  @Test
  void inspect_e164WithTooManyDigits_findsInvalid() {
    assertThat(inspect(call().from("sip:+41446681800123@pbx.example")))
        .contains(
            "From sip:+41446681800123@pbx.example: \"+41446681800123\" → +41446681800123 is not a"
                + " valid number for CH");
  }

  @Test
  void inspect_emptyUserBehindTrustedPai_judgesThePai() {
    assertThat(inspect(call().trunk(CARRIER).from("sip:carrier.example").pai("tel:+4144")))
        .contains("P-Asserted-Identity tel:+4144: \"+4144\" → +4144 is not a valid number for CH");
  }
}
