package org.sipsentry.detector.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.Verdict;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * The detector of {@link Detector#of}: parses the call's identities once, runs the enabled checks
 * in rule order, verifies STIR/SHAKEN when the call's trunk asks for it, and lets the {@link
 * Policy} decide. The checks are pure and fast; only a STIR verification that must fetch a
 * certificate completes later, on the fetching thread.
 */
public final class CheckingDetector implements Detector {

  /** Every check, in the order of {@link DetectorSettings#DEFAULT_RULES}. */
  static final List<Check> ALL_CHECKS =
      List.of(new FromPaiMismatch(), new UntrustedPai(), new InvalidCli(), new AnonymousCaller());

  private final String homeRegion;
  private final Check[] checks;
  private final int[] weights;
  private final Policy policy;
  private final StirCheck stir;

  /**
   * @param stir the verifier, present when some trunk verifies ({@link Detector#of} checks)
   * @param clock the time verification checks freshness against
   */
  public CheckingDetector(DetectorSettings settings, Optional<StirVerifier> stir, Clock clock) {
    this.homeRegion = settings.homeRegion();
    List<Check> enabled = new ArrayList<>();
    for (Check check : ALL_CHECKS) {
      if (settings.rules().get(check.ruleId()).enabled()) {
        enabled.add(check);
      }
    }
    this.checks = enabled.toArray(new Check[0]);
    this.weights = new int[checks.length];
    for (int i = 0; i < checks.length; i++) {
      RuleSettings rule = settings.rules().get(checks[i].ruleId());
      weights[i] = rule.weight();
    }
    this.policy = new Policy(settings);
    this.stir = stir.map(verifier -> new StirCheck(verifier, clock, settings.rules())).orElse(null);
  }

  @Override
  public CompletionStage<Verdict> inspect(CallContext call) {
    Identities ids = Identities.of(call, homeRegion);
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
    if (stir == null || !call.trunk().stir().enabled()) {
      // A minimal stage: callers can chain on it but cannot complete or obtrude it.
      return CompletableFuture.completedStage(
          findings == null ? Policy.CLEAN : policy.decide(findings));
    }
    List<Finding> checked = findings == null ? new ArrayList<>(1) : findings;
    return stir.verify(call, ids)
        .thenApply(
            contribution -> {
              contribution.finding().ifPresent(checked::add);
              return policy.decide(checked, Optional.of(contribution));
            });
  }
}
