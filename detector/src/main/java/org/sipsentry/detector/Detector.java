package org.sipsentry.detector;

import java.util.concurrent.CompletionStage;
import org.sipsentry.detector.internal.CheckingDetector;

/**
 * Weighs one initial INVITE and returns a verdict. Implementations are thread-safe and never block
 * the calling thread: work that needs I/O completes the stage later, on another thread.
 */
public interface Detector {

  /** The verdict for {@code call}; the stage never completes exceptionally for bad input. */
  CompletionStage<Verdict> inspect(CallContext call);

  /** The detector for these settings: the checks of {@link DetectorSettings} and its policy. */
  static Detector of(DetectorSettings settings) {
    return new CheckingDetector(settings);
  }
}
