package org.sipsentry.sip.stir;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sipsentry.sip.stir.cert.CertificateValidation;

/**
 * Verifies the SHAKEN PASSporT of one INVITE (RFC 8224 §6.2, RFC 8225, RFC 8588): picks the {@code
 * ppt=shaken} Identity header, decodes it, checks the JOSE header, claims, freshness and the
 * binding to the call, obtains the signer's certificate from a {@link CertificateSource} and checks
 * the ES256 signature.
 *
 * <p>Checks run in this order and the first failure is the outcome (each maps to a {@link
 * StirFailure}, so to a SIP code):
 *
 * <ol>
 *   <li>Identity header syntax and selection (428, 436 no info, 437 alg, 438 ppt/syntax), then the
 *       {@link StirPolicy} strictness on {@code alg} and extension parameters;
 *   <li>the caller number (400 when it is not a number);
 *   <li>PASSporT decoding (438), JOSE {@code alg}/{@code typ} (437), {@code ppt} (436 absent, 438
 *       wrong), {@code x5u} = {@code info} (436);
 *   <li>{@code attest} (438), {@code origid} present (438);
 *   <li>the Date header and {@code iat} within the window (403);
 *   <li>{@code orig.tn} = caller, callee in {@code dest.tn} (438);
 *   <li>the signature is 64 bytes R‖S (438), the certificate (436/437), the signature (438).
 * </ol>
 *
 * <p>Everything up to the certificate is computed on the calling thread without I/O; the
 * certificate lookup is asynchronous and, for a cached certificate, completes at once. The stage
 * never completes exceptionally and no input makes this class throw. Thread-safe.
 */
public final class StirVerifier {

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final StirPolicy policy;
  private final CertificateSource certificates;
  private final Es256 es256;

