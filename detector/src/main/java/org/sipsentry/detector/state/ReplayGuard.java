package org.sipsentry.detector.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers which call first presented each signed PASSporT, to catch replays: a fraudster copies a
 * valid Identity header from one call onto others within its freshness window (RFC 8224 §12.1
 * leaves replay detection to the verifier's local policy).
 *
 * <p>A PASSporT is identified by its JWS signing input ({@code header.payload}: the signed bytes,
 * not the signature text, because one signature has several encodings — loose base64url padding
 * bits, and the (r, n−s) twin of every ECDSA signature) and, separately, by {@code origid} with
 * {@code iat}, which catches a token re-signed with other claims around the same origination.
 * Entries live as long as a PASSporT can pass the freshness check and the cache is bounded; under a
 * flood beyond {@code maxEntries} the oldest are forgotten and a replay of them goes unnoticed,
 * which the bound makes a deliberate trade. Thread-safe.
 */
public final class ReplayGuard {

  private final Cache<String, String> firstCall;

  /**
   * @param validity how long a PASSporT stays acceptable: the freshness window plus the allowed
   *     future skew
   * @param maxEntries the most PASSporTs remembered
   * @param ticker the clock, {@link Ticker#systemTicker()} outside tests
   */
  public ReplayGuard(Duration validity, int maxEntries, Ticker ticker) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive: " + validity);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.firstCall =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(validity)
            .ticker(Objects.requireNonNull(ticker, "ticker"))
            // Maintenance on the recording thread, as in RateCounter.
            .executor(Runnable::run)
            .build();
  }

  /**
   * Records that {@code callId} presents the PASSporT, and tells whether another call did first.
   *
   * @param signingInput the PASSporT's JWS signing input, {@code header.payload}
   * @param origid its {@code origid} claim
   * @param iat its {@code iat} claim
   * @param callId the Call-ID of the INVITE presenting it; retransmissions of that INVITE share it
   *     and are not replays
   * @return the Call-ID that presented it first, when that is another call
   */
  public Optional<String> replayedFrom(
      String signingInput, String origid, long iat, String callId) {
    Objects.requireNonNull(callId, "callId");
    // The signing input is base64url text and a dot, which never holds the ':' of the claims
    // key: it is its own key, without a copy.
    String bySignature = firstCall.asMap().putIfAbsent(signingInput, callId);
    String byClaims =
        origid.isEmpty() ? null : firstCall.asMap().putIfAbsent("o:" + iat + ":" + origid, callId);
    if (bySignature != null && !bySignature.equals(callId)) {
      return Optional.of(bySignature);
    }
    if (byClaims != null && !byClaims.equals(callId)) {
      return Optional.of(byClaims);
    }
    return Optional.empty();
  }
}
