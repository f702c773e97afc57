package org.sipsentry.detector.state;

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
 * of one timestamp per event. A key is forgotten two windows after its last use, when it can no
 * longer count, and at most {@code maxKeys} are held. Thread-safe.
 *
 * <p>The keys are held in two {@link Generations} of plain maps: a key used goes into (or moves to)
 * the current generation; it becomes the previous one when it is two windows old or has taken
 * {@code maxKeys / 2} keys, and the previous one is then dropped whole. A key unused for two
 * windows is treated as gone wherever it is, as an expire-after-access cache would; a generation
 * dropped for age holds only such keys; one dropped for size, under a flood of distinct keys, takes
 * the keys unused the longest with it (their count restarts). A Caffeine cache with its maintenance
 * on the calling thread paid an eviction or expiry for every new key (~1 µs per call from a caller
 * not seen before, docs/PERFORMANCE.md); here a new key is a map insertion. One race is accepted: a
 * key moving to a new generation at the moment of the change may be counted afresh there once.
 */
public final class RateCounter {

  private final long windowNanos;
  private final long idleNanos;
  private final Ticker ticker;
  private final Generations<Window> generations;

  /**
   * @param window the sliding window, e.g. 60 s
   * @param maxKeys the most keys tracked at once, at least 2; beyond it those unused the longest
   *     are forgotten (their count restarts), so memory stays bounded under a flood of distinct
   *     keys
   * @param ticker the clock, {@link Ticker#systemTicker()} outside tests
   */
  public RateCounter(Duration window, int maxKeys, Ticker ticker) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (maxKeys < 2) {
      throw new IllegalArgumentException("maxKeys must be at least 2: " + maxKeys);
    }
    this.windowNanos = window.toNanos();
    this.idleNanos = window.multipliedBy(2).toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.generations = new Generations<>(window.multipliedBy(2), maxKeys, ticker.read());
  }

  /**
   * Records one event for {@code key} now.
   *
   * @return the number of events for {@code key} in the sliding window ending now, this one
   *     included (rounded up)
   */
  public long record(String key) {
    long now = ticker.read();
    return window(key, now, true).add(now, windowNanos);
  }

  /** The events for {@code key} in the sliding window ending now, without recording one. */
  public long current(String key) {
    long now = ticker.read();
    Window window = window(key, now, false);
    return window == null ? 0 : window.estimate(now, windowNanos);
  }

  /** The number of keys held, unused ones included until their generation is dropped. */
  public long trackedKeys() {
    return generations.size();
  }

  /**
   * The live window of {@code key}, now in the current generation; a new one when {@code create}
   * and there is none, else null.
   */
  private Window window(String key, long now, boolean create) {
    Generations.Generation<Window> generation = generations.current(now);
    Window window = generation.map().get(key);
    if (window != null && window.usedWithin(now, idleNanos)) {
      window.use(now);
      return window;
    }
    boolean[] created = new boolean[1];
    window =
        generation
            .map()
            .compute(
                key,
                (k, existing) -> {
                  if (existing != null && existing.usedWithin(now, idleNanos)) {
                    return existing;
                  }
                  Window earlier = generations.previous().get(k);
                  if (earlier != null && earlier.usedWithin(now, idleNanos)) {
                    return earlier;
                  }
                  if (!create) {
                    return existing; // left as it is: an unused key, or none
                  }
                  created[0] = existing == null;
                  return new Window(now);
                });
    if (window == null || !window.usedWithin(now, idleNanos) && !create) {
      return null;
    }
    window.use(now);
    if (created[0]) {
      generations.added(generation, now);
    }
    return window;
  }

  /** Two consecutive fixed windows of one key. */
  private static final class Window {
    private long start;
    private long previous;
    private long current;

    /** The last time the key was used: recorded or read. */
    private volatile long used;

    Window(long now) {
      this.start = now;
      this.used = now;
    }

    boolean usedWithin(long now, long idle) {
      return now - used < idle;
    }

    void use(long now) {
      used = now;
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
