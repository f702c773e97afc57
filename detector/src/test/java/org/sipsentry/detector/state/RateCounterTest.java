package org.sipsentry.detector.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateCounterTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Ticker ticker = nanos::get;
  private final RateCounter counter = new RateCounter(Duration.ofSeconds(60), 1_000, ticker);

  @Test
  void record_burstWithinTheWindow_countsEveryEvent() {
    for (int i = 1; i <= 10; i++) {
      assertThat(counter.record("+41446681800")).isEqualTo(i);
      advance(1);
    }
    assertThat(counter.current("+41446681800")).isEqualTo(10);
    assertThat(counter.current("+41999999999")).isZero();
  }

  @Test
  void record_keysAreCountedSeparately() {
    counter.record("a");
    counter.record("a");
    counter.record("b");

    assertThat(counter.current("a")).isEqualTo(2);
    assertThat(counter.current("b")).isEqualTo(1);
  }

  @Test
  void current_previousWindowFadesOutLinearly() {
    for (int i = 0; i < 60; i++) {
      counter.record("k");
    }
    advance(60); // the 60 events are now one full window old: all of the previous window counts
    assertThat(counter.current("k")).isEqualTo(60);
    advance(30); // half of the previous window is still inside the sliding window
    assertThat(counter.current("k")).isEqualTo(30);
    advance(30); // two windows later nothing is left
    assertThat(counter.current("k")).isZero();
  }

  @Test
  void record_steadyRateBelowThreshold_staysAtTheRate() {
    long highest = 0;
    for (int second = 0; second < 600; second++) {
      highest = Math.max(highest, counter.record("steady"));
      advance(1);
    }
    // One event a second over a 60 s window: 60, give or take the rounding of the estimate.
    assertThat(highest).isBetween(60L, 61L);
  }

  @Test
  void record_manyDistinctKeys_memoryStaysBounded() {
    RateCounter small = new RateCounter(Duration.ofSeconds(60), 100, ticker);
    for (int i = 0; i < 10_000; i++) {
      small.record("caller-" + i);
    }

    assertThat(small.trackedKeys()).isLessThanOrEqualTo(100);
  }

  @Test
  void record_keyUsedAcrossAGenerationChange_keepsItsCount() {
    for (int i = 0; i < 5; i++) {
      counter.record("a");
    }
    advance(100);
    assertThat(counter.record("a")).isEqualTo(3); // 1 + 5 * 20/60 of the previous window
    advance(30); // the keys' first generation is now two windows old: a new one starts

    // 1 + 1 * 50/60 of the previous window: "a" kept its windows.
    assertThat(counter.record("a")).isEqualTo(2);
    assertThat(counter.current("a")).isEqualTo(2);
  }

  @Test
  void current_keyUnusedForTwoWindows_forgottenThenDropped() {
    counter.record("a");
    advance(119);
    assertThat(counter.current("a")).isEqualTo(1); // 1/60 of the previous window, rounded up
    advance(120);

    assertThat(counter.current("a")).isEqualTo(0);
    counter.record("b");
    advance(120);
    counter.record("c"); // a generation change later, "a" is dropped
    assertThat(counter.trackedKeys()).isEqualTo(2);
  }

  private void advance(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
