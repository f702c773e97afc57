package org.sipsentry.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the proxy counted since it started. Lock-free; read at any time from any thread. Every
 * message that is not forwarded is counted under the reason it was not.
 */
public final class ProxyStats {

  /** Counters by name; names are stable and documented in docs/troubleshooting. */
  private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

  /** Adds one to {@code name}. */
  public void increment(String name) {
    counters.computeIfAbsent(name, key -> new LongAdder()).increment();
  }

  /** The current value of {@code name}, 0 if it was never incremented. */
  public long get(String name) {
    LongAdder adder = counters.get(name);
    return adder == null ? 0 : adder.sum();
  }

  /** A sorted snapshot of every counter. */
  public Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counters.forEach((name, adder) -> snapshot.put(name, adder.sum()));
    return snapshot;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
