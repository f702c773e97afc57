package org.sipsentry.proxy.analyze;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The detector's clock while a capture is analysed: set to each INVITE's capture time (or to a
 * fixed {@code --now}) before it is inspected, so that STIR freshness and call rates are judged as
 * at the moment of the call.
 */
final class CaptureClock extends Clock {

  private volatile Instant now = Instant.EPOCH;

  void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
