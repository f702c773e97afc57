package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.proxy.core.StatelessProxyTest.FROM_CALLER;
import static org.sipsentry.proxy.core.StatelessProxyTest.INVITE;
import static org.sipsentry.proxy.core.StatelessProxyTest.NEXT_HOP;
import static org.sipsentry.proxy.core.StatelessProxyTest.bytes;
import static org.sipsentry.proxy.core.StatelessProxyTest.settings;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.audit.AuditRecord;

/** The count a graceful stop waits on: INVITEs whose verdict is not applied yet. */
class InFlightTest {

  private final InFlight inFlight = new InFlight();
  private final StatelessProxyTest.RecordingOutbound outbound =
      new StatelessProxyTest.RecordingOutbound();
  private final List<AuditRecord> audit = new ArrayList<>();
  private final CompletableFuture<Verdict> verdict = new CompletableFuture<>();

  private final StatelessProxy proxy =
      new StatelessProxy(
          settings(Optional.empty()),
          NEXT_HOP,
          call -> verdict,
          outbound,
          audit::add,
          new ProxyStats(),
          Clock.systemUTC(),
          inFlight);

  @Test
  void pending_whileVerdictOutstanding_oneUntilApplied() throws Exception {
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    // A retransmission is absorbed: still one decision.
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(inFlight.pending()).isEqualTo(1);
    assertThat(inFlight.awaitIdle(Duration.ofMillis(30))).isFalse();
    assertThat(outbound.sent).isEmpty();

    verdict.complete(new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(inFlight.pending()).isZero();
    assertThat(inFlight.awaitIdle(Duration.ZERO)).isTrue();
    assertThat(outbound.sent).hasSize(1);
    assertThat(audit).hasSize(1);
  }

  @Test
  void awaitIdle_verdictArrivesWhileWaiting_returnsTrue() throws Exception {
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    Thread later =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                return;
              }
              verdict.complete(
                  new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));
            });
    later.start();

    assertThat(inFlight.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(audit).hasSize(1);
    later.join();
  }

  @Test
  void pending_detectorFails_stillEnds() {
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    verdict.completeExceptionally(new IllegalStateException("bug"));

    assertThat(inFlight.pending()).isZero();
    assertThat(outbound.sent).hasSize(1);
  }
}
