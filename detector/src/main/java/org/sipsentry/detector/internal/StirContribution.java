package org.sipsentry.detector.internal;

import java.util.Objects;
import java.util.Optional;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.sip.stir.Passport;

/**
 * What STIR/SHAKEN verification adds to one call's verdict.
 *
 * @param summary the verstat and the audit fields
 * @param finding {@code stir-failed}, {@code stir-missing} or {@code stir-attestation-a|b|c}; empty
 *     when that rule is disabled
 * @param block the response to reject the call with, when the trunk's on-failure or
 *     on-indeterminate choice rejects it
 * @param passport the verified PASSporT, on a pass only
 */
record StirContribution(
    StirSummary summary,
    Optional<Finding> finding,
    Optional<SipStatus> block,
    Optional<Passport> passport) {

  StirContribution {
    Objects.requireNonNull(passport, "passport");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(block, "block");
  }

  /** A contribution without a verified PASSporT: not a pass. */
  StirContribution(StirSummary summary, Optional<Finding> finding, Optional<SipStatus> block) {
    this(summary, finding, block, Optional.empty());
  }
}
