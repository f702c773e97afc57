package org.sipsentry.detector;

import java.util.Objects;
import java.util.Optional;

/**
 * How one check counts.
 *
 * @param enabled whether the check runs at all
 * @param weight what a finding of this rule adds to the score, 0–100
 * @param action when present, a finding of this rule forces at least this action whatever the score
 *     (the strongest forced action wins)
 * @param response when present and the verdict is a block caused by this rule, the response to send
 *     instead of the default block response
 * @param marked a dry run ({@code action: mark}): a finding of this rule is recorded (the verdict's
 *     reasons, the audit log) but adds 0 to the score and forces nothing; an {@code allowlisted}
 *     finding does not allow the call. Excludes {@code action} and {@code response}
 */
public record RuleSettings(
    boolean enabled,
    int weight,
    Optional<Action> action,
    Optional<SipStatus> response,
    boolean marked) {

  public RuleSettings {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(response, "response");
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException(weight + " is outside 0..100");
    }
    if (marked && (action.isPresent() || response.isPresent())) {
      throw new IllegalArgumentException(
          "a marked rule forces no action and sends no response; expected neither");
    }
  }

  /** A rule that is not marked. */
  public RuleSettings(
      boolean enabled, int weight, Optional<Action> action, Optional<SipStatus> response) {
    this(enabled, weight, action, response, false);
  }

  /** An enabled rule that only adds {@code weight}. */
  public static RuleSettings weighted(int weight) {
    return new RuleSettings(true, weight, Optional.empty(), Optional.empty());
  }

  /** An enabled rule in dry run: its findings are recorded with {@code weight} as evidence only. */
  public static RuleSettings marked(int weight) {
    return new RuleSettings(true, weight, Optional.empty(), Optional.empty(), true);
  }
}
