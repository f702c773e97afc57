package org.sipsentry.detector;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The detector's decision on one initial INVITE.
 *
 * @param action what the proxy does
 * @param score 0–100, the clamped sum of the findings' weights
 * @param reasons the rule ids of the findings, most important (heaviest) first, without duplicates
 * @param response the response to send; present exactly when {@code action} is {@link Action#BLOCK}
 * @param findings every finding with its evidence, in the same order as {@code reasons}
 * @param stir what STIR/SHAKEN verification concluded; empty when the call's trunk does not verify
 */
public record Verdict(
    Action action,
    int score,
    List<String> reasons,
    Optional<SipStatus> response,
    List<Finding> findings,
    Optional<StirSummary> stir) {

  public Verdict {
    Objects.requireNonNull(action, "action");
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(response, "response");
    findings = List.copyOf(findings);
    Objects.requireNonNull(stir, "stir");
    if (score < 0 || score > 100) {
      throw new IllegalArgumentException("score " + score + " is outside 0..100");
    }
    if (response.isPresent() != (action == Action.BLOCK)) {
      throw new IllegalArgumentException("a response goes with BLOCK and only with BLOCK");
    }
  }

  /** A verdict on a call that was not STIR-verified. */
  public Verdict(
      Action action,
      int score,
      List<String> reasons,
      Optional<SipStatus> response,
      List<Finding> findings) {
    this(action, score, reasons, response, findings, Optional.empty());
  }
}
