package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response of the admin endpoint: a status, a JSON body and extra headers.
 *
 * @param status the HTTP status
 * @param body serialised as JSON by Jackson: maps, lists, strings, numbers
 * @param headers extra header fields, e.g. {@code Allow} or {@code Retry-After}
 */
public record AdminResponse(HttpResponseStatus status, Object body, Map<String, String> headers) {

  public AdminResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /** A response without extra headers. */
  public static AdminResponse json(HttpResponseStatus status, Object body) {
    return new AdminResponse(status, body, Map.of());
  }

  /** The body {@code {"error": message}}, with {@code status}. */
  public static AdminResponse error(HttpResponseStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.code());
    body.put("error", message);
    return json(status, body);
  }

  /** This response with one more header field. */
  public AdminResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdminResponse(status, body, more);
  }
}
