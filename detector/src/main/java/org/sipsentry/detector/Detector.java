package org.sipsentry.detector;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.sipsentry.detector.internal.CheckingDetector;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * Weighs one initial INVITE and returns a verdict. Implementations are thread-safe and never block
 * the calling thread: work that needs I/O completes the stage later, on another thread.
 */
public interface Detector {

  /**
   * The verdict for {@code call}; the stage never completes exceptionally for bad input. It is
   * complete on return unless the call's trunk verifies STIR/SHAKEN and the signer's certificate
   * must be fetched: then it completes on the thread that finishes the fetch.
   */
  CompletionStage<Verdict> inspect(CallContext call);

  /** The detector for these settings, which must not STIR-verify on any trunk. */
  static Detector of(DetectorSettings settings) {
    return of(settings, Optional.empty(), Clock.systemUTC());
  }

  /**
   * The detector for these settings: the checks of {@link DetectorSettings}, STIR/SHAKEN
   * verification on the trunks that ask for it, and the policy.
   *
   * @param stir the verifier; required when {@link DetectorSettings#stirEnabled()}
   * @param clock the time verification checks freshness against
   * @throws IllegalArgumentException when a trunk verifies and there is no verifier
   */
  static Detector of(DetectorSettings settings, Optional<StirVerifier> stir, Clock clock) {
    Objects.requireNonNull(stir, "stir");
    Objects.requireNonNull(clock, "clock");
    if (settings.stirEnabled() && stir.isEmpty()) {
      throw new IllegalArgumentException("a trunk verifies STIR/SHAKEN but there is no verifier");
    }
    return new CheckingDetector(settings, stir, clock);
  }
}
