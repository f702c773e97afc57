package org.sipsentry.proxy.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The initial INVITEs whose verdict is not applied yet: the detector is still weighing them (a
 * certificate fetch may take a while) or the verdict is queued for its event loop. A graceful stop
 * waits for this to reach zero, so that no call the proxy accepted is left without its forward or
 * answer and its audit line. One instance is shared by every configuration generation.
 */
public final class InFlight {

  /** How often {@link #awaitIdle} looks; a stop is not latency-critical. */
  private static final long POLL_MILLIS = 10;

  private final AtomicInteger pending = new AtomicInteger();

  /** Set once by a graceful stop; never cleared (a stopped proxy is not restarted). */
  private volatile boolean stopping;

  /** A decision started. */
  void begin() {
    pending.incrementAndGet();
  }

  /** A decision was applied (forwarded or answered, audit record queued). */
  void end() {
    pending.decrementAndGet();
  }

  /**
   * A graceful stop began: from now on every generation's proxy answers new out-of-dialog requests
   * 503 with Retry-After instead of judging and forwarding them, while responses and in-dialog
   * requests are still relayed.
   */
  public void stopping() {
    stopping = true;
  }

  /** Whether a graceful stop began (see {@link #stopping()}). */
  public boolean isStopping() {
    return stopping;
  }

  /** The decisions started and not yet applied. */
  public int pending() {
    return pending.get();
  }

  /**
   * Waits until no decision is pending, at most {@code timeout}.
   *
   * @return true when none is pending; false when the time ran out first
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
    return true;
  }
}
