package org.sipsentry.proxy.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sipsentry.detector.Verdict;

/**
 * The decision on one initial INVITE transaction, shared by its retransmissions, its CANCEL and the
 * ACK of a rejection: pending until the detector's verdict has been applied to the INVITE.
 */
final class Decision {

  /** Completed with the verdict once it has been applied to the INVITE; never exceptionally. */
  final CompletableFuture<Verdict> verdict = new CompletableFuture<>();

  private final AtomicBoolean cancelHeld = new AtomicBoolean();

  /** True for the first CANCEL that asks while the verdict is pending, false for any later one. */
  boolean holdCancel() {
    return cancelHeld.compareAndSet(false, true);
  }
}
