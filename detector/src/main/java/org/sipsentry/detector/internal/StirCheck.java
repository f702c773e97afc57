package org.sipsentry.detector.internal;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.IdentityHeader;
import org.sipsentry.sip.stir.Passport;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirResult;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * STIR/SHAKEN verification of one call on a trunk that asks for it, and what its outcome means
 * under the trunk's settings:
 *
 * <ul>
 *   <li>the call is bound to the caller, the believed P-Asserted-Identity when its user is a number
 *       (tel URI first, {@link Identities}), else the From user; and to the callee, the To user
 *       when it is a number, else the Request-URI user (RFC 8224 §6.2.1, §8.3);
 *   <li>pass: verstat {@value StirSummary#PASSED} (with {@code -A/-B/-C} when the trunk asks), the
 *       finding {@code stir-attestation-a|b|c};
 *   <li>no Identity header: on a {@code verify} trunk verstat {@value StirSummary#NO_VALIDATION}
 *       and the finding {@code stir-missing}; on a {@code require} trunk the failure {@link
 *       StirFailure#NO_IDENTITY} (428), handled like any other;
 *   <li>failure: verstat {@value StirSummary#FAILED} and the finding {@code stir-failed}; the
 *       trunk's on-failure choice decides whether the call is rejected with the failure's response
 *       or goes on, with RFC 9410's Reason header for {@code continue-with-reason};
 *   <li>could not complete (certificate server slow or down): verstat {@value
 *       StirSummary#NO_VALIDATION} and the finding {@code stir-failed}; the trunk's
 *       on-indeterminate choice decides whether the call is rejected, else on-failure applies
 *       without its {@code reject}.
 * </ul>
 */
final class StirCheck {

  static final String FAILED = "stir-failed";
  static final String MISSING = "stir-missing";
  static final String ATTESTATION = "stir-attestation-";

  /** The rule ids of the findings, in the order of {@code DetectorSettings.DEFAULT_RULES}. */
  static final List<String> RULE_IDS =
      List.of(FAILED, MISSING, ATTESTATION + "a", ATTESTATION + "b", ATTESTATION + "c");

  private final Function<StirRequest, CompletionStage<StirOutcome>> verifier;
  private final Clock clock;
  private final Map<String, RuleSettings> rules;

  /** The Date header parsed last; racing writers just replace each other. */
  private volatile ParsedDate lastDate;

  /**
   * @param verifier {@link StirVerifier#verify}, or in benchmarks a function returning a
   *     precomputed outcome
   */
  StirCheck(
      Function<StirRequest, CompletionStage<StirOutcome>> verifier,
      Clock clock,
      Map<String, RuleSettings> rules) {
    this.verifier = verifier;
    this.clock = clock;
    this.rules = rules;
  }

  /**
   * Verifies {@code call}, whose trunk's STIR mode is not off. Completes at once unless the
   * certificate must be fetched; never completes exceptionally for bad input.
   */
  CompletionStage<StirContribution> verify(CallContext call, Identities ids) {
    StirSettings settings = call.trunk().stir();
    if (call.identityHeaders().isEmpty()) {
      if (settings.mode() == StirSettings.Mode.VERIFY) {
        return CompletableFuture.completedFuture(missing());
      }
      return CompletableFuture.completedFuture(
          failed(
              settings,
              new StirOutcome.Fail(StirFailure.NO_IDENTITY, "no Identity header"),
              call.identityHeaders()));
    }
    StirRequest request =
        StirRequest.of(
            call.identityHeaders(), caller(call, ids), callee(call), date(call), clock.instant());
    return verifier
        .apply(request)
        .thenApply(
            outcome ->
                outcome instanceof StirOutcome.Pass pass
                    ? passed(settings, pass)
                    : failed(settings, (StirOutcome.Fail) outcome, call.identityHeaders()));
  }

  private StirContribution passed(StirSettings settings, StirOutcome.Pass pass) {
    String attest = pass.attest().name();
    String verstat = StirSummary.verstat(pass) + (settings.attestationSuffix() ? "-" + attest : "");
    StirSummary summary =
        new StirSummary(
            verstat,
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.of(pass.attest()),
            Optional.of(pass.origid()),
            Optional.of(pass.x5u()),
            Optional.of(pass.spc()),
            false);
    String evidence =
        "attestation " + attest + (pass.spc().isEmpty() ? "" : " signed by SPC " + pass.spc());
    return new StirContribution(
        summary,
        finding(ATTESTATION + attest.toLowerCase(Locale.ROOT), evidence),
        Optional.empty(),
        Optional.of(pass.passport()));
  }

  private StirContribution missing() {
    StirSummary summary =
        new StirSummary(
            StirSummary.NO_VALIDATION,
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    return new StirContribution(summary, finding(MISSING, "no Identity header"), Optional.empty());
  }

  private StirContribution failed(
      StirSettings settings, StirOutcome.Fail fail, List<String> identityHeaders) {
    SipStatus response = settings.response(fail.failure());
    boolean rejects =
        fail.indeterminate()
            ? settings.onIndeterminate() == StirSettings.OnIndeterminate.FAIL_CLOSED
            : settings.onFailure() == StirSettings.OnFailure.REJECT;
    boolean reasonHeader =
        !rejects && settings.onFailure() == StirSettings.OnFailure.CONTINUE_WITH_REASON;
    Readable readable = Readable.of(identityHeaders);
    StirSummary summary =
        new StirSummary(
            StirSummary.verstat(fail),
            Optional.of(fail.failure()),
            Optional.of(response),
            fail.indeterminate(),
            readable.attest(),
            readable.origid(),
            readable.x5u(),
            Optional.empty(),
            reasonHeader);
    String evidence =
        fail.failure().id()
            + " ("
            + response.code()
            + " "
            + response.reason()
            + (fail.indeterminate() ? "; could not complete" : "")
            + "): "
            + fail.detail();
    return new StirContribution(
        summary, finding(FAILED, evidence), rejects ? Optional.of(response) : Optional.empty());
  }

  private Optional<Finding> finding(String ruleId, String evidence) {
    RuleSettings rule = rules.get(ruleId);
    return rule.enabled()
        ? Optional.of(new Finding(ruleId, rule.weight(), evidence))
        : Optional.empty();
  }

  /**
   * The caller the PASSporT's {@code orig} must match: the believed P-Asserted-Identity when its
   * user reads as a number, else the From user (which may be {@code anonymous} behind a PAI).
   */
  static String caller(CallContext call, Identities ids) {
    if (ids.assertedIdentity().isPresent()) {
      String asserted = ids.assertedIdentity().get().address().user();
      if (CanonicalTn.parse(asserted).isPresent()) {
        return asserted;
      }
    }
    return call.from().user();
  }

  /** The callee {@code dest} must hold: the To user when it is a number, else the Request-URI's. */
  static String callee(CallContext call) {
    String to = call.to().user();
    if (CanonicalTn.parse(to).isPresent()) {
      return to;
    }
    String requestUriUser = user(call.requestUri());
    return requestUriUser.isEmpty() ? to : requestUriUser;
  }

  /** The user part of a sip/sips URI or the number of a tel URI; {@code ""} for anything else. */
  static String user(String uri) {
    int colon = uri.indexOf(':');
    if (colon < 0) {
      return "";
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = uri.substring(colon + 1);
    if (scheme.equals("tel")) {
      int semicolon = rest.indexOf(';');
      return semicolon < 0 ? rest : rest.substring(0, semicolon);
    }
    if (scheme.equals("sip") || scheme.equals("sips")) {
      int at = rest.indexOf('@');
      return at < 0 ? "" : rest.substring(0, at);
    }
    return "";
  }

  private Optional<java.time.Instant> date(CallContext call) {
    String text = call.date();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    // A Date header has one-second resolution (RFC 3261 §20.17): calls in the same second carry
    // the same text, so the last one parsed is usually the one needed.
    ParsedDate last = lastDate;
    if (last != null && last.text().equals(text)) {
      return last.instant();
    }
    Optional<java.time.Instant> instant = StirRequest.parseDate(text);
    lastDate = new ParsedDate(text, instant);
    return instant;
  }

  private record ParsedDate(String text, Optional<java.time.Instant> instant) {}

  /**
   * What can still be read from an Identity header that failed verification, for the audit log: its
   * {@code info} URL and its PASSporT's {@code attest} and {@code origid}. Unverified: the values
   * may be forged.
   */
  private record Readable(
      Optional<Attestation> attest, Optional<String> origid, Optional<String> x5u) {

    static Readable of(List<String> identityHeaders) {
      Readable none = new Readable(Optional.empty(), Optional.empty(), Optional.empty());
      if (!(IdentityHeader.selectShaken(identityHeaders)
          instanceof StirResult.Ok<IdentityHeader> selected)) {
        return none;
      }
      IdentityHeader identity = selected.value();
      Optional<String> x5u = nonEmpty(identity.info());
      if (identity.isCompact()
          || !(Passport.decode(identity) instanceof StirResult.Ok<Passport> passport)) {
        return new Readable(Optional.empty(), Optional.empty(), x5u);
      }
      Passport.Claims claims = passport.value().claims();
      return new Readable(Attestation.of(claims.attest()), nonEmpty(claims.origid()), x5u);
    }

    private static Optional<String> nonEmpty(String value) {
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
  }
}
