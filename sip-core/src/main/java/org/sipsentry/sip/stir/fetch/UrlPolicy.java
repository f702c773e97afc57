package org.sipsentry.sip.stir.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The checks an x5u URL must pass before any I/O (ATIS-1000074, ARCHITECTURE.md "x5u is
 * attacker-controlled input"). Pure and thread-safe.
 */
final class UrlPolicy {

  /** What the policy decided. */
  sealed interface Decision permits Accepted, Refused {}

  /**
   * The URL may be fetched.
   *
   * @param uri the parsed URL
   * @param host the host to resolve: lower case, IPv6 literals without brackets
   * @param port the explicit or implied port
   */
  record Accepted(URI uri, String host, int port) implements Decision {}

  /** The URL is refused, for {@code reason}. */
  record Refused(String reason) implements Decision {}

  private final FetchSettings settings;

  UrlPolicy(FetchSettings settings) {
    this.settings = settings;
  }

  Decision check(String x5u) {
    if (x5u.length() > settings.maxUrlLength()) {
      return new Refused("URL longer than " + settings.maxUrlLength() + " characters");
    }
    URI uri;
    try {
      uri = new URI(x5u);
    } catch (URISyntaxException e) {
      return new Refused("not a URI: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.isOpaque()) {
      return new Refused("not an absolute hierarchical URL");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    int defaultPort;
    if (scheme.equals("https")) {
      defaultPort = 443;
    } else if (scheme.equals("http") && settings.allowHttp()) {
      defaultPort = 80;
    } else {
      return new Refused("scheme " + scheme + " not allowed");
    }
    if (uri.getRawUserInfo() != null) {
      return new Refused("userinfo not allowed");
    }
    if (uri.getRawQuery() != null) {
      return new Refused("query not allowed");
    }
    if (uri.getRawFragment() != null) {
      return new Refused("fragment not allowed");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      // URI falls back to a registry-based authority when the host or port is malformed.
      return new Refused("no valid host");
    }
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    if (!settings.allowedPorts().contains(port)) {
      return new Refused("port " + port + " not allowed");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Accepted(uri, host.toLowerCase(Locale.ROOT), port);
  }
}
