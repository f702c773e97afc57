package org.sipsentry.sip.stir.fetch;

/**
 * Observes a {@link CertificateFetcher}, for metrics. Every method has a no-op default.
 *
 * <p>Methods are called on the caller's thread (cache hit or miss, refusals) or on the fetcher's
 * own threads (executor, timer; an HttpClient thread when the executor is saturated); they must be
 * fast and must not throw (an exception is logged as a bug and otherwise ignored). The {@code x5u}
 * and {@code host} arguments are attacker-controlled: don't use them as metric tags.
 */
public interface FetchListener {

  /** Does nothing. */
  FetchListener NONE = new FetchListener() {};

  /** A fetch was answered from the cache, or joined a fetch of the same URL in flight. */
  default void cacheHit(String x5u) {}

  /** A fetch found nothing in the cache and goes to the network (unless refused first). */
  default void cacheMiss(String x5u) {}

  /** A network attempt begins (DNS resolution is its first step). */
  default void fetchStarted(String x5u) {}

  /** A fetch succeeded with a body of {@code bytes} bytes. */
  default void fetchSucceeded(String x5u, int bytes) {}

  /** A fetch failed; called once per failed attempt or refusal, not for cached failures. */
  default void fetchFailed(String x5u, FetchFailure kind) {}

  /** The breaker of {@code host} opened (or re-opened after a failed probe). */
  default void breakerOpened(String host) {}
}
