package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.call;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.sip.stir.Attestation;

class ListedCallerTest {

  private static final CallerList DENY =
      new CallerList(
          List.of(new NamedList("deny.txt", numbers())),
          Set.of("666"),
          List.of(Cidr.parse("203.0.113.0/24")),
          List.of(
              Pattern.compile("friendly-scanner", Pattern.CASE_INSENSITIVE),
              Pattern.compile("sipvicious", Pattern.CASE_INSENSITIVE)));

  private final ListedCaller check = new ListedCaller(ListedCaller.DENY, DENY);

  private static NumberList numbers() {
    NumberList.Builder list = NumberList.builder();
    list.add("4190", true, NumberRule.NEVER_ORIGINATES);
    list.add("41446681800", false, NumberRule.NEVER_ORIGINATES);
    return list.build();
  }

  private Optional<String> inspect(Calls.Builder call, Optional<VerifiedCheck.Verified> verified) {
    CallContext context = call.build();
    return check.inspect(context, Identities.of(context, Calls.HOME_REGION), verified);
  }

  private Optional<String> inspect(Calls.Builder call) {
    return inspect(call, Optional.empty());
  }

  @Test
  void ruleId_isTheListsRule() {
    assertThat(check.ruleId()).isEqualTo("denylisted");
    assertThat(new ListedCaller(ListedCaller.ALLOW, DENY).ruleId()).isEqualTo("allowlisted");
  }

  @Test
  void inspect_listedPrefix_namesEntryAndFile() {
    assertThat(inspect(call().from("sip:0901234567@x")))
        .contains("caller +41901234567 is +4190* in deny.txt");
  }

  @Test
  void inspect_sourceInListedNetwork_namesNetwork() {
    assertThat(inspect(call().from("sip:+4930123456@x").source("203.0.113.7")))
        .contains("source 203.0.113.7 is in 203.0.113.0/24");
  }

  @Test
  void inspect_scannerUserAgent_matchesCaseInsensitively() {
    assertThat(inspect(call().from("sip:+4930123456@x").userAgent("SIPVicious 0.3.4")))
        .contains("User-Agent \"SIPVicious 0.3.4\" matches sipvicious");
  }

  @Test
  void inspect_signerSpcOfPassedVerification_isListed() {
    assertThat(
            inspect(
                call().from("sip:+4930123456@x"),
                Optional.of(new VerifiedCheck.Verified(Attestation.A, "666"))))
        .contains("signer SPC 666");
    assertThat(
            inspect(
                call().from("sip:+4930123456@x"),
                Optional.of(new VerifiedCheck.Verified(Attestation.A, "1234"))))
        .isEmpty();
  }

  @Test
  void inspect_severalParts_namesEach() {
    assertThat(
            inspect(
                call()
                    .trunk(CARRIER)
                    .from("sip:+41446681800@x")
                    .source("203.0.113.7")
                    .userAgent("friendly-scanner")))
        .contains(
            "caller +41446681800 is +41446681800 in deny.txt; source 203.0.113.7 is in"
                + " 203.0.113.0/24; User-Agent \"friendly-scanner\" matches friendly-scanner");
  }

  @Test
  void inspect_unlistedCall_findsNothing() {
    assertThat(inspect(call().from("sip:+4930123456@x").userAgent("Asterisk PBX 20"))).isEmpty();
  }

  @Test
  void inspect_emptyList_findsNothing() {
    ListedCaller empty = new ListedCaller(ListedCaller.ALLOW, CallerList.EMPTY);
    CallContext context = call().source("203.0.113.7").build();

    assertThat(empty.inspect(context, Identities.of(context, "CH"), Optional.empty())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:+41901234567@x",
        "sip:0041901234567@x",
        "<sip:0901234567;phone-context=+41@x;user=phone>",
        "<sip:+41901234567;tgrp=TG1;trunk-context=x@x;user=phone>"
      })
  void inspect_listedPrefixInAnyForm_isMatchedInE164(String from) {
    assertThat(inspect(call().from(from))).contains("caller +41901234567 is +4190* in deny.txt");
  }

  @Test
  void inspect_emptyUserFromUnlistedSource_findsNothing() {
    assertThat(inspect(call().from("sip:x.example").source("198.51.100.1"))).isEmpty();
  }
}
