package org.sipsentry.detector.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Ticker ticker = nanos::get;
  private final ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(65), 10_000, ticker);

  @Test
  void replayedFrom_firstPresentation_isNotAReplay() {
    assertThat(guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a")).isEmpty();
  }

  @Test
  void replayedFrom_retransmissionOfTheSameCall_isNotAReplay() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");

    assertThat(guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a")).isEmpty();
  }

  @Test
  void replayedFrom_sameSignedTokenOnAnotherCall_namesTheFirstCall() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");

    assertThat(guard.replayedFrom("h.p-1", "origid-1", 1000, "call-2@b")).hasValue("call-1@a");
  }

  @Test
  void replayedFrom_sameOrigidAndIatResigned_isAReplay() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");

    assertThat(guard.replayedFrom("h.p-2", "origid-1", 1000, "call-2@b")).hasValue("call-1@a");
    assertThat(guard.replayedFrom("h.p-3", "origid-1", 1001, "call-3@c")).isEmpty();
  }

  @Test
  void replayedFrom_afterTheValidityWindow_isForgotten() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(66));

    assertThat(guard.replayedFrom("h.p-1", "origid-1", 1000, "call-2@b")).isEmpty();
  }
}