  public StirVerifier(StirPolicy policy, CertificateSource certificates, Es256 es256) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.es256 = Objects.requireNonNull(es256, "es256");
  }

  /** The policy in force. */
  public StirPolicy policy() {
    return policy;
  }

  /** Verifies one request; see the class comment for the order of checks. */
  public CompletionStage<StirOutcome> verify(StirRequest request) {
    Objects.requireNonNull(request, "request");
    Checked checked;
    try {
      StirResult<Checked> pre = check(request);
      if (pre instanceof StirResult.Failed<Checked> failed) {
        return CompletableFuture.completedFuture(failed.toOutcome());
      }
      checked = ((StirResult.Ok<Checked>) pre).value();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(internalError(e));
    }
    CompletionStage<CertificateValidation> lookup;
    try {
      lookup = certificates.certificate(checked.identity().info(), request.now());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(internalError(e));
    }
    return lookup.handle(
        (validation, error) -> {
          if (error != null) {
            return new StirOutcome.Fail(
                StirFailure.CERTIFICATE_UNAVAILABLE, "certificate lookup failed: " + error, true);
          }
          try {
            return finish(checked, validation);
          } catch (RuntimeException e) {
            return internalError(e);
          }
        });
  }

  /**
   * Every check that needs no certificate, on the calling thread. Exposed for tools that only want
   * to know whether a header is acceptable apart from its signature.
   */
  public StirResult<Checked> check(StirRequest request) {
    StirResult<IdentityHeader> selected = IdentityHeader.selectShaken(request.identityHeaders());
    if (selected instanceof StirResult.Failed<IdentityHeader> failed) {
      return failed.retype();
    }
    IdentityHeader identity = ((StirResult.Ok<IdentityHeader>) selected).value();
    if (policy.requireAlgParameter() && identity.alg().isEmpty()) {
      return fail(StirFailure.UNSUPPORTED_ALG, "Identity header has no alg parameter");
    }
    if (policy.rejectExtensionParameters() && !identity.extensions().isEmpty()) {
      return fail(
          StirFailure.MALFORMED,
          "Identity header has parameters other than info, alg, ppt: "
              + IdentityHeader.quote(String.join(",", identity.extensions().keySet())));
    }
    Optional<CanonicalTn> caller = CanonicalTn.parse(request.caller());
    if (caller.isEmpty()) {
      return fail(
          StirFailure.MALFORMED_CALLER,
          "caller " + IdentityHeader.quote(request.caller()) + " is not a telephone number");
    }
    Optional<CanonicalTn> callee = CanonicalTn.parse(request.callee());

    StirResult<Passport> decoded = decode(identity, request, caller.get(), callee);
    if (decoded instanceof StirResult.Failed<Passport> failed) {
      return failed.retype();
    }
    Passport passport = ((StirResult.Ok<Passport>) decoded).value();

    Passport.Header header = passport.header();
    if (!IdentityHeader.ES256.equals(header.alg())) {
      return fail(StirFailure.UNSUPPORTED_JOSE, "JOSE alg " + IdentityHeader.quote(header.alg()));
    }
    if (!"passport".equals(header.typ())) {
      return fail(StirFailure.UNSUPPORTED_JOSE, "JOSE typ " + IdentityHeader.quote(header.typ()));
    }
    if (header.ppt().isEmpty()) {
      return fail(StirFailure.MISSING_PPT, "JOSE header has no ppt");
    }
    if (!"shaken".equals(header.ppt())) {
      return fail(StirFailure.WRONG_PPT, "JOSE ppt " + IdentityHeader.quote(header.ppt()));
    }
    if (!header.x5u().equals(identity.info())) {
      return fail(
          StirFailure.X5U_MISMATCH,
          "x5u "
              + IdentityHeader.quote(header.x5u())
              + " differs from info "
              + IdentityHeader.quote(identity.info()));
    }

    Passport.Claims claims = passport.claims();
    Optional<Attestation> attest = Attestation.of(claims.attest());
    if (attest.isEmpty()) {
      return fail(StirFailure.WRONG_ATTEST, "attest " + IdentityHeader.quote(claims.attest()));
    }
    if (claims.origid().isEmpty()) {
      return fail(StirFailure.MALFORMED, "no origid claim (RFC 8588 §4)");
    }

    if (policy.checkDateHeader() && request.date().isPresent()) {
      String stale = staleness(request.date().get(), request.now());
      if (stale != null) {
        return fail(StirFailure.STALE_DATE, "Date header " + stale);
      }
    }
    String stale = staleness(Instant.ofEpochSecond(claims.iat()), request.now());
    if (stale != null) {
      return fail(StirFailure.STALE_DATE, "iat " + stale);
    }

    Optional<CanonicalTn> orig = CanonicalTn.parse(claims.origTn());
    if (orig.isEmpty() || !orig.get().equals(caller.get())) {
      return fail(
          StirFailure.ORIG_MISMATCH,
          "orig.tn "
              + IdentityHeader.quote(claims.origTn())
              + " is not the caller "
              + caller.get());
    }
    if (callee.isEmpty() || !contains(claims.destTn(), callee.get())) {
      return fail(
          StirFailure.DEST_MISMATCH,
          "dest.tn "
              + IdentityHeader.quote(String.join(",", claims.destTn()))
              + " does not hold the callee "
              + IdentityHeader.quote(request.callee()));
    }

    byte[] signature = BASE64URL.decode(passport.signature());
    if (signature.length != Es256.SIGNATURE_LENGTH) {
      return fail(
          StirFailure.BAD_SIGNATURE,
          "signature is "
              + signature.length
              + " bytes, not 64-byte R||S"
              + (signature.length > 0 && signature[0] == 0x30 ? " (a DER signature?)" : ""));
    }
    return StirResult.ok(new Checked(identity, passport, attest.get(), signature));
  }

  /**
   * What {@link #check} accepted.
   *
   * @param identity the selected Identity header
   * @param passport its decoded PASSporT
   * @param attest the attestation
   * @param signature the 64-byte R‖S signature
   */
  public record Checked(
      IdentityHeader identity, Passport passport, Attestation attest, byte[] signature) {}

  private StirOutcome finish(Checked checked, CertificateValidation validation) {
    if (validation instanceof CertificateValidation.Invalid invalid) {
      return new StirOutcome.Fail(invalid.failure(), invalid.detail(), invalid.indeterminate());
    }
    CertificateValidation.Valid valid = (CertificateValidation.Valid) validation;
    Passport passport = checked.passport();
    boolean good;
    try {
      good =
          es256.verify(
              valid.key(),
              passport.signingInput().getBytes(StandardCharsets.US_ASCII),
              checked.signature());
    } catch (IllegalArgumentException e) {
      return new StirOutcome.Fail(
          StirFailure.CERTIFICATE_UNTRUSTED, "certificate key unusable: " + e.getMessage());
    }
    if (!good) {
      return new StirOutcome.Fail(
          StirFailure.BAD_SIGNATURE, "signature does not verify with the certificate's key");
    }
    List<String> spcs = valid.spcs();
    return new StirOutcome.Pass(
        checked.attest(),
        passport.claims().origid(),
        checked.identity().info(),
        spcs.isEmpty() ? "" : spcs.get(0),
        passport);
  }

  private StirResult<Passport> decode(
      IdentityHeader identity,
      StirRequest request,
      CanonicalTn caller,
      Optional<CanonicalTn> callee) {
    if (!identity.isCompact()) {
      return Passport.decode(identity);
    }
    // RFC 8225 §7: the verifier rebuilds the claims from the SIP request; iat is the Date header.
    if (request.date().isEmpty()) {
      return StirResult.failed(
          StirFailure.MALFORMED, "compact-form PASSporT without a Date header to rebuild iat");
    }
    if (callee.isEmpty()) {
      return StirResult.failed(
          StirFailure.DEST_MISMATCH,
          "compact-form PASSporT and the callee "
              + IdentityHeader.quote(request.callee())
              + " is not a number");
    }
    String payload =
        Passport.compactPayload(
            caller,
            callee.get(),
            request.date().get(),
            request.attestationIndicator(),
            request.originationId());
    return Passport.decode(identity.header(), Passport.base64Url(payload), identity.signature());
  }

  /** Why {@code instant} is outside the freshness window at {@code now}, or null when inside. */
  private String staleness(Instant instant, Instant now) {
    // iat and Date have whole-second resolution: compare in whole seconds, so that a token issued
    // exactly max-age seconds ago is still fresh whatever the sub-second part of the clock.
    Duration age = Duration.between(instant, now.truncatedTo(ChronoUnit.SECONDS));
    if (age.compareTo(policy.maxAge()) > 0) {
      return instant
          + " is "
          + age.getSeconds()
          + " s old (max "
          + policy.maxAge().getSeconds()
          + " s)";
    }
    if (age.isNegative() && age.negated().compareTo(policy.maxFutureSkew()) > 0) {
      return instant
          + " is "
          + age.negated().getSeconds()
          + " s in the future (max "
          + policy.maxFutureSkew().getSeconds()
          + " s)";
    }
    return null;
  }

  private static boolean contains(List<String> tns, CanonicalTn wanted) {
    for (String tn : tns) {
      Optional<CanonicalTn> canonical = CanonicalTn.parse(tn);
      if (canonical.isPresent() && canonical.get().equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static <T> StirResult<T> fail(StirFailure failure, String detail) {
    return StirResult.failed(failure, detail);
  }

  private static StirOutcome internalError(RuntimeException e) {
    return new StirOutcome.Fail(StirFailure.MALFORMED, "verifier error: " + e, false);
  }
}
