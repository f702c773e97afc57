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
 */
public record RuleSettings(
    boolean enabled, int weight, Optional<Action> action, Optional<SipStatus> response) {

  public RuleSettings {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(response, "response");
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException(weight + " is outside 0..100");
    }
  }

  /** An enabled rule that only adds {@code weight}. */
  public static RuleSettings weighted(int weight) {
    return new RuleSettings(true, weight, Optional.empty(), Optional.empty());
  }
}
