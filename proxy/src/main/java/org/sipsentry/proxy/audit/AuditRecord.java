package org.sipsentry.proxy.audit;

import java.time.Instant;
import java.util.Objects;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Verdict;

/**
 * The audit log's view of one initial INVITE transaction: the call as the detector saw it and what
 * it decided.
 *
 * @param time when the verdict was reached
 * @param call the call
 * @param verdict the decision
 */
public record AuditRecord(Instant time, CallContext call, Verdict verdict) {

  public AuditRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(verdict, "verdict");
  }
}
