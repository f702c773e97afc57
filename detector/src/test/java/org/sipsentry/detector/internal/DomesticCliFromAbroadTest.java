package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.call;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Trunk;

class DomesticCliFromAbroadTest {

  private static final Trunk TRANSIT =
      new Trunk(
          "transit",
          List.of(Cidr.parse("203.0.113.0/24")),
          false,
          StirSettings.OFF,
          true,
          Set.of(),
          Optional.empty());

  private static final Trunk TRUSTED_TRANSIT = Calls.TRUSTED_TRANSIT;

  private final DomesticCliFromAbroad check = new DomesticCliFromAbroad(List.of("CH", "LI"), false);
  private final DomesticCliFromAbroad roaming = new DomesticCliFromAbroad(List.of("CH"), true);

  @Test
  void ruleId_isDomesticCliFromAbroad() {
    assertThat(check.ruleId()).isEqualTo("domestic-cli-from-abroad");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:+41446681800@transit.example",
        "sip:0041446681800@transit.example",
        "sip:044 668 18 00@transit.example",
        "tel:+41446681800",
        "sip:+41446681800;npdi@transit.example;user=phone"
      })
  void inspect_swissNumberOnInternationalTrunk_namesNumberCountryAndTrunk(String from) {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from(from)))
        .contains("From +41446681800 is a CH number on international trunk transit");
  }

  @Test
  void inspect_secondHomeCountry_isDomesticToo() {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:+4232361234@x.example")))
        .hasValueSatisfying(evidence -> assertThat(evidence).contains("is a LI number"));
  }

  @Test
  void inspect_foreignNumberOnInternationalTrunk_findsNothing() {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:+4930123456@x.example")))
        .isEmpty();
  }

  @Test
  void inspect_swissNumberOnDomesticTrunk_findsNothing() {
    assertThat(
            Checks.inspect(check, call().trunk(Calls.CARRIER).from("sip:+41446681800@x.example")))
        .isEmpty();
  }

  @Test
  void inspect_unassignedSwissRange_stillCountsAsSwiss() {
    // +41 12 is no assigned Swiss range: libphonenumber gives no region, the country code does.
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:+41123456789@x.example")))
        .hasValueSatisfying(evidence -> assertThat(evidence).contains("is a CH number"));
  }

  @Test
  void inspect_nonNumberOrEmptyUser_findsNothing() {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:alice@x.example"))).isEmpty();
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:x.example"))).isEmpty();
  }

  @Test
  void inspect_trustedInternationalTrunk_judgesTheAssertedIdentity() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(TRUSTED_TRANSIT)
                    .from("sip:+4930123456@x.example")
                    .pai("tel:+41446681800")))
        .contains(
            "P-Asserted-Identity +41446681800 is a CH number on international trunk" + " transit");
  }

  @Test
  void inspect_mobileWithRoamingExemption_findsNothing() {
    assertThat(Checks.inspect(roaming, call().trunk(TRANSIT).from("sip:+41791234567@x.example")))
        .isEmpty();
  }

  @Test
  void inspect_fixedLineWithRoamingExemption_isStillFound() {
    assertThat(Checks.inspect(roaming, call().trunk(TRANSIT).from("sip:+41446681800@x.example")))
        .isPresent();
  }

  @Test
  void inspect_mobileWithoutRoamingExemption_isFound() {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from("sip:+41791234567@x.example")))
        .isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<sip:+41446681800;tgrp=INTL;trunk-context=transit.example@transit.example;user=phone>",
        "<sip:0446681800;phone-context=+41@transit.example;user=phone>",
        "<tel:044-668-18-00;phone-context=+41>"
      })
  void inspect_swissNumberWithUserPartParameters_isFound(String from) {
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from(from)))
        .contains("From +41446681800 is a CH number on international trunk transit");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<sip:0301234567;phone-context=+49@transit.example;user=phone>",
        "<tel:030-1234567;phone-context=+49>"
      })
  void inspect_foreignNationalNumberWithItsPhoneContext_findsNothing(String from) {
    // Read in the home region these would be +41301234567: a false block of a German caller.
    assertThat(Checks.inspect(check, call().trunk(TRANSIT).from(from))).isEmpty();
  }

  @Test
  void inspect_swissNumberWithSwissPhoneContextBehindTrustedPai_judgesThePai() {
    assertThat(
            Checks.inspect(
                check,
                call()
                    .trunk(TRUSTED_TRANSIT)
                    .from("sip:+4930901820@transit.example")
                    .pai("<sip:0446681800;phone-context=+41@transit.example;user=phone>")))
        .contains("P-Asserted-Identity +41446681800 is a CH number on international trunk transit");
  }
}
