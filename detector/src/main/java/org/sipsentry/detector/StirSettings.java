package org.sipsentry.detector;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sipsentry.sip.stir.StirFailure;

/**
 * What one trunk does with STIR/SHAKEN (RFC 8224, RFC 8588): whether its initial INVITEs are
 * verified, and what a failed or inconclusive verification does to the call.
 *
 * @param mode whether to verify
 * @param onFailure what a definite failure does (the call's own data is at fault)
 * @param onIndeterminate what a verification that could not complete does (certificate server slow
 *     or down, breaker open, fetch queue full)
 * @param responses the SIP response for a failure, by failure, where it differs from the failure's
 *     own ({@link StirFailure#code()} and {@link StirFailure#reason()})
 * @param attestationSuffix whether a passed verification's verstat carries the attestation, e.g.
 *     {@code TN-Validation-Passed-A}
 */
public record StirSettings(
    Mode mode,
    OnFailure onFailure,
    OnIndeterminate onIndeterminate,
    Map<StirFailure, SipStatus> responses,
    boolean attestationSuffix) {

  /** No verification: the trunk's calls carry no verstat and no STIR findings. */
  public static final StirSettings OFF =
      new StirSettings(Mode.OFF, OnFailure.CONTINUE, OnIndeterminate.FAIL_OPEN, Map.of(), false);

  public StirSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(onIndeterminate, "onIndeterminate");
    responses = responses.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(responses));
  }

  /** Verification with the given mode and the defaults for everything else. */
  public static StirSettings of(Mode mode) {
    return new StirSettings(mode, OnFailure.CONTINUE, OnIndeterminate.FAIL_OPEN, Map.of(), false);
  }

  /** True unless {@link Mode#OFF}. */
  public boolean enabled() {
    return mode != Mode.OFF;
  }

  /** The response for {@code failure}: the configured one, else the failure's own. */
  public SipStatus response(StirFailure failure) {
    SipStatus configured = responses.get(failure);
    return configured != null ? configured : new SipStatus(failure.code(), failure.reason());
  }

  /** Whether a trunk's initial INVITEs are verified. */
  public enum Mode {
    /** Not verified. */
    OFF,
    /**
     * Verified when they carry an Identity header; one without is found {@code stir-missing} and
     * labelled {@code No-TN-Validation}.
     */
    VERIFY,
    /** Verified; one without an Identity header fails with 428 Use Identity Header. */
    REQUIRE;

    /** The lower-case id used in YAML, e.g. {@code verify}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a definite verification failure does. */
  public enum OnFailure {
    /** Forward, labelled {@code TN-Validation-Failed}; the {@code stir-failed} finding counts. */
    CONTINUE,
    /** Answer with the failure's response (e.g. 438 Invalid Identity Header). */
    REJECT,
    /**
     * As {@link #CONTINUE}, and add RFC 9410's {@code Reason: STIR;cause=<code>;text="<phrase>"} to
     * the forwarded INVITE.
     */
    CONTINUE_WITH_REASON;

    /** The id used in YAML, e.g. {@code continue-with-reason}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** What a verification that could not complete does. */
  public enum OnIndeterminate {
    /**
     * The call goes on: {@link OnFailure#REJECT} does not apply, the rest of {@link OnFailure}
     * does.
     */
    FAIL_OPEN,
    /** Answer with the failure's response (436 Bad Identity Info unless configured). */
    FAIL_CLOSED;

    /** The id used in YAML, e.g. {@code fail-open}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
