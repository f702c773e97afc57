package org.sipsentry.sip.stir.fetch;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.sipsentry.sip.stir.StirFailure;

/** The outcome of one x5u fetch: the raw body, or why there is none. */
public sealed interface FetchResult permits FetchResult.Fetched, FetchResult.Failed {

  /** The x5u URL as the caller passed it. */
  String x5u();

  /**
   * A 200 response's body, unparsed (normally a PEM certificate chain, RFC 8226 §9).
   *
   * @param x5u the URL as the caller passed it
   * @param body the body bytes; copied in and out, so a cached result cannot be altered
   * @param maxAge the response's {@code Cache-Control: max-age}, if it had a valid one
   */
  record Fetched(String x5u, byte[] body, Optional<Duration> maxAge) implements FetchResult {
    public Fetched {
      Objects.requireNonNull(x5u, "x5u");
      body = body.clone();
      Objects.requireNonNull(maxAge, "maxAge");
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    /** The body length in bytes, without copying. */
    public int size() {
      return body.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fetched f
          && x5u.equals(f.x5u)
          && Arrays.equals(body, f.body)
          && maxAge.equals(f.maxAge);
    }

    @Override
    public int hashCode() {
      return Objects.hash(x5u, Arrays.hashCode(body), maxAge);
    }

    @Override
    public String toString() {
      return "Fetched[x5u=" + x5u + ", bytes=" + body.length + ", maxAge=" + maxAge + "]";
    }
  }

  /**
   * No certificate.
   *
   * @param x5u the URL as the caller passed it
   * @param kind what went wrong
   * @param detail a short human-readable explanation, e.g. {@code "HTTP 404"}; it may quote
   *     attacker-controlled text (the URL), so log it as data
   */
  record Failed(String x5u, FetchFailure kind, String detail) implements FetchResult {
    public Failed {
      Objects.requireNonNull(x5u, "x5u");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }

    /** The verification failure this fetch failure amounts to: always CERTIFICATE_UNAVAILABLE. */
    public StirFailure failure() {
      return StirFailure.CERTIFICATE_UNAVAILABLE;
    }
  }
}
