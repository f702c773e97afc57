package org.sipsentry.proxy.admin;

import java.util.Objects;

/**
 * One request to the admin endpoint, copied out of Netty's buffers so a route may finish it on any
 * thread.
 *
 * @param method the method, upper case, e.g. {@code POST}
 * @param path the path without the query, e.g. {@code /config/reload}
 * @param body the body's bytes (at most {@link AdminServer#MAX_BODY_BYTES})
 */
public record AdminRequest(String method, String path, byte[] body) {

  public AdminRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
