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

  @Test
  void replayedFrom_justBeforeTheValidityEnds_stillAReplay() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(65) - 1);

    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-2@b")).hasValue("call-1@a");
  }

  @Test
  void replayedFrom_rememberedAcrossAGenerationChange_untilItsOwnValidityEnds() {
    guard.replayedFrom("h.p-1", "origid-1", 1000, "call-1@a");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(40));
    guard.replayedFrom("h.p-2", "origid-2", 1040, "call-2@b");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(40)); // a new generation; h.p-1 is 80 s old

    assertThat(guard.replayedFrom("h.p-2", "", 1040, "call-3@c")).hasValue("call-2@b");
    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-4@d")).isEmpty();
  }

  @Test
  void replayedFrom_floodBeyondTheBound_holdsAtMostTheBoundAndTheNewestHalf() {
    ReplayGuard small = new ReplayGuard(Duration.ofSeconds(65), 100, ticker);

    for (int i = 0; i < 10_000; i++) {
      small.replayedFrom("h.p-" + i, "", 1000, "call-" + i);
      assertThat(small.size()).isLessThanOrEqualTo(100);
    }

    assertThat(small.replayedFrom("h.p-9999", "", 1000, "other")).hasValue("call-9999");
    assertThat(small.replayedFrom("h.p-9950", "", 1000, "other")).hasValue("call-9950");
    assertThat(small.replayedFrom("h.p-0", "", 1000, "other")).isEmpty();
  }

  @Test
  void replayedFrom_carriedIntoANewGenerationThenExpired_forgotten() {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(30));
    guard.replayedFrom("h.p-1", "", 1000, "call-1@a");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(35)); // the first generation is 65 s old: a new one

    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-2@b")).hasValue("call-1@a");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(30) - 1); // h.p-1 is 65 s - 1 ns old
    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-3@c")).hasValue("call-1@a");
    nanos.addAndGet(1);
    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-4@d")).isEmpty();
    assertThat(guard.replayedFrom("h.p-1", "", 1000, "call-5@e")).hasValue("call-4@d");
  }
}
