package org.sipsentry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sipsentry.proxy.BearerToken;

class BearerAuthTest {

  private final AtomicReference<Optional<BearerToken>> token =
      new AtomicReference<>(Optional.of(BearerToken.of(Path.of("/etc/admin.token"), "t0ken")));

  private final Router router =
      Router.builder()
          .get("/health", r -> ok())
          .get("/ready", r -> ok())
          .get("/metrics", r -> ok())
          .post("/config/reload", r -> ok())
          .build();

  private final BearerAuth auth = new BearerAuth(token::get, router);

  private static CompletableFuture<AdminResponse> ok() {
    return CompletableFuture.completedFuture(
        AdminResponse.json(HttpResponseStatus.OK, Map.of("ok", true)));
  }

  private AdminResponse send(String method, String path, Map<String, String> headers) {
    return auth.handle(new AdminRequest(method, path, new byte[0], headers)).join();
  }

  @Test
  void handle_withoutAuthorization_401WithBearerChallenge() {
    AdminResponse response = send("GET", "/metrics", Map.of());

    assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"sipsentry\"");
    assertThat(response.body().toString()).contains("Authorization: Bearer");
  }

  @Test
  void handle_wrongToken_401InvalidToken() {
    AdminResponse response = send("POST", "/config/reload", Map.of("authorization", "Bearer t0ke"));

    assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(response.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void handle_rightToken_routed() {
    assertThat(send("GET", "/metrics", Map.of("authorization", "Bearer t0ken")).status())
        .isEqualTo(HttpResponseStatus.OK);
    assertThat(send("GET", "/metrics", Map.of("authorization", "bearer t0ken")).status())
        .as("the scheme is case-insensitive (RFC 7235 §2.1)")
        .isEqualTo(HttpResponseStatus.OK);
    assertThat(send("GET", "/metrics", Map.of("authorization", "Basic t0ken")).status())
        .isEqualTo(HttpResponseStatus.UNAUTHORIZED);
  }

  @Test
  void handle_probes_openWithoutToken() {
    assertThat(send("GET", "/health", Map.of()).status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(send("GET", "/ready", Map.of()).status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(send("POST", "/health", Map.of()).status())
        .as("only GET is open")
        .isEqualTo(HttpResponseStatus.UNAUTHORIZED);
  }

  @Test
  void handle_unknownPathWithoutToken_401Not404() {
    assertThat(send("GET", "/secret", Map.of()).status())
        .isEqualTo(HttpResponseStatus.UNAUTHORIZED);
  }

  @Test
  void handle_noTokenConfigured_everythingRouted() {
    token.set(Optional.empty());

    assertThat(send("GET", "/metrics", Map.of()).status()).isEqualTo(HttpResponseStatus.OK);
  }

  @Test
  void handle_tokenChangedByReload_newOneApplies() {
    token.set(Optional.of(BearerToken.of(Path.of("/etc/admin.token"), "rotated")));

    assertThat(send("GET", "/metrics", Map.of("authorization", "Bearer t0ken")).status())
        .isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    assertThat(send("GET", "/metrics", Map.of("authorization", "Bearer rotated")).status())
        .isEqualTo(HttpResponseStatus.OK);
  }
}
