package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.sipsentry.proxy.BearerToken;

/**
 * Puts the bearer token of RFC 6750 in front of a {@link Router}: when a token is configured, every
 * request but the probes ({@code GET /health}, {@code GET /ready}) must carry {@code Authorization:
 * Bearer <token>}, else it is answered 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3),
 * before the router sees it (so an unknown path says nothing either). The token is read per request
 * from {@code token}, so a reload that changes it applies at once.
 */
public final class BearerAuth {

  /** Answered without a token: load balancers and orchestrators probe them. */
  static final Set<String> OPEN = Set.of("GET /health", "GET /ready");

  private final Supplier<Optional<BearerToken>> token;
  private final Router router;

  public BearerAuth(Supplier<Optional<BearerToken>> token, Router router) {
    this.token = Objects.requireNonNull(token, "token");
    this.router = Objects.requireNonNull(router, "router");
  }

  /** The router's response, or 401. */
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    Optional<BearerToken> required = token.get();
    if (required.isEmpty() || OPEN.contains(request.method() + " " + request.path())) {
      return router.handle(request);
    }
    Optional<String> authorization = request.header("Authorization");
    if (authorization.isPresent() && required.get().accepts(authorization.get())) {
      return router.handle(request);
    }
    String challenge =
        authorization.isEmpty()
            ? "Bearer realm=\"sipsentry\""
            : "Bearer realm=\"sipsentry\", error=\"invalid_token\"";
    return CompletableFuture.completedFuture(
        AdminResponse.error(
                HttpResponseStatus.UNAUTHORIZED,
                authorization.isEmpty()
                    ? "this resource needs Authorization: Bearer <token> (admin.token-file)"
                    : "the bearer token is not the one in admin.token-file")
            .withHeader("WWW-Authenticate", challenge));
  }
}
