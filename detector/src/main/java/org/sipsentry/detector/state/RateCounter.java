package org.sipsentry.detector.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * Counts events per key (a caller number, a source address) over a sliding window, in bounded
 * memory: the call-rate thresholds of a robocall burst.
 *
 * <p>Each key keeps two fixed windows, the current and the previous one, and the rate is the
 * current count plus the previous count weighted by how much of the previous window still lies
 * inside the sliding one (the "sliding window counter" approximation: exact for a steady rate, off
 * by at most one window's worth of skew at a burst's edge). That is three numbers per key instead
 * of one timestamp per event. Keys live in a Caffeine cache bounded by {@code maxKeys} and expire
 * two windows after their last event, when they can no longer count. Thread-safe.
 */
public final class RateCounter {

  private final long windowNanos;
  private final Ticker ticker;
  private final Cache<String, Window> windows;

  /**
   * @param window the sliding window, e.g. 60 s
   * @param maxKeys the most keys tracked at once; beyond it the least used are forgotten (their
   *     count restarts), so memory stays bounded under a flood of distinct keys
   * @param ticker the clock, {@link Ticker#systemTicker()} outside tests
   */
  public RateCounter(Duration window, int maxKeys, Ticker ticker) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
    }
    this.windowNanos = window.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.windows =
        Caffeine.newBuilder()
            .maximumSize(maxKeys)
            .expireAfterAccess(window.multipliedBy(2))
            .ticker(ticker)
            // Maintenance (a few map operations, amortised) on the recording thread: the common
            // fork-join pool would take a core a busy proxy has not got to spare.
            .executor(Runnable::run)
            .build();
  }

  /**
   * Records one event for {@code key} now.
   *
   * @return the number of events for {@code key} in the sliding window ending now, this one
   *     included (rounded up)
   */
  public long record(String key) {
    long now = ticker.read();
    return windows.get(key, k -> new Window(now)).add(now, windowNanos);
  }

  /** The events for {@code key} in the sliding window ending now, without recording one. */
  public long current(String key) {
    Window window = windows.getIfPresent(key);
    return window == null ? 0 : window.estimate(ticker.read(), windowNanos);
  }

  /** The number of keys tracked, after pending evictions have run. */
  public long trackedKeys() {
    windows.cleanUp();
    return windows.estimatedSize();
  }

  /** Two consecutive fixed windows of one key. */
  private static final class Window {
    private long start;
    private long previous;
    private long current;

    Window(long now) {
      this.start = now;
    }

    synchronized long add(long now, long length) {
      roll(now, length);
      current++;
      return estimate(now, length);
    }

    synchronized long estimate(long now, long length) {
      roll(now, length);
      long elapsed = now - start;
      // The share of the previous window that is still inside the sliding window.
      double previousShare = (double) (length - elapsed) / length;
      return (long) Math.ceil(current + previous * previousShare);
    }

    private void roll(long now, long length) {
      long elapsed = now - start;
      if (elapsed < length) {
        return;
      }
      long windowsPassed = elapsed / length;
      previous = windowsPassed == 1 ? current : 0;
      current = 0;
      start += windowsPassed * length;
    }
  }
}
