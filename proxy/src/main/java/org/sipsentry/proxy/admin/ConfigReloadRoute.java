package org.sipsentry.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sipsentry.proxy.reload.ReloadOutcome;

/**
 * {@code POST /config/reload}: reloads the configuration and answers when it is applied or refused.
 *
 * <ul>
 *   <li>200 {@code {"generation": 3, "applied": [...], "not-applied": [...]}}: the new
 *       configuration runs; {@code not-applied} lists the changes that need a restart;
 *   <li>422 {@code {"generation": 2, "errors": [{"file", "line", "key", "problem"}]}}: refused, the
 *       running generation stays;
 *   <li>503 with {@code Retry-After}: a reload (from any trigger) is already running.
 * </ul>
 *
 * The reload itself runs on the reload executor behind {@code reload}, never on the event loop.
 */
public final class ConfigReloadRoute implements Router.Route {

  /** Seconds a client should wait before asking again while a reload runs. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final Supplier<CompletableFuture<Optional<ReloadOutcome>>> reload;
  private final LongSupplier generation;

  /**
   * @param reload starts a reload off the caller's thread; completes empty when one is already
   *     running
   * @param generation the number of the configuration in force
   */
  public ConfigReloadRoute(
      Supplier<CompletableFuture<Optional<ReloadOutcome>>> reload, LongSupplier generation) {
    this.reload = Objects.requireNonNull(reload, "reload");
    this.generation = Objects.requireNonNull(generation, "generation");
  }

  @Override
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    return reload.get().thenApply(this::response);
  }

  private AdminResponse response(Optional<ReloadOutcome> outcome) {
    if (outcome.isEmpty()) {
      return AdminResponse.error(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              "a reload is already running; ask again when it has finished")
          .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (outcome.get() instanceof ReloadOutcome.Applied applied) {
      body.put("generation", applied.generation());
      body.put("applied", applied.applied());
      List<String> notApplied = new ArrayList<>();
      applied.needsRestart().forEach(change -> notApplied.add(change + ": needs restart"));
      body.put("not-applied", notApplied);
      return AdminResponse.json(HttpResponseStatus.OK, body);
    }
    ReloadOutcome.Rejected rejected = (ReloadOutcome.Rejected) outcome.get();
    body.put("generation", generation.getAsLong());
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ReloadOutcome.Problem problem : rejected.problems()) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("file", problem.file().map(String::valueOf).orElse(null));
      error.put("line", problem.line().isPresent() ? problem.line().getAsInt() : null);
      error.put("key", problem.key());
      error.put("problem", problem.problem());
      errors.add(error);
    }
    body.put("errors", errors);
    body.put("message", rejected.error());
    return AdminResponse.json(HttpResponseStatus.UNPROCESSABLE_ENTITY, body);
  }
}
