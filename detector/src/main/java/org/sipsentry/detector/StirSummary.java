package org.sipsentry.detector;

import java.util.Objects;
import java.util.Optional;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirOutcome;

/**
 * What STIR/SHAKEN verification concluded about one call: the verstat label the proxy adds to the
 * forwarded INVITE and the fields of the audit log.
 *
 * @param verstat the 3GPP TS 24.229 §7.2A.20 value: {@value #PASSED}, optionally with {@code -A},
 *     {@code -B} or {@code -C}; {@value #FAILED}; or {@value #NO_VALIDATION} when there was no
 *     Identity header or verification could not complete
 * @param failure why verification failed; empty on a pass and for a call without Identity header on
 *     a {@code verify} trunk
 * @param response the SIP response of the failure as mapped for the trunk (RFC 8224 §6.2.2);
 *     present exactly when {@code failure} is
 * @param indeterminate true when verification could not complete (certificate server timed out or
 *     down): the trunk's on-indeterminate choice applied instead of its on-failure choice
 * @param attest the attestation, when the PASSporT could be read
 * @param origid the origination identifier, when the PASSporT could be read
 * @param x5u the certificate URL, when the Identity header could be read
 * @param spc the Service Provider Code of the signing certificate; on a pass only
 * @param reasonHeader whether the proxy adds RFC 9410's {@code Reason: STIR} header (on-failure
 *     {@code continue-with-reason}); only with a failure
 */
public record StirSummary(
    String verstat,
    Optional<StirFailure> failure,
    Optional<SipStatus> response,
    boolean indeterminate,
    Optional<Attestation> attest,
    Optional<String> origid,
    Optional<String> x5u,
    Optional<String> spc,
    boolean reasonHeader) {

  /** The identity was verified (3GPP TS 24.229 §7.2A.20). */
  public static final String PASSED = "TN-Validation-Passed";

  /** The identity was not verified: verification failed. */
  public static final String FAILED = "TN-Validation-Failed";

  /**
   * No verification was done: the INVITE carried no Identity header, or the certificate could not
   * be obtained (timeout, server down).
   */
  public static final String NO_VALIDATION = "No-TN-Validation";

  public StirSummary {
    Objects.requireNonNull(verstat, "verstat");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(attest, "attest");
    Objects.requireNonNull(origid, "origid");
    Objects.requireNonNull(x5u, "x5u");
    Objects.requireNonNull(spc, "spc");
    if (failure.isPresent() != response.isPresent()) {
      throw new IllegalArgumentException("a response goes with a failure and only with one");
    }
    if (reasonHeader && failure.isEmpty()) {
      throw new IllegalArgumentException("a Reason header needs a failure");
    }
  }

  /**
   * The verstat of a verification outcome on a {@code verify} trunk, without attestation suffix:
   * {@value #PASSED} on a pass; {@value #NO_VALIDATION} when there was nothing to verify or
   * verification could not complete; {@value #FAILED} otherwise. The detector labels calls with it,
   * and the admin endpoint's STIR REST API answers it.
   */
  public static String verstat(StirOutcome outcome) {
    if (outcome instanceof StirOutcome.Pass) {
      return PASSED;
    }
    StirOutcome.Fail fail = (StirOutcome.Fail) outcome;
    // Nothing to validate, or validation could not be completed: neither says the caller's
    // identity is false.
    return fail.failure() == StirFailure.NO_IDENTITY || fail.indeterminate()
        ? NO_VALIDATION
        : FAILED;
  }

  /** True when the identity was verified. */
  public boolean passed() {
    return verstat.startsWith(PASSED);
  }

  /**
   * The value of the RFC 9410 Reason header the proxy adds, e.g. {@code
   * STIR;cause=438;text="Invalid Identity Header"}; empty unless {@link #reasonHeader()}.
   */
  public Optional<String> reasonHeaderValue() {
    if (!reasonHeader) {
      return Optional.empty();
    }
    SipStatus status = response.orElseThrow();
    return Optional.of(
        "STIR;cause=" + status.code() + ";text=\"" + quotedText(status.reason()) + "\"");
  }

  /** RFC 3261 §25.1 quoted-string content: {@code "} and {@code \} escaped. */
  private static String quotedText(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
