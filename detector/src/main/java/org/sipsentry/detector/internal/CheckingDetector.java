package org.sipsentry.detector.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Verdict;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * The detector of {@link Detector#of}: parses the call's identities once, runs the enabled checks
 * in rule order, verifies STIR/SHAKEN when the call's trunk asks for it, and lets the {@link
 * Policy} decide. The checks are pure and fast; only a STIR verification that must fetch a
 * certificate completes later, on the fetching thread.
 */
public final class CheckingDetector implements Detector {

  private final NumberReader numbers;
  private final Check[] checks;
  private final int[] weights;
  private final VerifiedCheck[] verifiedChecks;
  private final int[] verifiedWeights;
  private final Policy policy;
  private final StirCheck stir;
  private final CallState state;
  private final int rateWeight;
  private final int replayWeight;

  /**
   * @param stir the verifier, present when some trunk verifies ({@link Detector#of} checks)
   * @param clock the time verification checks freshness against
   */
  public CheckingDetector(DetectorSettings settings, Optional<StirVerifier> stir, Clock clock) {
    this(settings, clock, stir.map(verifier -> verifier::verify));
  }

  /**
   * A detector whose STIR/SHAKEN verification is {@code verification}: for benchmarks, which
   * measure the detector with a precomputed outcome (as for a known certificate and signature), not
   * the ES256 verification that sip-core's {@code VerifyInviteBenchmark} measures.
   *
   * @param verification what {@link StirVerifier#verify} would answer
   */
  public static CheckingDetector withVerification(
      DetectorSettings settings,
      Function<StirRequest, CompletionStage<StirOutcome>> verification,
      Clock clock) {
    return new CheckingDetector(settings, clock, Optional.of(verification));
  }

  private CheckingDetector(
      DetectorSettings settings,
      Clock clock,
      Optional<Function<StirRequest, CompletionStage<StirOutcome>>> stir) {
    this.numbers = NumberReader.remembering(settings.homeRegion());
    List<Check> enabled = new ArrayList<>();
    for (Check check : checks(settings, numbers)) {
      if (settings.rules().get(check.ruleId()).enabled()) {
        enabled.add(check);
      }
    }
    this.checks = enabled.toArray(new Check[0]);
    this.weights = new int[checks.length];
    for (int i = 0; i < checks.length; i++) {
      weights[i] = settings.rules().get(checks[i].ruleId()).weight();
    }
    List<VerifiedCheck> enabledVerified = new ArrayList<>();
    for (VerifiedCheck check : verifiedChecks(settings)) {
      if (settings.rules().get(check.ruleId()).enabled()) {
        enabledVerified.add(check);
      }
    }
    this.verifiedChecks = enabledVerified.toArray(new VerifiedCheck[0]);
    this.verifiedWeights = new int[verifiedChecks.length];
    for (int i = 0; i < verifiedChecks.length; i++) {
      verifiedWeights[i] = settings.rules().get(verifiedChecks[i].ruleId()).weight();
    }
    this.state = new CallState(settings.options().rateLimits(), clock);
    RuleSettings rate = settings.rules().get(CallState.RATE);
    RuleSettings replay = settings.rules().get(CallState.REPLAY);
    this.rateWeight = rate.enabled() ? rate.weight() : -1;
    this.replayWeight = replay.enabled() ? replay.weight() : -1;
    this.policy = new Policy(settings);
    this.stir = stir.map(verifier -> new StirCheck(verifier, clock, settings.rules())).orElse(null);
  }

  /** The rules of the detector's own state, after the verified checks in rule order. */
  static final List<String> STATEFUL_RULE_IDS = List.of(CallState.RATE, CallState.REPLAY);

  /**
   * Every check that needs no STIR outcome, in the order of {@link DetectorSettings#DEFAULT_RULES}.
   */
  static List<Check> checks(DetectorSettings settings) {
    return checks(settings, NumberReader.parsing(settings.homeRegion()));
  }

  private static List<Check> checks(DetectorSettings settings, NumberReader numbers) {
    return List.of(
        new FromPaiMismatch(),
        new UntrustedPai(),
        new InvalidCli(),
        new AnonymousCaller(),
        new DomesticCliFromAbroad(
            settings.homeCountries(), settings.options().allowMobileRoaming()),
        new NeighbourSpoofing(numbers, settings.options().neighbourDigits()));
  }

  /**
   * Every check that weighs the STIR outcome, in the order of {@link
   * DetectorSettings#DEFAULT_RULES}.
   */
  static List<VerifiedCheck> verifiedChecks(DetectorSettings settings) {
    return List.of(
        new ProtectedNumber(settings.options().protectedNumbers()),
        new ListedCaller(ListedCaller.DENY, settings.options().deny()),
        new ListedCaller(ListedCaller.ALLOW, settings.options().allow()),
        new AttestationTooLow(),
        new SignerDenied(settings.options().signersAllowed(), settings.options().signersDenied()));
  }

  @Override
  public CompletionStage<Verdict> inspect(CallContext call) {
    Identities ids = Identities.of(call, numbers);
    List<Finding> findings = null;
    for (int i = 0; i < checks.length; i++) {
      Optional<String> evidence = checks[i].inspect(call, ids);
      if (evidence.isPresent()) {
        if (findings == null) {
          findings = new ArrayList<>(checks.length + 1);
        }
        findings.add(new Finding(checks[i].ruleId(), weights[i], evidence.get()));
      }
    }
    if (rateWeight >= 0) {
      Optional<String> evidence = state.rate(call, ids);
      if (evidence.isPresent()) {
        if (findings == null) {
          findings = new ArrayList<>(2);
        }
        findings.add(new Finding(CallState.RATE, rateWeight, evidence.get()));
      }
    }
    if (stir == null || !call.trunk().stir().enabled()) {
      findings = inspectVerified(call, ids, Optional.empty(), findings);
      // A minimal stage: callers can chain on it but cannot complete or obtrude it.
      return CompletableFuture.completedStage(
          findings == null
              ? Policy.CLEAN
              : policy.decide(findings, Optional.empty(), call.trunk()));
    }
    List<Finding> checked = findings == null ? new ArrayList<>(2) : findings;
    return stir.verify(call, ids)
        .thenApply(
            contribution -> {
              contribution.finding().ifPresent(checked::add);
              inspectVerified(call, ids, verified(contribution.summary()), checked);
              if (replayWeight >= 0 && contribution.passport().isPresent()) {
                state
                    .replay(call, contribution.passport().get())
                    .ifPresent(e -> checked.add(new Finding(CallState.REPLAY, replayWeight, e)));
              }
              return policy.decide(checked, Optional.of(contribution), call.trunk());
            });
  }

  private static Optional<VerifiedCheck.Verified> verified(StirSummary summary) {
    if (!summary.passed() || summary.attest().isEmpty() || summary.spc().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new VerifiedCheck.Verified(summary.attest().get(), summary.spc().get()));
  }

  /** Adds the findings of the verified checks to {@code findings}, which may be null (none yet). */
  private List<Finding> inspectVerified(
      CallContext call,
      Identities ids,
      Optional<VerifiedCheck.Verified> verified,
      List<Finding> findings) {
    for (int i = 0; i < verifiedChecks.length; i++) {
      Optional<String> evidence = verifiedChecks[i].inspect(call, ids, verified);
      if (evidence.isPresent()) {
        if (findings == null) {
          findings = new ArrayList<>(2);
        }
        findings.add(new Finding(verifiedChecks[i].ruleId(), verifiedWeights[i], evidence.get()));
      }
    }
    return findings;
  }
}
