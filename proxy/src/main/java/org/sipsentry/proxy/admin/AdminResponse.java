package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response of the admin endpoint: a status, a JSON body (or a {@link Text}) and extra headers.
 *
 * @param status the HTTP status
 * @param body serialised as JSON by Jackson: maps, lists, strings, numbers; a {@link Text} is sent
 *     as it is
 * @param headers extra header fields, e.g. {@code Allow} or {@code Retry-After}
 */
public record AdminResponse(HttpResponseStatus status, Object body, Map<String, String> headers) {

  public AdminResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /**
   * A body that is not JSON, sent as it is.
   *
   * @param contentType the {@code Content-Type}, e.g. {@code text/plain; version=0.0.4;
   *     charset=utf-8}
   * @param bytes the body
   */
  public record Text(String contentType, byte[] bytes) {
    public Text {
      Objects.requireNonNull(contentType, "contentType");
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  /** A 200 response with a {@link Text} body. */
  public static AdminResponse text(String contentType, byte[] bytes) {
    return json(HttpResponseStatus.OK, new Text(contentType, bytes));
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
