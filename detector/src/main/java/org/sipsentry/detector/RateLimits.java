package org.sipsentry.detector;

import java.time.Duration;
import java.util.Objects;

/**
 * How many initial INVITEs a trunk may carry in a sliding window before {@code rate-exceeded}.
 *
 * @param window the sliding window
 * @param perCaller the most calls from one caller number (across all destinations) in the window;
 *     0: no limit
 * @param perSource the most calls from one source IP address in the window; 0: no limit
 */
public record RateLimits(Duration window, int perCaller, int perSource) {

  public RateLimits {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (perCaller < 0 || perSource < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /** Whether any limit is set: without one, nothing is counted. */
  public boolean limits() {
    return perCaller > 0 || perSource > 0;
  }
}
