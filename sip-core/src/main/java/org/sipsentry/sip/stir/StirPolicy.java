package org.sipsentry.sip.stir;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link StirVerifier} accepts beyond RFC 8224/8225/8588 themselves.
 *
 * @param maxAge how old {@code iat} (and the Date header) may be; RFC 8224 §6.2.1 recommends 60 s
 * @param maxFutureSkew how far in the future {@code iat} (and Date) may be, for clock skew
 * @param checkDateHeader also apply the window to the SIP Date header when the request has one (RFC
 *     8224 §6.2.1)
 * @param requireAlgParameter refuse an Identity header without {@code alg} ({@link
 *     StirFailure#UNSUPPORTED_ALG}); RFC 8224 §4.1 lets it default to ES256, the French MAN rules
 *     do not
 * @param rejectExtensionParameters refuse Identity header parameters other than info, alg and ppt
 *     ({@link StirFailure#MALFORMED}), as the French MAN rules do; RFC 8224 §4 allows them
 */
public record StirPolicy(
    Duration maxAge,
    Duration maxFutureSkew,
    boolean checkDateHeader,
    boolean requireAlgParameter,
    boolean rejectExtensionParameters) {

  /** RFC 8224 §6.2.1: 60 s back; 5 s forward for skew; Date checked; alg and extensions lenient. */
  public static final StirPolicy DEFAULT =
      new StirPolicy(Duration.ofSeconds(60), Duration.ofSeconds(5), true, false, false);

  /** {@link #DEFAULT}, with the French MAN v1.7 strictness on Identity header parameters. */
  public static final StirPolicy MAN =
      new StirPolicy(Duration.ofSeconds(60), Duration.ofSeconds(5), true, true, true);

  public StirPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    if (maxAge.isNegative() || maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException(
          "maxAge and maxFutureSkew must not be negative: " + maxAge + ", " + maxFutureSkew);
    }
  }
}
