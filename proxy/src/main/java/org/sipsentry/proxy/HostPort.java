package org.sipsentry.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A literal IP address (or host name for a next hop) and port, written {@code 127.0.0.1:5060} or
 * {@code [::1]:5060}.
 */
public record HostPort(String host, int port) {

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}; throws {@link IllegalArgumentException} naming
   * the text otherwise.
   */
  public static HostPort parse(String text) {
    Objects.requireNonNull(text, "text");
    String expected =
        "\"" + text + "\" is not host:port; expected e.g. 127.0.0.1:5060 or [::1]:5060";
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException(expected);
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || text.indexOf(':') != colon) {
        throw new IllegalArgumentException(expected);
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(port));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(expected, e);
    }
  }

  /** An unresolved socket address; resolution happens off the event loop, at start. */
  public InetSocketAddress toUnresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
