package org.sipsentry.detector;

/**
 * The scores at which a call is labelled and blocked.
 *
 * @param label score at or above which a call is labelled, 0–100; a score of 0 is never labelled
 * @param block score at or above which a call is blocked, {@code label}–100; a score of 0 is never
 *     blocked by the score alone
 */
public record Thresholds(int label, int block) {

  public Thresholds {
    requireScore("label threshold", label);
    requireScore("block threshold", block);
    if (label > block) {
      throw new IllegalArgumentException(
          "label threshold " + label + " is above block threshold " + block);
    }
  }

  /** The action a score alone calls for. */
  public Action actionFor(int score) {
    if (score == 0) {
      return Action.ALLOW;
    }
    if (score >= block) {
      return Action.BLOCK;
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
