package org.sipsentry.proxy.analyze;

import java.time.Instant;
import java.util.Objects;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Verdict;

/**
 * One initial INVITE of a capture and the verdict the detector gave it.
 *
 * @param packet the number of the packet that completed the INVITE
 * @param time its capture time
 * @param call the call as the proxy would have built it
 * @param verdict the detector's decision
 */
public record AnalysedCall(long packet, Instant time, CallContext call, Verdict verdict) {

  public AnalysedCall {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(verdict, "verdict");
  }
}
