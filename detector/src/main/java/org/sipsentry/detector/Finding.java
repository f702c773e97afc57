package org.sipsentry.detector;

import java.util.Objects;

/**
 * What one check found in one call.
 *
 * @param ruleId the reason id, e.g. {@code from-pai-mismatch}; appears in the verdict header and
 *     the audit log
 * @param weight how much it adds to the score (0–100), as configured for the rule
 * @param evidence a short human-readable explanation naming the values involved, e.g. {@code From
 *     +41446681800 ≠ PAI +41791234567}
 */
public record Finding(String ruleId, int weight, String evidence) {

  public Finding {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(evidence, "evidence");
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException("weight " + weight + " is outside 0..100");
    }
  }
}
