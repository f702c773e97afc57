package org.sipsentry.proxy;

import java.util.Locale;
import org.sipsentry.sip.stir.fetch.FetchFailure;
import org.sipsentry.sip.stir.fetch.FetchListener;
import org.slf4j.LoggerFactory;

/**
 * Counts what the x5u certificate fetcher does in {@link ProxyStats}: {@code stir.fetch.hit},
 * {@code .miss}, {@code .started}, {@code .ok}, {@code .failed.<kind>} and {@code .breaker_opened}.
 * The URLs and hosts are attacker-controlled, so they never become counter names.
 */
final class FetchCounters implements FetchListener {

  /**
   * A failed fetch is the certificate server's (or the caller's) doing; WARN so that a blocked
   * egress shows, rate-limited because the x5u is chosen by whoever sends the INVITE.
   */
  private static final RateLimitedLog networkLog =
      RateLimitedLog.of(LoggerFactory.getLogger(FetchCounters.class));

  private final ProxyStats stats;

  FetchCounters(ProxyStats stats) {
    this.stats = stats;
  }

  @Override
  public void cacheHit(String x5u) {
    stats.increment("stir.fetch.hit");
  }

  @Override
  public void cacheMiss(String x5u) {
    stats.increment("stir.fetch.miss");
  }

  @Override
  public void fetchStarted(String x5u) {
    stats.increment("stir.fetch.started");
  }

  @Override
  public void fetchSucceeded(String x5u, int bytes) {
    stats.increment("stir.fetch.ok");
  }

  @Override
  public void fetchFailed(String x5u, FetchFailure kind) {
    stats.increment("stir.fetch.failed." + kind.name().toLowerCase(Locale.ROOT));
    networkLog.warn("stir.fetch.failed", "x5u certificate fetch failed ({}): {}", kind, x5u);
  }

  @Override
  public void breakerOpened(String host) {
    stats.increment("stir.fetch.breaker_opened");
  }
}
