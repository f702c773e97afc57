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
}
