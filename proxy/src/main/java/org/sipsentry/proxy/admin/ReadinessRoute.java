package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /ready}: whether this instance should get calls.
 *
 * <ul>
 *   <li>200 {@code {"status": "ready"}} when nothing is wrong;
 *   <li>503 {@code {"status": "not ready", "not-ready": {"audit-log": "cannot write ..."}}}: each
 *       failing check and why.
 * </ul>
 *
 * The checks only read state others keep up to date (the audit writer checks its file every second
 * on its own thread): no file or network I/O happens on the admin event loop.
 */
public final class ReadinessRoute implements Router.Route {

  private final Supplier<Map<String, String>> problems;

  /**
   * @param problems what is not ready, by check name; empty when ready. Must not block.
   */
  public ReadinessRoute(Supplier<Map<String, String>> problems) {
    this.problems = Objects.requireNonNull(problems, "problems");
  }

  @Override
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    Map<String, String> failing = problems.get();
    Map<String, Object> body = new LinkedHashMap<>();
    if (failing.isEmpty()) {
      body.put("status", "ready");
      return CompletableFuture.completedFuture(AdminResponse.json(HttpResponseStatus.OK, body));
    }
    body.put("status", "not ready");
    body.put("not-ready", new LinkedHashMap<>(failing));
    return CompletableFuture.completedFuture(
        AdminResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE, body));
  }
}
