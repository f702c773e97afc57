package org.sipsentry.detector.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.RateLimits;
import org.sipsentry.detector.state.RateCounter;
import org.sipsentry.detector.state.ReplayGuard;
import org.sipsentry.sip.TelephoneNumber;
import org.sipsentry.sip.stir.Passport;

/**
 * What the detector remembers across calls, for {@code rate-exceeded} and {@code passport-replay}.
 * Both are bounded (rate counters in Caffeine caches, PASSporTs in {@link ReplayGuard}'s two
 * generations): a flood of distinct callers or tokens evicts the oldest entries instead of growing
 * memory. Thread-safe. A new detector (a reloaded config) starts with empty counts.
 */
final class CallState {

  static final String RATE = "rate-exceeded";
  static final String REPLAY = "passport-replay";

  /** Keys tracked per counter: callers or sources seen within two windows. */
  static final int MAX_RATE_KEYS = 200_000;

  /**
   * How long a PASSporT is remembered: longer than any freshness window a verifier accepts (60 s by
   * default, at most 1 h plus skew by configuration would be unusual), as a token may never
   * legitimately reach two calls.
   */
  static final Duration REPLAY_MEMORY = Duration.ofMinutes(10);

  /** PASSporTs remembered; each entry holds the signed text (a few hundred bytes). */
  static final int MAX_PASSPORTS = 100_000;

  private record Counters(RateLimits limits, RateCounter perCaller, RateCounter perSource) {}

  private final Map<String, Counters> byTrunk = new HashMap<>();
  private final ReplayGuard replays;

  CallState(Map<String, RateLimits> limits, Clock clock) {
    Ticker ticker = ticker(clock);
    for (Map.Entry<String, RateLimits> entry : limits.entrySet()) {
      RateLimits l = entry.getValue();
      byTrunk.put(
          entry.getKey(),
          new Counters(
              l,
              new RateCounter(l.window(), MAX_RATE_KEYS, ticker),
              new RateCounter(l.window(), MAX_RATE_KEYS, ticker)));
    }
    this.replays = new ReplayGuard(REPLAY_MEMORY, MAX_PASSPORTS, ticker);
  }

  /**
   * Counts this call for its caller number and its source address on its trunk, and says when
   * either is over the trunk's limit. A caller without a number is counted by source only.
   */
  Optional<String> rate(CallContext call, Identities ids) {
    Counters counters = byTrunk.get(call.trunk().name());
    if (counters == null) {
      return Optional.empty();
    }
    RateLimits limits = counters.limits();
    String window = seconds(limits.window());
    StringBuilder why = new StringBuilder();
    TelephoneNumber caller = ids.caller().number();
    if (limits.perCaller() > 0 && caller.isNumber()) {
      long calls = counters.perCaller().record(caller.e164());
      if (calls > limits.perCaller()) {
        why.append("caller ")
            .append(caller.e164())
            .append(": ")
            .append(calls)
            .append(" calls in ")
            .append(window)
            .append(" (limit ")
            .append(limits.perCaller())
            .append(')');
      }
    }
    if (limits.perSource() > 0) {
      String source = call.source().getAddress().getHostAddress();
      long calls = counters.perSource().record(source);
      if (calls > limits.perSource()) {
        if (why.length() > 0) {
          why.append("; ");
        }
        why.append("source ")
            .append(source)
            .append(": ")
            .append(calls)
            .append(" calls in ")
            .append(window)
            .append(" (limit ")
            .append(limits.perSource())
            .append(')');
      }
    }
    if (why.length() == 0) {
      return Optional.empty();
    }
    return Optional.of(why.append(" on trunk ").append(call.trunk().name()).toString());
  }

  /** Records the verified PASSporT for this call and says when another call presented it first. */
  Optional<String> replay(CallContext call, Passport passport) {
    Passport.Claims claims = passport.claims();
    return replays
        .replayedFrom(passport.signingInput(), claims.origid(), claims.iat(), call.callId())
        .map(
            first ->
                "PASSporT (origid "
                    + (claims.origid().isEmpty() ? "none" : claims.origid())
                    + ", iat "
                    + claims.iat()
                    + ") was first presented by Call-ID "
                    + first);
  }

  private static String seconds(Duration window) {
    return window.toMillis() % 1000 == 0 ? window.toSeconds() + "s" : window.toMillis() + "ms";
  }

  private static Ticker ticker(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
