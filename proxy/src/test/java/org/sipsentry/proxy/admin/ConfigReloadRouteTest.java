package org.sipsentry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipsentry.proxy.reload.ReloadOutcome;

class ConfigReloadRouteTest {

  private static final AdminRequest POST = new AdminRequest("POST", "/config/reload", new byte[0]);

  @Test
  void handle_reloadAlreadyRunning_503WithRetryAfter() {
    ConfigReloadRoute route =
        new ConfigReloadRoute(() -> CompletableFuture.completedFuture(Optional.empty()), () -> 4);

    AdminResponse response = route.handle(POST).join();

    assertThat(response.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(response.headers()).containsEntry("Retry-After", "1");
  }

  @Test
  void handle_applied_200WithGenerationAppliedAndNotApplied() {
    ReloadOutcome applied =
        new ReloadOutcome.Applied(
            5, List.of("thresholds.block 70 -> 40"), List.of("listen.udp 127.0.0.1:5070"));
    ConfigReloadRoute route =
        new ConfigReloadRoute(
            () -> CompletableFuture.completedFuture(Optional.of(applied)), () -> 5);

    AdminResponse response = route.handle(POST).join();

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.body())
        .isEqualTo(
            Map.of(
                "generation",
                5L,
                "applied",
                List.of("thresholds.block 70 -> 40"),
                "not-applied",
                List.of("listen.udp 127.0.0.1:5070: needs restart")));
  }

  @Test
  void handle_rejected_422WithTheRunningGenerationAndEachProblem() {
    Path file = Path.of("/etc/sipsentry/sipsentry.yaml");
    ReloadOutcome rejected =
        new ReloadOutcome.Rejected(
            file + " line 9: thresholds.block: 170 is out of range",
            List.of(
                new ReloadOutcome.Problem(
                    Optional.of(file),
                    OptionalInt.of(9),
                    "thresholds.block",
                    "170 is out of range")));
    ConfigReloadRoute route =
        new ConfigReloadRoute(
            () -> CompletableFuture.completedFuture(Optional.of(rejected)), () -> 3);

    AdminResponse response = route.handle(POST).join();

    assertThat(response.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) response.body();
    assertThat(body).containsEntry("generation", 3L);
    assertThat(body.get("errors"))
        .isEqualTo(
            List.of(
                Map.of(
                    "file",
                    file.toString(),
                    "line",
                    9,
                    "key",
                    "thresholds.block",
                    "problem",
                    "170 is out of range")));
  }
}
