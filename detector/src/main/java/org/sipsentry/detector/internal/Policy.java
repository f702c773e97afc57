package org.sipsentry.detector.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;

/**
 * Turns the findings of one call into a verdict, the one place where the operator's rule settings
 * and thresholds decide.
 *
 * <ul>
 *   <li>score: the sum of the findings' weights, at most 100;
 *   <li>order: heaviest first, ties in the order of {@link DetectorSettings#DEFAULT_RULES};
 *   <li>action: {@code block} at or above the block threshold (the trunk's own, else the default),
 *       else {@code label} at or above the label threshold, else {@code allow} — a score of 0 is
 *       always {@code allow} — then raised to the strongest action a finding's rule forces;
 *   <li>response of a block: that of the first (heaviest) finding whose rule names one, else the
 *       default block response;
 *   <li>a marked rule ({@code action: mark}, a dry run): its finding is kept among the reasons and
 *       in the audit log with weight 0 and the evidence ending {@code (marked; weight N)}, N the
 *       configured weight; it adds nothing, forces nothing and names no response, and a marked
 *       {@code allowlisted} allows nothing;
 *   <li>{@code allowlisted}: the action is {@code allow}, whatever the score, the forced actions
 *       and STIR/SHAKEN say; the finding comes first among the reasons, the others are kept for the
 *       audit log;
 *   <li>STIR/SHAKEN: when the trunk's on-failure (or on-indeterminate) choice rejects the call, the
 *       action is {@code block} with the failure's response, whatever the score; the verdict
 *       carries the verification's summary either way.
 * </ul>
 */
final class Policy {

  static final Verdict CLEAN = new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of());

  private static final int MAX_SCORE = 100;

  private static final String ALLOWLISTED = "allowlisted";

  /** Rule id → its place in {@link DetectorSettings#DEFAULT_RULES}, the tie-break. */
  private static final Map<String, Integer> RULE_ORDER = ruleOrder();

  private static final Comparator<Finding> HEAVIEST_FIRST =
      Comparator.comparingInt(Finding::weight)
          .reversed()
          .thenComparing(finding -> RULE_ORDER.get(finding.ruleId()));

  private final DetectorSettings settings;

  Policy(DetectorSettings settings) {
    this.settings = settings;
  }

  /**
   * The verdict for these findings, at most one per rule, each of a rule of {@link
   * DetectorSettings#DEFAULT_RULES}; the list may be reordered, and a finding of a marked rule
   * replaced by its weightless record, in place.
   */
  Verdict decide(List<Finding> findings) {
    return decide(findings, Optional.empty(), Trunk.DEFAULT);
  }

  /**
   * As {@link #decide(List)}, with what STIR/SHAKEN verification concluded when the call was
   * verified (its finding, if any, already among {@code findings}), and the thresholds of the
   * call's trunk.
   */
  Verdict decide(List<Finding> findings, Optional<StirContribution> stir, Trunk trunk) {
    if (findings.isEmpty() && stir.isEmpty()) {
      return CLEAN;
    }
    markDryRuns(findings);
    findings.sort(HEAVIEST_FIRST);
    int sum = 0;
    Action forced = Action.ALLOW;
    Optional<SipStatus> ruleResponse = Optional.empty();
    List<String> reasons = new ArrayList<>(findings.size());
    for (Finding finding : findings) {
      RuleSettings rule = settings.rules().get(finding.ruleId());
      sum += finding.weight();
      forced = strongest(forced, rule.action().orElse(Action.ALLOW));
      if (ruleResponse.isEmpty()) {
        ruleResponse = rule.response();
      }
      reasons.add(finding.ruleId());
    }
    int score = Math.min(MAX_SCORE, sum);
    int allowlisted = reasons.indexOf(ALLOWLISTED);
    if (allowlisted >= 0 && !settings.rules().get(ALLOWLISTED).marked()) {
      findings.add(0, findings.remove(allowlisted));
      reasons.add(0, reasons.remove(allowlisted));
      return new Verdict(
          Action.ALLOW,
          score,
          reasons,
          Optional.empty(),
          findings,
          stir.map(StirContribution::summary));
    }
    Action action = strongest(settings.thresholds(trunk).actionFor(score), forced);
    Optional<SipStatus> stirBlock = stir.flatMap(StirContribution::block);
    Optional<SipStatus> response;
    if (stirBlock.isPresent()) {
      action = Action.BLOCK;
      response = stirBlock;
    } else {
      response =
          action == Action.BLOCK
              ? Optional.of(ruleResponse.orElse(settings.blockResponse()))
              : Optional.empty();
    }
    return new Verdict(
        action, score, reasons, response, findings, stir.map(StirContribution::summary));
  }

  /** Replaces each finding of a marked rule by its weightless record. */
  private void markDryRuns(List<Finding> findings) {
    for (int i = 0; i < findings.size(); i++) {
      Finding finding = findings.get(i);
      if (settings.rules().get(finding.ruleId()).marked()) {
        findings.set(
            i,
            new Finding(
                finding.ruleId(),
                0,
                finding.evidence() + " (marked; weight " + finding.weight() + ")"));
      }
    }
  }

  private static Action strongest(Action a, Action b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Map<String, Integer> ruleOrder() {
    Map<String, Integer> order = new HashMap<>();
    for (String ruleId : DetectorSettings.DEFAULT_RULES.keySet()) {
      order.put(ruleId, order.size());
    }
    return Map.copyOf(order);
  }
}
