package org.sipsentry.sip.stir.fetch;

/**
 * The failure breaker of one host: closed until {@code threshold} consecutive failures, then open
 * (fail fast) for the cool-down, then half-open: one probe passes, and its outcome closes or
 * re-opens the breaker. Times are ticker nanoseconds. Thread-safe.
 */
final class HostBreaker {

  private int consecutiveFailures;
  private boolean open;
  private boolean probing;
  private long openUntil;

  /** Whether an attempt may go ahead now; while half-open, only the first caller may. */
  synchronized boolean tryAcquire(long now) {
    if (!open) {
      return true;
    }
    if (probing || now - openUntil < 0) {
      return false;
    }
    probing = true;
    return true;
  }

  /** Records a success: closes the breaker. */
  synchronized void succeeded() {
    consecutiveFailures = 0;
    open = false;
    probing = false;
  }

  /**
   * Records a failure that counts against the host.
   *
   * @return whether the breaker opened (or re-opened after a failed probe)
   */
  synchronized boolean failed(long now, int threshold, long cooldownNanos) {
    consecutiveFailures = consecutiveFailures == Integer.MAX_VALUE ? 1 : consecutiveFailures + 1;
    if (probing || (!open && consecutiveFailures >= threshold)) {
      probing = false;
      open = true;
      openUntil = now + cooldownNanos;
      return true;
    }
    return false;
  }

  /** Whether the breaker is open: refusing, or half-open and waiting for its probe. */
  synchronized boolean isOpen() {
    return open;
  }

  /** Records an attempt that says nothing about the host (e.g. refused locally). */
  synchronized void released() {
    probing = false;
  }
}
