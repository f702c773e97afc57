package org.sipsentry.detector.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipsentry.sip.TelephoneNumber;

/**
 * The numbers read lately, by user part, in one map that is started afresh once it holds {@code
 * maxEntries}: a number stays remembered until that many new numbers have been read after it, and
 * one read often (a caller that keeps calling) is read again once per refill. At most {@code
 * maxEntries} are held (plus a few that writers racing the refill may add). Thread-safe.
 *
 * <p>Not a Caffeine cache, on purpose: with maintenance on the calling thread, every insertion into
 * a full Caffeine cache paid an eviction (frequency sketch, deque links: ~1 µs per number not seen
 * before, measured, docs/PERFORMANCE.md). Nor two generations, as tried first: a number not seen
 * before then missed in two maps, and each miss is a cache miss on a large table. Here a lookup is
 * one map read, an insertion one map write, and a refill drops one map and allocates an empty one.
 */
final class RecentNumbers {

  private final int maxEntries;
  private final AtomicInteger added = new AtomicInteger();
  private volatile Map<String, TelephoneNumber> numbers;

  /**
   * @param maxEntries the most numbers held, at least 1
   */
  RecentNumbers(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.numbers = newMap();
  }

  /** The number remembered for {@code userPart}, or null. */
  TelephoneNumber get(String userPart) {
    return numbers.get(userPart);
  }

  /** Remembers {@code number} for {@code userPart}. */
  void put(String userPart, TelephoneNumber number) {
    Map<String, TelephoneNumber> map = numbers;
    if (map.putIfAbsent(userPart, number) == null && added.incrementAndGet() >= maxEntries) {
      refill(map);
    }
  }

  /** Numbers held now. */
  int size() {
    return numbers.size();
  }

  private synchronized void refill(Map<String, TelephoneNumber> full) {
    if (numbers == full) {
      numbers = newMap();
      added.set(0);
    }
  }

  private Map<String, TelephoneNumber> newMap() {
    // Sized so that a full map never resizes its table.
    return new ConcurrentHashMap<>(maxEntries);
  }
}
