package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.sip.stir.Attestation;

class ProtectedNumberTest {

  private static final NumberRule CARRIER_WITH_A =
      new NumberRule(Set.of("carrier"), Optional.of(Attestation.A));
  private static final NumberRule CARRIER_ONLY =
      new NumberRule(Set.of("carrier"), Optional.empty());

  private final ProtectedNumber check =
      new ProtectedNumber(
          List.of(
              new NamedList("bank-dno.txt", bankList()),
              new NamedList("others.txt", othersList())));

  private static NumberList bankList() {
    NumberList.Builder list = NumberList.builder();
    list.add("41446681800", false, NumberRule.NEVER_ORIGINATES);
    list.add("4144668", true, CARRIER_WITH_A);
    return list.build();
  }

  private static NumberList othersList() {
    NumberList.Builder list = NumberList.builder();
    list.add("4144668", true, NumberRule.NEVER_ORIGINATES);
    list.add("41612345678", false, CARRIER_ONLY);
    return list.build();
  }

  private Optional<String> inspect(Calls.Builder call, Optional<Attestation> attestation) {
    CallContext context = call.build();
    return check.inspect(
        context,
        Identities.of(context, Calls.HOME_REGION),
        attestation.map(attest -> new VerifiedCheck.Verified(attest, "1234")));
  }

  @Test
  void ruleId_isProtectedNumber() {
    assertThat(check.ruleId()).isEqualTo("protected-number");
  }

  @Test
  void inspect_doNotOriginateNumber_namesEntryListAndTrunk() {
    assertThat(
            inspect(call().trunk(CARRIER).from("sip:+41446681800@x"), Optional.of(Attestation.A)))
        .contains(
            "caller +41446681800 is +41446681800 in bank-dno.txt: Do-Not-Originate, received on"
                + " trunk carrier");
  }

  @Test
  void inspect_nationalFormat_isLookedUpInE164() {
    assertThat(inspect(call().trunk(PEER).from("sip:0446681800@x"), Optional.empty()))
        .hasValueSatisfying(e -> assertThat(e).contains("+41446681800 in bank-dno.txt"));
  }

  @Test
  void inspect_prefixFromTrunkNotAllowed_namesPrefixAndAllowedTrunks() {
    assertThat(inspect(call().trunk(PEER).from("sip:+41446681899@x"), Optional.of(Attestation.A)))
        .contains(
            "caller +41446681899 is +4144668* in bank-dno.txt: trunk peer may not originate it"
                + " (allowed: carrier)");
  }

  @Test
  void inspect_allowedTrunkWithRequiredAttestation_findsNothing() {
    assertThat(
            inspect(call().trunk(CARRIER).from("sip:+41446681899@x"), Optional.of(Attestation.A)))
        .isEmpty();
  }

  @Test
  void inspect_allowedTrunkWithWeakerAttestation_namesBoth() {
    assertThat(
            inspect(call().trunk(CARRIER).from("sip:+41446681899@x"), Optional.of(Attestation.B)))
        .contains(
            "caller +41446681899 is +4144668* in bank-dno.txt: needs attestation A, call has B");
  }

  @Test
  void inspect_allowedTrunkWithoutVerifiedAttestation_isFound() {
    assertThat(inspect(call().trunk(CARRIER).from("sip:+41446681899@x"), Optional.empty()))
        .contains(
            "caller +41446681899 is +4144668* in bank-dno.txt: needs attestation A, call has no"
                + " verified one");
  }

  @Test
  void inspect_firstListWithAnEntryDecides() {
    // others.txt would forbid +4144668*, but bank-dno.txt lists it first and allows the carrier.
    assertThat(
            inspect(call().trunk(CARRIER).from("sip:+41446681899@x"), Optional.of(Attestation.A)))
        .isEmpty();
    assertThat(inspect(call().trunk(CARRIER).from("sip:+41612345678@x"), Optional.empty()))
        .isEmpty();
  }

  @Test
  void inspect_trustedPai_isTheCallerLookedUp() {
    assertThat(
            inspect(
                call().trunk(CARRIER).from("sip:+41612345678@x").pai("tel:+41446681800"),
                Optional.empty()))
        .hasValueSatisfying(e -> assertThat(e).startsWith("caller +41446681800"));
  }

  @Test
  void inspect_unlistedOrNonNumberCaller_findsNothing() {
    assertThat(inspect(call().trunk(PEER).from("sip:+41791234567@x"), Optional.empty())).isEmpty();
    assertThat(inspect(call().trunk(PEER).from("sip:alice@x"), Optional.empty())).isEmpty();
    assertThat(
            inspect(call().trunk(PEER).from("sip:anonymous@anonymous.invalid"), Optional.empty()))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:0041446681800@x",
        "<sip:+41446681800;tgrp=TG1;trunk-context=x@x;user=phone>",
        "<sip:0446681800;phone-context=+41@x;user=phone>"
      })
  void inspect_00AndUserPartParameters_areLookedUpInE164(String from) {
    assertThat(inspect(call().trunk(PEER).from(from), Optional.empty()))
        .hasValueSatisfying(e -> assertThat(e).contains("+41446681800 in bank-dno.txt"));
  }

  @Test
  void inspect_emptyUser_findsNothing() {
    assertThat(inspect(call().trunk(PEER).from("sip:x.example"), Optional.empty())).isEmpty();
  }
}
