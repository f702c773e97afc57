package org.sipsentry.proxy.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format 0.0.4, or in OpenMetrics 1.0
 * when the {@code Accept} header asks for {@code application/openmetrics-text}.
 *
 * <p>A scrape walks every meter (JVM gauges read MXBeans): it runs on a thread of its own, not on
 * the admin event loop. At most {@link #MAX_QUEUED} scrapes wait; more are answered 503 with {@code
 * Retry-After}.
 */
public final class MetricsRoute implements Router.Route, AutoCloseable {

  /** The Prometheus text exposition format. */
  static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";

  /** OpenMetrics 1.0, asked for by {@code Accept: application/openmetrics-text}. */
  static final String OPENMETRICS_1_0 =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** Scrapes come every few seconds from one or two Prometheus servers: a short queue is plenty. */
  static final int MAX_QUEUED = 4;

  private final PrometheusMeterRegistry registry;
  private final ThreadPoolExecutor scrapes =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(MAX_QUEUED),
          task -> {
            Thread thread = new Thread(task, "sipsentry-metrics");
            thread.setDaemon(true);
            return thread;
          });

  public MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    String contentType =
        request.header("Accept").filter(a -> a.contains("application/openmetrics-text")).isPresent()
            ? OPENMETRICS_1_0
            : TEXT_0_0_4;
    try {
      return CompletableFuture.supplyAsync(
          () ->
              AdminResponse.text(
                  contentType, registry.scrape(contentType).getBytes(StandardCharsets.UTF_8)),
          scrapes);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          AdminResponse.error(
                  HttpResponseStatus.SERVICE_UNAVAILABLE,
                  "too many scrapes waiting; ask again in a second")
              .withHeader("Retry-After", "1"));
    }
  }

  /** Stops the scrape thread. */
  @Override
  public void close() {
    scrapes.shutdownNow();
  }
}
