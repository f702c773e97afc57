package org.sipsentry.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One via-parm of a Via header field (RFC 3261 §20.42).
 *
 * @param transport the transport token as received ({@code UDP}, {@code TCP}, {@code TLS}, ...)
 * @param host the sent-by host as received; an IPv6 reference keeps its {@code []}
 * @param port the sent-by port, or {@code -1} when absent
 * @param parameters the via-params in the order received, names in lower case; a parameter without
 *     a value maps to {@code ""}
 */
public record Via(String transport, String host, int port, Map<String, String> parameters) {

  public Via {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(host, "host");
    if (port < -1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The {@code branch} parameter, or {@code ""} when absent (RFC 3261 §8.1.1.7). */
  public String branch() {
    return parameters.getOrDefault("branch", "");
  }

  /** The {@code received} parameter (RFC 3261 §18.2.1). */
  public Optional<String> received() {
    return Optional.ofNullable(parameters.get("received"));
  }

  /** True when an {@code rport} parameter is present, with or without a value (RFC 3581). */
  public boolean hasRport() {
    return parameters.containsKey("rport");
  }

  /** The value of the {@code rport} parameter when it has a valid port number (RFC 3581 §4). */
  public OptionalInt rport() {
    String value = parameters.get("rport");
    if (value == null || value.isEmpty() || value.length() > 5) {
      return OptionalInt.empty();
    }
    int port = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalInt.empty();
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65_535 ? OptionalInt.of(port) : OptionalInt.empty();
  }

  /** The sent-by as {@code host[:port]}, an IPv6 host in {@code []}. */
  public String sentBy() {
    return port < 0 ? host : host + ":" + port;
  }
}
