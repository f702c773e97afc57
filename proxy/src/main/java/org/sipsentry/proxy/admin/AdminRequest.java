package org.sipsentry.proxy.admin;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to the admin endpoint, copied out of Netty's buffers so a route may finish it on any
 * thread.
 *
 * @param method the method, upper case, e.g. {@code POST}
 * @param path the path without the query, e.g. {@code /config/reload}
 * @param body the body's bytes (at most {@link AdminServer#MAX_BODY_BYTES})
 * @param headers header fields by lower-case name (the first value of a repeated one)
 */
public record AdminRequest(String method, String path, byte[] body, Map<String, String> headers) {

  public AdminRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    body = body.clone();
    headers = Map.copyOf(headers);
  }

  /** A request without header fields. */
  public AdminRequest(String method, String path, byte[] body) {
    this(method, path, body, Map.of());
  }

  /** The value of header field {@code name} (any case), if present. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
