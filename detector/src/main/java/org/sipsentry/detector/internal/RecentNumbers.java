package org.sipsentry.detector.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipsentry.sip.TelephoneNumber;

/**
 * The numbers read last, by user part, in two generations: new numbers go into the current one;
 * when it holds half the bound, it becomes the previous one and the one before is dropped whole. A
 * number found in the previous generation moves into the current one, so anything read within the
 * last half-bound of new numbers is still there; at most {@code maxEntries} are held (plus a few
 * that writers racing a rotation may add). Thread-safe.
 *
 * <p>Not a Caffeine cache, on purpose: with maintenance on the calling thread, every insertion into
 * a full Caffeine cache pays an eviction (frequency sketch, deque links, ~1 µs measured on numbers
 * not seen before, docs/PERFORMANCE.md); here an insertion is a map put, and a rotation allocates
 * one empty map per {@code maxEntries / 2} new numbers.
 */
final class RecentNumbers {

  private final int generationSize;
  private final AtomicInteger added = new AtomicInteger();
  private volatile Map<String, TelephoneNumber> current;
  private volatile Map<String, TelephoneNumber> previous = Map.of();

  /**
   * @param maxEntries the most numbers held, at least 2
   */
  RecentNumbers(int maxEntries) {
    if (maxEntries < 2) {
      throw new IllegalArgumentException("maxEntries must be at least 2: " + maxEntries);
    }
    this.generationSize = maxEntries / 2;
    this.current = newGeneration();
  }

  /** The number remembered for {@code userPart}, or null. */
  TelephoneNumber get(String userPart) {
    TelephoneNumber number = current.get(userPart);
    if (number == null) {
      number = previous.get(userPart);
      if (number != null) {
        put(userPart, number);
      }
    }
    return number;
  }

  /** Remembers {@code number} for {@code userPart}. */
  void put(String userPart, TelephoneNumber number) {
    Map<String, TelephoneNumber> generation = current;
    if (generation.putIfAbsent(userPart, number) == null
        && added.incrementAndGet() >= generationSize) {
      rotate(generation);
    }
  }

  /** Numbers held now, both generations (a number moving between them may count twice). */
  int size() {
    return current.size() + previous.size();
  }

  private synchronized void rotate(Map<String, TelephoneNumber> full) {
    if (current != full) {
      return; // another writer rotated it already
    }
    previous = full;
    current = newGeneration();
    added.set(0);
  }

  private Map<String, TelephoneNumber> newGeneration() {
    // Sized so that a full generation never resizes its table.
    return new ConcurrentHashMap<>(generationSize * 4 / 3 + 1);
  }
}
