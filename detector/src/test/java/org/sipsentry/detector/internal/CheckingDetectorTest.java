package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.CheckOptions;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RateLimits;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.Verdict;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;

class CheckingDetectorTest {

  /** Untrusted PAI (30), invalid From (40) and an anonymous caller (20): three findings. */
  private static final Calls.Builder SUSPICIOUS =
      call().trunk(PEER).from("sip:+4144@peer.example").pai("tel:+41791234567").privacy("id");

  private static Verdict inspect(Map<String, RuleSettings> rules) {
    Detector detector =
        Detector.of(new DetectorSettings("CH", List.of(), rules, 30, 80, SipStatus.REJECTED));
    CompletableFuture<Verdict> stage = detector.inspect(SUSPICIOUS.build()).toCompletableFuture();
    assertThat(stage).isDone();
    return stage.join();
  }

  @Test
  void allChecksThenStir_coverEveryRuleInOrder() {
    List<String> ids = new java.util.ArrayList<>();
    DetectorSettings settings =
        new DetectorSettings("CH", List.of(), Map.of(), 30, 80, SipStatus.REJECTED);
    CheckingDetector.checks(settings).forEach(check -> ids.add(check.ruleId()));
    CheckingDetector.verifiedChecks(settings).forEach(check -> ids.add(check.ruleId()));
    ids.addAll(CheckingDetector.STATEFUL_RULE_IDS);
    ids.addAll(StirCheck.RULE_IDS);

    assertThat(ids).containsExactlyElementsOf(DetectorSettings.DEFAULT_RULES.keySet());
  }

