package org.sipsentry.detector.state;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two generations of plain maps, the bounded memory of {@link RateCounter} and {@link ReplayGuard}:
 * new keys go into the current generation; it becomes the previous one when it is {@code maxAge}
 * old or has taken {@code maxKeys / 2} new keys, and the previous one is then dropped whole. What
 * an entry still means (used recently, written recently) is the owner's to judge: a generation
 * dropped for age holds only entries older than {@code maxAge}; one dropped for size takes the
 * oldest with it. A Caffeine cache with its maintenance on the calling thread paid an eviction or
 * expiry per new key; here a new key is a map insertion. Thread-safe.
 *
 * @param <V> the value kept per key
 */
final class Generations<V> {

  private final long maxAgeNanos;
  private final int generationSize;
  private final AtomicInteger added = new AtomicInteger();
  private volatile Generation<V> current;
  private volatile Generation<V> previous;

  /** The entries written from {@code start} on, until the generation is replaced. */
  record Generation<V>(long start, ConcurrentHashMap<String, V> map) {}

  /**
   * @param maxAge how long a generation stays the current one, positive
   * @param maxKeys the most keys held in both generations, at least 2
   * @param now the ticker's time now
   */
  Generations(Duration maxAge, int maxKeys, long now) {
    this.maxAgeNanos = maxAge.toNanos();
    this.generationSize = maxKeys / 2;
    this.current = newGeneration(now);
    this.previous = newGeneration(now);
  }

  /** The current generation, a new one first when it is {@code maxAge} old at {@code now}. */
  Generation<V> current(long now) {
    Generation<V> generation = current;
    if (now - generation.start() >= maxAgeNanos) {
      generation = rotate(generation, now);
    }
    return generation;
  }

  /** The previous generation's map: read it for keys not (yet) moved to the current one. */
  ConcurrentHashMap<String, V> previous() {
    return previous.map();
  }

  /**
   * Counts one new key inserted into {@code into}; when that generation has taken its share of
   * {@code maxKeys}, a new one replaces it.
   */
  void added(Generation<V> into, long now) {
    if (added.incrementAndGet() >= generationSize) {
      rotate(into, now);
    }
  }

  /** The number of keys held, stale ones included until their generation is dropped. */
  int size() {
    return current.map().size() + previous.map().size();
  }

  private synchronized Generation<V> rotate(Generation<V> full, long now) {
    if (current == full) {
      previous = full;
      current = newGeneration(now);
      added.set(0);
    }
    return current;
  }

  private Generation<V> newGeneration(long now) {
    // Sized so that a generation filled by count never resizes its table (a ConcurrentHashMap
    // allocates its table on the first insertion, so an unused generation costs nothing).
    return new Generation<>(now, new ConcurrentHashMap<>(Math.min(generationSize, 1 << 16)));
  }
}
