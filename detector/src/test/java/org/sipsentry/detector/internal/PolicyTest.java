package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;
import org.sipsentry.sip.stir.StirFailure;

class PolicyTest {

  private static final SipStatus DECLINE = new SipStatus(603, "Decline");
  private static final SipStatus NOWHERE = new SipStatus(604, "Does Not Exist Anywhere");

  private static Policy policy(int label, int block, Map<String, RuleSettings> rules) {
    return new Policy(
        new DetectorSettings("CH", List.of(), rules, label, block, SipStatus.REJECTED));
  }

  private static Policy policy(int label, int block) {
    return policy(label, block, Map.of());
  }

  private static List<Finding> findings(Finding... findings) {
    return new ArrayList<>(Arrays.asList(findings));
  }

  private static Finding finding(String ruleId, int weight) {
    return new Finding(ruleId, weight, "evidence of " + ruleId);
  }

  private static RuleSettings forcing(Action action) {
    return new RuleSettings(true, 10, Optional.of(action), Optional.empty());
  }

  private static RuleSettings responding(int weight, SipStatus response) {
    return new RuleSettings(true, weight, Optional.empty(), Optional.of(response));
  }

  @Test
  void decide_noFindings_allowsWithScoreZero() {
    Verdict verdict = policy(0, 0).decide(findings());

    assertThat(verdict)
        .isEqualTo(new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));
  }

  @Test
  void decide_weightlessFindingWithThresholdsZero_allowsButReports() {
    Verdict verdict = policy(0, 0).decide(findings(finding("anonymous-caller", 0)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.reasons()).containsExactly("anonymous-caller");
  }

  @Test
  void decide_labelThresholdZero_labelsAnyWeightedFinding() {
    assertThat(policy(0, 100).decide(findings(finding("anonymous-caller", 1))).action())
        .isEqualTo(Action.LABEL);
  }

  @Test
  void decide_scoreBelowLabelThreshold_allows() {
    Verdict verdict = policy(30, 80).decide(findings(finding("anonymous-caller", 20)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.score()).isEqualTo(20);
    assertThat(verdict.response()).isEmpty();
  }

  @Test
  void decide_scoreAtLabelThreshold_labels() {
    Verdict verdict = policy(30, 80).decide(findings(finding("untrusted-pai", 30)));

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.response()).isEmpty();
  }

  @Test
  void decide_scoreAtBlockThreshold_blocksWithDefaultResponse() {
    Verdict verdict =
        policy(30, 80)
            .decide(findings(finding("from-pai-mismatch", 60), finding("anonymous-caller", 20)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.score()).isEqualTo(80);
    assertThat(verdict.response()).contains(SipStatus.REJECTED);
  }

  @Test
  void decide_sumAbove100_clampsScore() {
    Verdict verdict =
        policy(30, 80)
            .decide(
                findings(
                    finding("from-pai-mismatch", 60),
                    finding("untrusted-pai", 30),
                    finding("invalid-cli", 40)));

    assertThat(verdict.score()).isEqualTo(100);
  }

  @Test
  void decide_findings_orderedHeaviestFirstThenByRuleOrder() {
    Verdict verdict =
        policy(30, 100)
            .decide(
                findings(
                    finding("anonymous-caller", 20),
                    finding("invalid-cli", 30),
                    finding("untrusted-pai", 30),
                    finding("from-pai-mismatch", 5)));

    assertThat(verdict.reasons())
        .containsExactly("untrusted-pai", "invalid-cli", "anonymous-caller", "from-pai-mismatch");
    assertThat(verdict.findings())
        .extracting(Finding::ruleId)
        .containsExactlyElementsOf(verdict.reasons());
  }

  @Test
  void decide_forcedBlock_blocksDespiteLowScore() {
    Verdict verdict =
        policy(30, 80, Map.of("anonymous-caller", forcing(Action.BLOCK)))
            .decide(findings(finding("anonymous-caller", 10)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.score()).isEqualTo(10);
    assertThat(verdict.response()).contains(SipStatus.REJECTED);
  }

  @Test
  void decide_forcedBlockOnWeightlessFinding_blocks() {
    Verdict verdict =
        policy(30, 80, Map.of("anonymous-caller", forcing(Action.BLOCK)))
            .decide(findings(finding("anonymous-caller", 0)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void decide_forcedLabel_doesNotLowerBlock() {
    Verdict verdict =
        policy(30, 80, Map.of("anonymous-caller", forcing(Action.LABEL)))
            .decide(findings(finding("from-pai-mismatch", 60), finding("anonymous-caller", 30)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void decide_forcedAllow_doesNotLowerLabel() {
    Verdict verdict =
        policy(30, 80, Map.of("untrusted-pai", forcing(Action.ALLOW)))
            .decide(findings(finding("untrusted-pai", 30)));

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
  }

  @Test
  void decide_blockByHeavierRuleWithoutResponse_usesLighterRulesResponse() {
    Verdict verdict =
        policy(30, 80, Map.of("anonymous-caller", responding(20, DECLINE)))
            .decide(findings(finding("from-pai-mismatch", 60), finding("anonymous-caller", 20)));

    assertThat(verdict.response()).contains(DECLINE);
  }

  @Test
  void decide_blockByTwoRulesWithResponses_usesHeaviestRulesResponse() {
    Verdict verdict =
        policy(
                30,
                80,
                Map.of(
                    "anonymous-caller", responding(20, DECLINE),
                    "invalid-cli", responding(40, NOWHERE)))
            .decide(
                findings(
                    finding("anonymous-caller", 20),
                    finding("invalid-cli", 40),
                    finding("untrusted-pai", 30)));

    assertThat(verdict.response()).contains(NOWHERE);
  }

  @Test
  void decide_labelByRuleWithResponse_hasNoResponse() {
    Verdict verdict =
        policy(30, 80, Map.of("invalid-cli", responding(40, NOWHERE)))
            .decide(findings(finding("invalid-cli", 40)));

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.response()).isEmpty();
  }

  @Test
  void decide_trunkWithOwnThresholds_mapsTheScoreWithThem() {
    Trunk strict =
        new Trunk(
            "transit",
            List.of(),
            false,
            org.sipsentry.detector.StirSettings.OFF,
            true,
            java.util.Set.of(),
            Optional.of(new Thresholds(10, 20)));

    Verdict onStrict =
        policy(30, 80).decide(findings(finding("anonymous-caller", 20)), Optional.empty(), strict);
    Verdict onDefault = policy(30, 80).decide(findings(finding("anonymous-caller", 20)));

    assertThat(onStrict.action()).isEqualTo(Action.BLOCK);
    assertThat(onDefault.action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void decide_allowlisted_allowsWhateverElseIsFoundAndListsItFirst() {
    Verdict verdict =
        policy(30, 80, Map.of("from-pai-mismatch", forcing(Action.BLOCK)))
            .decide(
                findings(
                    finding("from-pai-mismatch", 60),
                    finding("denylisted", 100),
                    finding("allowlisted", 0)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.response()).isEmpty();
    assertThat(verdict.score()).isEqualTo(100);
    assertThat(verdict.reasons()).containsExactly("allowlisted", "denylisted", "from-pai-mismatch");
    assertThat(verdict.findings().get(0).ruleId()).isEqualTo("allowlisted");
  }

  @Test
  void decide_denylisted_blocksByDefaultWhateverTheScore() {
    Verdict verdict =
        policy(
                100,
                100,
                Map.of(
                    "denylisted",
                    new RuleSettings(true, 1, Optional.of(Action.BLOCK), Optional.empty())))
            .decide(findings(finding("denylisted", 1)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.response()).contains(SipStatus.REJECTED);
  }

  @Test
  void decide_forcedAnonymise_winsOverLabelButNotOverBlock() {
    Policy policy = policy(30, 80, Map.of("domestic-cli-from-abroad", forcing(Action.ANONYMISE)));

    Verdict anonymised = policy.decide(findings(finding("domestic-cli-from-abroad", 10)));
    Verdict blocked =
        policy.decide(
            findings(finding("domestic-cli-from-abroad", 10), finding("from-pai-mismatch", 70)));

    assertThat(anonymised.action()).isEqualTo(Action.ANONYMISE);
    assertThat(anonymised.response()).isEmpty();
    assertThat(blocked.action()).isEqualTo(Action.BLOCK);
  }

  private static StirContribution stir(Optional<SipStatus> block) {
    SipStatus invalid = new SipStatus(438, "Invalid Identity Header");
    StirSummary summary =
        new StirSummary(
            StirSummary.FAILED,
            Optional.of(StirFailure.BAD_SIGNATURE),
            Optional.of(invalid),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    return new StirContribution(
        summary, Optional.of(finding("stir-failed", 50)), block.map(b -> invalid));
  }

  @Test
  void decide_stirRejects_blocksWithItsResponseOverTheRulesOne() {
    StirContribution rejecting = stir(Optional.of(SipStatus.REJECTED));

    Verdict verdict =
        policy(30, 80, Map.of("invalid-cli", responding(40, NOWHERE)))
            .decide(
                findings(finding("stir-failed", 50), finding("invalid-cli", 40)),
                Optional.of(rejecting),
                Trunk.DEFAULT);

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.response()).contains(new SipStatus(438, "Invalid Identity Header"));
    assertThat(verdict.stir()).contains(rejecting.summary());
  }

  @Test
  void decide_stirContinues_scoreDecidesAndSummaryKept() {
    StirContribution continuing = stir(Optional.empty());

    Verdict verdict =
        policy(30, 80)
            .decide(findings(finding("stir-failed", 50)), Optional.of(continuing), Trunk.DEFAULT);

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.response()).isEmpty();
    assertThat(verdict.stir()).contains(continuing.summary());
  }

  @Test
  void decide_noFindingsButStirSummary_allowsCarryingTheSummary() {
    StirContribution continuing = stir(Optional.empty());

    Verdict verdict = policy(30, 80).decide(findings(), Optional.of(continuing), Trunk.DEFAULT);

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.stir()).contains(continuing.summary());
  }

  @Test
  void decide_severalForcedActions_strongestWinsWhateverTheOrder() {
    Policy policy =
        policy(
            30,
            80,
            Map.of(
                "anonymous-caller", forcing(Action.LABEL),
                "untrusted-pai", forcing(Action.ANONYMISE),
                "invalid-cli", forcing(Action.BLOCK)));

    Verdict labelThenAnonymise =
        policy.decide(findings(finding("anonymous-caller", 1), finding("untrusted-pai", 1)));
    Verdict anonymiseThenLabel =
        policy.decide(findings(finding("untrusted-pai", 1), finding("anonymous-caller", 1)));
    Verdict all =
        policy.decide(
            findings(
                finding("untrusted-pai", 1),
                finding("invalid-cli", 1),
                finding("anonymous-caller", 1)));

    assertThat(labelThenAnonymise.action()).isEqualTo(Action.ANONYMISE);
    assertThat(anonymiseThenLabel.action()).isEqualTo(Action.ANONYMISE);
    assertThat(all.action()).isEqualTo(Action.BLOCK);
    assertThat(all.score()).isEqualTo(3);
    assertThat(all.response()).contains(SipStatus.REJECTED);
  }

  @Test
  void decide_scoreOneBelowBlockThreshold_labelsWithoutResponse() {
    Verdict verdict =
        policy(30, 80)
            .decide(findings(finding("from-pai-mismatch", 60), finding("anonymous-caller", 19)));

    assertThat(verdict.score()).isEqualTo(79);
    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.response()).isEmpty();
  }

  @Test
  void decide_clampedScore_reachesABlockThresholdOf100() {
    Verdict verdict =
        policy(30, 100)
            .decide(findings(finding("from-pai-mismatch", 60), finding("invalid-cli", 60)));

    assertThat(verdict.score()).isEqualTo(100);
    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void decide_trunkThresholdsAboveTheDefaults_allowWhatTheDefaultsWouldBlock() {
    Trunk lenient = trunkWith(new Thresholds(90, 100));

    Verdict onLenient =
        policy(30, 80)
            .decide(findings(finding("domestic-cli-from-abroad", 80)), Optional.empty(), lenient);
    Verdict onDefault = policy(30, 80).decide(findings(finding("domestic-cli-from-abroad", 80)));

    assertThat(onLenient.action()).isEqualTo(Action.ALLOW);
    assertThat(onLenient.response()).isEmpty();
    assertThat(onDefault.action()).isEqualTo(Action.BLOCK);
  }

  @Test
  void decide_settingsAnonymiseThreshold_appliesOnlyToTrunksWithoutTheirOwn() {
    Policy policy =
        new Policy(
            new DetectorSettings(
                List.of("CH"),
                List.of(),
                Map.of(),
                30,
                80,
                SipStatus.REJECTED,
                org.sipsentry.detector.CheckOptions.DEFAULT,
                Optional.of(50)));
    Trunk ownThresholds = trunkWith(new Thresholds(30, 80));

    Verdict onDefault =
        policy.decide(findings(finding("from-pai-mismatch", 60)), Optional.empty(), Trunk.DEFAULT);
    Verdict onOwn =
        policy.decide(findings(finding("from-pai-mismatch", 60)), Optional.empty(), ownThresholds);

    assertThat(onDefault.action()).isEqualTo(Action.ANONYMISE);
    assertThat(onOwn.action()).isEqualTo(Action.LABEL);
  }

  @Test
  void decide_weightlessFindingOnTrunkWithZeroThresholds_allows() {
    Verdict verdict =
        policy(30, 80)
            .decide(
                findings(finding("stir-attestation-a", 0)),
                Optional.empty(),
                trunkWith(new Thresholds(0, 0)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.score()).isZero();
  }

  private static Trunk trunkWith(Thresholds thresholds) {
    return new Trunk(
        "own",
        List.of(),
        false,
        org.sipsentry.detector.StirSettings.OFF,
        false,
        java.util.Set.of(),
        Optional.of(thresholds));
  }

  @Test
  void decide_markedRuleFinding_recordedButAddsNothingAndStaysAllow() {
    Verdict verdict =
        policy(30, 80, Map.of("from-pai-mismatch", RuleSettings.marked(60)))
            .decide(findings(finding("from-pai-mismatch", 60)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.score()).isZero();
    assertThat(verdict.reasons()).containsExactly("from-pai-mismatch");
    assertThat(verdict.findings())
        .containsExactly(
            new Finding(
                "from-pai-mismatch", 0, "evidence of from-pai-mismatch (marked; weight 60)"));
  }

  @Test
  void decide_markedRuleWithOtherFindings_onlyTheOthersScoreAndTheMarkedOneComesLast() {
    Verdict verdict =
        policy(30, 80, Map.of("domestic-cli-from-abroad", RuleSettings.marked(80)))
            .decide(
                findings(finding("domestic-cli-from-abroad", 80), finding("untrusted-pai", 30)));

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.score()).isEqualTo(30);
    assertThat(verdict.reasons()).containsExactly("untrusted-pai", "domestic-cli-from-abroad");
  }

  @Test
  void decide_markedDenylisted_forcesNoBlock() {
    Verdict verdict =
        policy(30, 80, Map.of("denylisted", RuleSettings.marked(100)))
            .decide(findings(finding("denylisted", 100)));

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.response()).isEmpty();
    assertThat(verdict.reasons()).containsExactly("denylisted");
  }

  @Test
  void decide_markedAllowlisted_doesNotOverrideABlock() {
    Verdict verdict =
        policy(30, 80, Map.of("allowlisted", RuleSettings.marked(0)))
            .decide(findings(finding("allowlisted", 0), finding("denylisted", 100)));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.reasons()).containsExactly("denylisted", "allowlisted");
  }
}
