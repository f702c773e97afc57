package org.sipsentry.sip.stir.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code max-age} from Cache-Control header values (RFC 9111 §5.2.2.1). */
final class CacheControl {

  /** Longer than any sensible TTL; larger values are clamped to it rather than overflowing. */
  private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;

  private CacheControl() {}

  /** The first valid {@code max-age} directive, if any; a malformed one is ignored. */
  static Optional<Duration> maxAge(List<String> values) {
    for (String value : values) {
      for (String directive : value.split(",", 64)) {
        String d = directive.trim().toLowerCase(Locale.ROOT);
        if (!d.startsWith("max-age=")) {
          continue;
        }
        String n = d.substring("max-age=".length());
        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
          n = n.substring(1, n.length() - 1);
        }
        if (n.isEmpty() || n.length() > 18 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
          continue;
        }
        return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(n), MAX_SECONDS)));
      }
    }
    return Optional.empty();
  }
}
