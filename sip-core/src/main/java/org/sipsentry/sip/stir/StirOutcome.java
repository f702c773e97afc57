package org.sipsentry.sip.stir;

import java.util.Objects;

/** The verdict of {@link StirVerifier}: the call's SHAKEN PASSporT verified, or why not. */
public sealed interface StirOutcome permits StirOutcome.Pass, StirOutcome.Fail {

  /**
   * The PASSporT is well formed, fresh, bound to this call and signed by the given key.
   *
   * @param attest the attestation level
   * @param origid the origination identifier (RFC 8588 §4), as received
   * @param x5u the certificate URL the signature was checked against
   * @param spc the Service Provider Code of the signing certificate's TNAuthList, or {@code ""}
   *     when it lists numbers only
   * @param passport the decoded PASSporT
   */
  record Pass(Attestation attest, String origid, String x5u, String spc, Passport passport)
      implements StirOutcome {
    public Pass {
      Objects.requireNonNull(attest, "attest");
      Objects.requireNonNull(origid, "origid");
      Objects.requireNonNull(x5u, "x5u");
      Objects.requireNonNull(spc, "spc");
      Objects.requireNonNull(passport, "passport");
    }
  }

  /**
   * Verification failed.
   *
   * @param failure the first failed check, with its default SIP response
   * @param detail a human-readable explanation for logs (untrusted content: do not echo in SIP)
   * @param indeterminate true when verification could not complete for a reason outside the call
   *     (certificate server timed out or down, breaker open, fetch queue full): the operator's
   *     fail-open/fail-closed choice applies instead of the failure action
   */
  record Fail(StirFailure failure, String detail, boolean indeterminate) implements StirOutcome {
    public Fail {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(detail, "detail");
    }

    /** A definite failure: the call's own data is at fault. */
    public Fail(StirFailure failure, String detail) {
      this(failure, detail, false);
    }
  }
}
