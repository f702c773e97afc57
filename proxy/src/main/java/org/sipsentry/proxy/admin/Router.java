package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Maps a method and an exact path to the route that answers it: 404 for a path it does not know,
 * 405 with {@code Allow} for a method the path does not take. Immutable; build one with {@link
 * #builder()}.
 */
public final class Router {

  /**
   * Answers one request. May complete on any thread; must not block the calling thread (an event
   * loop): slow work goes to an executor of its own.
   */
  @FunctionalInterface
  public interface Route {
    CompletableFuture<AdminResponse> handle(AdminRequest request);
  }

  private final Map<String, Map<String, Route>> routes;

  private Router(Map<String, Map<String, Route>> routes) {
    Map<String, Map<String, Route>> copy = new LinkedHashMap<>();
    routes.forEach((path, byMethod) -> copy.put(path, Map.copyOf(byMethod)));
    this.routes = Map.copyOf(copy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The route's response, or 404/405. */
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    Map<String, Route> byMethod = routes.get(request.path());
    if (byMethod == null) {
      return CompletableFuture.completedFuture(
          AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no resource " + request.path()));
    }
    Route route = byMethod.get(request.method());
    if (route == null) {
      String allowed = String.join(", ", new TreeSet<>(byMethod.keySet()));
      return CompletableFuture.completedFuture(
          AdminResponse.error(
                  HttpResponseStatus.METHOD_NOT_ALLOWED,
                  request.method() + " is not allowed on " + request.path() + "; use " + allowed)
              .withHeader("Allow", allowed));
    }
    return route.handle(request);
  }

  /** Collects routes; a method and path may be given once. */
  public static final class Builder {
    private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();

    private Builder() {}

    public Builder get(String path, Route route) {
      return add("GET", path, route);
    }

    public Builder post(String path, Route route) {
      return add("POST", path, route);
    }

    /** Adds {@code route} for {@code method} on {@code path}. */
    public Builder add(String method, String path, Route route) {
      Objects.requireNonNull(route, "route");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path " + path + " does not start with /");
      }
      Route earlier = routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, route);
      if (earlier != null) {
        throw new IllegalArgumentException(method + " " + path + " has a route already");
      }
      return this;
    }

    public Router build() {
      return new Router(routes);
    }
  }
}
