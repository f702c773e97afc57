package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.Calls;

class FromPaiMismatchTest {

  private final FromPaiMismatch check = new FromPaiMismatch();

  private java.util.Optional<String> inspect(Calls.Builder call) {
    return Checks.inspect(check, call);
  }

  @Test
  void ruleId_isFromPaiMismatch() {
    assertThat(check.ruleId()).isEqualTo("from-pai-mismatch");
  }

  @Test
  void inspect_trustedPaiDiffersFromFrom_findsMismatch() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681800@carrier.example")
                    .pai("<sip:+41791234567@carrier.example;user=phone>")))
        .contains("From +41446681800 ≠ P-Asserted-Identity +41791234567");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:0446681800@carrier.example",
        "sip:+41446681800@carrier.example;user=phone",
        "sip:0041446681800@carrier.example",
        "\"Zurich\" <sip:+41 44 668 18 00@carrier.example>",
        "tel:+41446681800"
      })
  void inspect_sameNumberInAnotherForm_findsNothing(String from) {
    assertThat(inspect(call().trunk(CARRIER).from(from).pai("tel:+41446681800"))).isEmpty();
  }

  @Test
  void inspect_untrustedPaiDiffersFromFrom_findsNothing() {
    assertThat(
            inspect(
                call()
                    .trunk(PEER)
                    .from("sip:+41446681800@peer.example")
                    .pai("sip:+41791234567@peer.example")))
        .isEmpty();
  }

  @Test
  void inspect_noPai_findsNothing() {
    assertThat(inspect(call().trunk(CARRIER).from("sip:+41446681800@carrier.example"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:alice@example.com",
        "\"Anonymous\" <sip:anonymous@anonymous.invalid>",
        "sip:carrier.example"
      })
  void inspect_fromWithoutNumber_findsNothing(String from) {
    assertThat(inspect(call().trunk(CARRIER).from(from).pai("tel:+41791234567"))).isEmpty();
  }

  @Test
  void inspect_trustedPaiWithoutNumber_findsNothing() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681800@carrier.example")
                    .pai("sip:alice@carrier.example")))
        .isEmpty();
  }

  @Test
  void inspect_sipAndTelPai_comparesWithTel() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681800@carrier.example")
                    .pai("sip:+41446681800@carrier.example", "tel:+41791234567")))
        .contains("From +41446681800 ≠ P-Asserted-Identity +41791234567");
  }

  @Test
  void inspect_namedSipPaiBeforeNumericOne_comparesWithNumeric() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681800@carrier.example")
                    .pai("sip:alice@carrier.example", "sip:+41791234567@carrier.example")))
        .contains("From +41446681800 ≠ P-Asserted-Identity +41791234567");
  }

  @Test
  void inspect_invalidFromNumberDiffers_findsMismatch() {
    // A PBX extension in From behind the company's asserted number is still a different number;
    // operators who see that pattern lower this rule's weight for that trunk's traffic.
    assertThat(inspect(call().trunk(CARRIER).from("sip:201@pbx.example").pai("tel:+41446681800")))
        .contains("From +41201 ≠ P-Asserted-Identity +41446681800");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<sip:+41446681800;tgrp=TG1;trunk-context=carrier.example@carrier.example;user=phone>",
        "<sip:0446681800;phone-context=+41@carrier.example;user=phone>",
        "<tel:044-668-18-00;phone-context=+41>",
        "<sip:0041446681800;npdi@carrier.example;user=phone>"
      })
  void inspect_userPartParametersOnFrom_comparesTheNumberOnly(String from) {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from(from)
                    .pai(
                        "<sip:+41446681800;tgrp=TG1;trunk-context=carrier.example@carrier.example;"
                            + "user=phone>")))
        .isEmpty();
  }

  @Test
  void inspect_nationalFromWithForeignPhoneContext_isThatCountrysNumber() {
    // RFC 3966 §5.1.5: the local number belongs to the context's country, not the home region.
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("<sip:0301234567;phone-context=+49@carrier.example;user=phone>")
                    .pai("tel:+41301234567")))
        .contains("From +49301234567 ≠ P-Asserted-Identity +41301234567");
  }
}
