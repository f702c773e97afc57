package org.sipsentry.sip.stir.fetch;

import org.sipsentry.sip.stir.StirFailure;

/**
 * Why an x5u certificate fetch failed. Every kind maps to {@link
 * StirFailure#CERTIFICATE_UNAVAILABLE} (RFC 8224 §6.2.2: 436 Bad Identity Info); the kind is for
 * logs, metrics, the audit line and the "could not complete" decision ({@link #indeterminate()}).
 *
 * <p>Only failures that say the host is down or slow count against its breaker. Answers a healthy
 * server gives for a bad path (404, a redirect, a large file) do not: the x5u URL is chosen by
 * whoever signed the call, and otherwise a few calls naming nonexistent paths on a real certificate
 * repository would open its breaker and fail every honest call that needs it.
 */
public enum FetchFailure {
  /**
   * The URL breaks the policy (scheme, port, userinfo, query, fragment, length); no I/O done. Not
   * cached: checking again is cheaper than remembering, and variants would only fill the cache.
   */
  REFUSED_URL(false, false, false),
  /** The host resolved to an address whose {@link AddressClass} is not allowed; no connection. */
  FORBIDDEN_ADDRESS(false, true, false),
  /** The host name did not resolve. */
  DNS_FAILURE(true, true, true),
  /** The TCP connection was refused or broke. */
  CONNECT_FAILED(true, true, true),
  /** The TLS handshake failed (untrusted certificate, wrong host name, protocol error). */
  TLS_FAILURE(true, true, false),
  /**
   * The connection (TCP and TLS) took longer than the connect timeout, or the whole fetch, from
   * resolution to the last body byte, longer than the timeout.
   */
  TIMEOUT(true, true, true),
  /** The body is larger than the cap (declared in Content-Length, or counted while reading). */
  TOO_LARGE(false, true, false),
  /** The server answered with a status other than 200, a redirect (3xx) or a server error (5xx). */
  HTTP_STATUS(false, true, false),
  /** The server answered with a 5xx: it is in trouble, which says nothing about the call. */
  HTTP_SERVER_ERROR(true, true, true),
  /** The server answered with a 3xx; redirects are never followed. */
  REDIRECT(false, true, false),
  /** The host's breaker is open after repeated failures: no attempt was made. */
  BREAKER_OPEN(false, false, true),
  /** The fetch executor's queue is full (or the fetcher is closed): no attempt was made. */
  OVERLOADED(false, false, true);

  private final boolean countsAgainstHost;
  private final boolean negativelyCached;
  private final boolean indeterminate;

  FetchFailure(boolean countsAgainstHost, boolean negativelyCached, boolean indeterminate) {
    this.countsAgainstHost = countsAgainstHost;
    this.negativelyCached = negativelyCached;
    this.indeterminate = indeterminate;
  }

  /** Whether this failure counts towards opening the host's breaker. */
  public boolean countsAgainstHost() {
    return countsAgainstHost;
  }

  /**
   * Whether a result with this failure is kept in the cache for {@link
   * FetchSettings#negativeTtl()}; failures that made no network attempt are not, so that they clear
   * as soon as their cause does.
   */
  public boolean negativelyCached() {
    return negativelyCached;
  }

  /**
   * Whether this failure says nothing about the call: the certificate could not be obtained because
   * of the network, the server's health or our own load, not because the URL or what it serves is
   * bad. The proxy applies its "could not complete" action (fail-open or fail-closed) to these, and
   * its failure action to the others.
   */
  public boolean indeterminate() {
    return indeterminate;
  }
}
