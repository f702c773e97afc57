package org.sipsentry.detector;

import java.util.Objects;
import java.util.Optional;

/**
 * The scores at which a call is labelled, anonymised and blocked.
 *
 * @param label score at or above which a call is labelled, 0–100; a score of 0 is never labelled
 * @param anonymise score at or above which a call is anonymised, {@code label}–{@code block};
 *     empty: never by score alone
 * @param block score at or above which a call is blocked, {@code label}–100; a score of 0 is never
 *     blocked by the score alone
 */
public record Thresholds(int label, Optional<Integer> anonymise, int block) {

  public Thresholds {
    Objects.requireNonNull(anonymise, "anonymise");
    requireScore("label threshold", label);
    requireScore("block threshold", block);
    if (label > block) {
      throw new IllegalArgumentException(
          "label threshold " + label + " is above block threshold " + block);
    }
    if (anonymise.isPresent()) {
      int a = anonymise.get();
      if (a < label || a > block) {
        throw new IllegalArgumentException(
            "anonymise threshold " + a + " is outside label " + label + " .. block " + block);
      }
    }
  }

  /** Thresholds that never anonymise by score. */
  public Thresholds(int label, int block) {
    this(label, Optional.empty(), block);
  }

  /** The action a score alone calls for. */
  public Action actionFor(int score) {
    if (score == 0) {
      return Action.ALLOW;
    }
    if (score >= block) {
      return Action.BLOCK;
    }
    if (anonymise.isPresent() && score >= anonymise.get()) {
      return Action.ANONYMISE;
    }
    return score >= label ? Action.LABEL : Action.ALLOW;
  }

  private static void requireScore(String name, int threshold) {
    if (threshold < 0 || threshold > 100) {
      throw new IllegalArgumentException(
          name + " " + threshold + " is outside 0..100; thresholds are scores");
    }
  }
}