  @Test
  void inspect_cleanCall_allowsAtOnce() {
    Detector detector =
        Detector.of(new DetectorSettings("CH", List.of(), Map.of(), 0, 0, SipStatus.REJECTED));

    assertThat(detector.inspect(call().build()).toCompletableFuture())
        .isCompletedWithValue(new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));
  }

  @Test
  void inspect_defaultRules_weighsEveryFinding() {
    Verdict verdict = inspect(Map.of());

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.score()).isEqualTo(90);
    assertThat(verdict.reasons())
        .containsExactly("invalid-cli", "untrusted-pai", "anonymous-caller");
  }

  @Test
  void inspect_disabledRule_doesNotFind() {
    Verdict verdict =
        inspect(
            Map.of("invalid-cli", new RuleSettings(false, 40, Optional.empty(), Optional.empty())));

    assertThat(verdict.reasons()).containsExactly("untrusted-pai", "anonymous-caller");
    assertThat(verdict.score()).isEqualTo(50);
    assertThat(verdict.action()).isEqualTo(Action.LABEL);
  }

  @Test
  void inspect_findingWeight_isTheRulesConfiguredWeight() {
    Verdict verdict = inspect(Map.of("anonymous-caller", RuleSettings.weighted(45)));

    assertThat(verdict.findings())
        .extracting(Finding::ruleId, Finding::weight)
        .containsExactly(
            Tuple.tuple("anonymous-caller", 45),
            Tuple.tuple("invalid-cli", 40),
            Tuple.tuple("untrusted-pai", 30));
  }

  private static Verdict inspectWith(CheckOptions options, Calls.Builder call) {
    DetectorSettings settings =
        new DetectorSettings(
            List.of("CH"), List.of(PEER), Map.of(), 30, 80, SipStatus.REJECTED, options);
    CompletableFuture<Verdict> stage =
        Detector.of(settings).inspect(call.build()).toCompletableFuture();
    assertThat(stage).isDone();
    return stage.join();
  }

  private static NumberList doNotOriginate(String digits) {
    NumberList.Builder list = NumberList.builder();
    list.add(digits, false, NumberRule.NEVER_ORIGINATES);
    return list.build();
  }

  @Test
  void inspect_doNotOriginateCallerOnUnverifiedTrunk_blocksWithTheEntryAsEvidence() {
    CheckOptions options =
        new CheckOptions(
            false, List.of(new NamedList("bank-dno.txt", doNotOriginate("41446681800"))));

    Verdict verdict = inspectWith(options, call().trunk(PEER).from("sip:+41446681800@x"));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.reasons()).containsExactly("protected-number");
    assertThat(verdict.findings().get(0).evidence())
        .isEqualTo(
            "caller +41446681800 is +41446681800 in bank-dno.txt: Do-Not-Originate, received on"
                + " trunk peer");
  }

  @Test
  void inspect_allowlistedUserAgent_allowsADeniedCaller() {
    CallerList deny =
        new CallerList(
            List.of(new NamedList("deny.txt", doNotOriginate("41446681800"))),
            Set.of(),
            List.of(),
            List.of());
    CallerList allow =
        new CallerList(List.of(), Set.of(), List.of(), List.of(Pattern.compile("^Lab-Tester")));
    CheckOptions options = new CheckOptions(false, List.of(), deny, allow);

    Verdict denied = inspectWith(options, call().trunk(PEER).from("sip:+41446681800@x"));
    Verdict allowed =
        inspectWith(
            options, call().trunk(PEER).from("sip:+41446681800@x").userAgent("Lab-Tester 1.0"));

    assertThat(denied.action()).isEqualTo(Action.BLOCK);
    assertThat(denied.reasons()).containsExactly("denylisted");
    assertThat(allowed.action()).isEqualTo(Action.ALLOW);
    assertThat(allowed.reasons()).containsExactly("allowlisted", "denylisted");
  }

  @Test
  void inspect_callerOverTheTrunksRate_isRateExceededWithTheCount() {
    CheckOptions options =
        new CheckOptions(
            false,
            List.of(),
            CallerList.EMPTY,
            CallerList.EMPTY,
            7,
            Set.of(),
            Set.of(),
            Map.of("peer", new RateLimits(java.time.Duration.ofSeconds(60), 3, 0)));
    DetectorSettings settings =
        new DetectorSettings(
            List.of("CH"), List.of(PEER), Map.of(), 30, 80, SipStatus.REJECTED, options);
    Detector detector =
        Detector.of(
            settings,
            Optional.empty(),
            java.time.Clock.fixed(
                java.time.Instant.parse("2026-03-01T12:00:00Z"), java.time.ZoneOffset.UTC));

    List<Verdict> verdicts = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      verdicts.add(
          detector
              .inspect(call().trunk(PEER).from("sip:+41446681800@x").callId("c" + i).build())
              .toCompletableFuture()
              .join());
    }
    Verdict otherCaller =
        detector
            .inspect(call().trunk(PEER).from("sip:+41791234567@x").build())
            .toCompletableFuture()
            .join();

    assertThat(verdicts.subList(0, 3)).allSatisfy(v -> assertThat(v.reasons()).isEmpty());
    assertThat(verdicts.get(3).reasons()).containsExactly("rate-exceeded");
    assertThat(verdicts.get(3).findings().get(0).evidence())
        .isEqualTo("caller +41446681800: 4 calls in 60s (limit 3) on trunk peer");
    assertThat(otherCaller.reasons()).isEmpty();
  }

  @Test
  void inspect_sourceOverTheRate_isCountedAcrossCallers() {
    CheckOptions options =
        new CheckOptions(
            false,
            List.of(),
            CallerList.EMPTY,
            CallerList.EMPTY,
            7,
            Set.of(),
            Set.of(),
            Map.of("default", new RateLimits(java.time.Duration.ofSeconds(10), 0, 1)));
    Detector detector =
        Detector.of(
            new DetectorSettings(
                List.of("CH"), List.of(), Map.of(), 30, 80, SipStatus.REJECTED, options));

    detector.inspect(call().from("sip:+41446681800@x").build()).toCompletableFuture().join();
    Verdict second =
        detector.inspect(call().from("sip:+41791234567@x").build()).toCompletableFuture().join();

    assertThat(second.findings())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.evidence())
                    .isEqualTo("source 192.0.2.10: 2 calls in 10s (limit 1) on trunk default"));
  }
}
