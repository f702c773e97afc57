package org.sipsentry.detector.state;

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
 * Entries live as long as a PASSporT can pass the freshness check and the memory is bounded; under
 * a flood beyond {@code maxEntries} the oldest are forgotten and a replay of them goes unnoticed,
 * which the bound makes a deliberate trade. Thread-safe.
 *
 * <p>The entries are kept in two {@link Generations} of plain maps: new ones go into the current
 * generation; it becomes the previous one when it is {@code validity} old or holds half of {@code
 * maxEntries}, and the previous one is then dropped whole. An entry is treated as gone once it is
 * {@code validity} old, wherever it is, as an expire-after-write cache would; a generation dropped
 * for age holds only such entries. Every verified call adds two entries: with a Caffeine cache and
 * its maintenance on the calling thread, each paid an eviction (~0.7 µs each measured on calls not
 * seen before, docs/PERFORMANCE.md); here each is a map insertion.
 */
public final class ReplayGuard {

  private final long validityNanos;
  private final Ticker ticker;
  private final Generations<First> generations;

  /** The call that first presented a PASSporT, and when. */
  private record First(String callId, long at) {}

  /**
   * @param validity how long a PASSporT stays acceptable: the freshness window plus the allowed
   *     future skew
   * @param maxEntries the most PASSporT entries remembered (two per PASSporT with an {@code
   *     origid}), at least 2
   * @param ticker the clock, {@link Ticker#systemTicker()} outside tests
   */
  public ReplayGuard(Duration validity, int maxEntries, Ticker ticker) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive: " + validity);
    }
    if (maxEntries < 2) {
      throw new IllegalArgumentException("maxEntries must be at least 2: " + maxEntries);
    }
    this.validityNanos = validity.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.generations = new Generations<>(validity, maxEntries, ticker.read());
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
    long now = ticker.read();
    // The signing input is base64url text and a dot, which never holds the ':' of the claims
    // key: it is its own key, without a copy.
    String bySignature = firstCall(signingInput, callId, now);
    String byClaims = origid.isEmpty() ? null : firstCall("o:" + iat + ":" + origid, callId, now);
    if (bySignature != null && !bySignature.equals(callId)) {
      return Optional.of(bySignature);
    }
    if (byClaims != null && !byClaims.equals(callId)) {
      return Optional.of(byClaims);
    }
    return Optional.empty();
  }

  /** The number of entries held now, expired ones included until their generation is dropped. */
  public int size() {
    return generations.size();
  }

  /**
   * The call remembered for {@code key} if it was written less than the validity ago; else
   * remembers {@code callId} for it now and answers null.
   */
  private String firstCall(String key, String callId, long now) {
    Generations.Generation<First> generation = generations.current(now);
    // Insert first: a PASSporT not seen before (nearly all) then costs one lookup per generation.
    First mine = new First(callId, now);
    First first = generation.map().putIfAbsent(key, mine);
    if (first == null) {
      First earlier = generations.previous().get(key);
      if (earlier != null && now - earlier.at() < validityNanos) {
        // Presented before the generation changed, within the validity: that call stays first.
        generation.map().replace(key, mine, earlier);
        return earlier.callId();
      }
      generations.added(generation, now);
      return null;
    }
    if (now - first.at() < validityNanos) {
      return first.callId();
    }
    // An entry carried over from the previous generation that has expired since: forgotten.
    generation.map().replace(key, first, mine);
    return null;
  }
}
