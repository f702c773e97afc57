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

class AnonymousCallerTest {

  private final AnonymousCaller check = new AnonymousCaller();

  private Optional<String> inspect(Calls.Builder call) {
    return Checks.inspect(check, call);
  }

  @Test
  void ruleId_isAnonymousCaller() {
    assertThat(check.ruleId()).isEqualTo("anonymous-caller");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"Anonymous\" <sip:anonymous@anonymous.invalid>",
        "sip:Anonymous@pbx.example",
        "sip:ANONYMOUS@pbx.example",
        "sip:+41446681800@Anonymous.Invalid",
        "sips:anonymous@anonymous.invalid"
      })
  void inspect_anonymousFromWithoutPai_findsAnonymous(String from) {
    assertThat(inspect(call().from(from)))
        .contains(
            "anonymous From " + Calls.address(from).uri() + " and no trusted P-Asserted-Identity");
  }

  @Test
  void inspect_anonymousDisplayNameWithNumber_findsNothing() {
    assertThat(inspect(call().from("\"Anonymous\" <sip:+41446681800@pbx.example>"))).isEmpty();
  }

  @Test
  void inspect_anonymousFromBehindTrustedPai_findsNothing() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:anonymous@anonymous.invalid")
                    .pai("tel:+41446681800")
                    .privacy("id")))
        .isEmpty();
  }

  @Test
  void inspect_anonymousFromBehindUntrustedPai_findsAnonymous() {
    assertThat(
            inspect(
                call().trunk(PEER).from("sip:anonymous@anonymous.invalid").pai("tel:+41446681800")))
        .contains(
            "anonymous From sip:anonymous@anonymous.invalid and no trusted P-Asserted-Identity");
  }

  @Test
  void inspect_anonymousFromBehindAnonymousTrustedPai_findsAnonymous() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:anonymous@anonymous.invalid")
                    .pai("sip:anonymous@anonymous.invalid")))
        .isPresent();
  }

  @Test
  void inspect_privacyIdWithoutPai_findsAnonymous() {
    assertThat(inspect(call().from("sip:+41446681800@pbx.example").privacy("id")))
        .contains("Privacy: id and no trusted P-Asserted-Identity");
  }

  @Test
  void inspect_anonymousFromAndPrivacyId_namesBoth() {
    assertThat(inspect(call().from("sip:anonymous@anonymous.invalid").privacy("id", "critical")))
        .contains(
            "anonymous From sip:anonymous@anonymous.invalid with Privacy: id"
                + " and no trusted P-Asserted-Identity");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user", "header", "session", "none", "critical"})
  void inspect_otherPrivacyWithNumericFrom_findsNothing(String privacy) {
    assertThat(inspect(call().from("sip:+41446681800@pbx.example").privacy(privacy))).isEmpty();
  }

  @Test
  void inspect_namedFromWithoutPai_findsNothing() {
    assertThat(inspect(call().from("sip:alice@example.com"))).isEmpty();
  }

  @Test
  void inspect_anonymousHostWithNumericUser_findsAnonymous() {
    assertThat(inspect(call().from("sip:+41446681800@anonymous.invalid")))
        .contains(
            "anonymous From sip:+41446681800@anonymous.invalid and no trusted P-Asserted-Identity");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:pbx.example",
        "<sip:+41446681800;tgrp=TG1;trunk-context=pbx.example@pbx.example>"
      })
  void inspect_emptyOrParameterisedUserWithoutPrivacy_findsNothing(String from) {
    assertThat(inspect(call().from(from))).isEmpty();
  }

  @Test
  void inspect_emptyUserWithPrivacyId_findsPrivacy() {
    assertThat(inspect(call().from("sip:pbx.example").privacy("id")))
        .contains("Privacy: id and no trusted P-Asserted-Identity");
  }
}
