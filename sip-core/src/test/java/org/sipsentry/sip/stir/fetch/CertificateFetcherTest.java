package org.sipsentry.sip.stir.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateFetcherTest {

  private static final byte[] CHAIN =
      "-----BEGIN CERTIFICATE-----\nnot parsed here\n-----END CERTIFICATE-----\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** Generous: only ever an upper bound on something that should take milliseconds. */
  private static final long WAIT_SECONDS = 10;

  private final RecordingListener listener = new RecordingListener();
  private final FakeTicker ticker = new FakeTicker();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  // --- SSRF: the address policy ---------------------------------------------------------------

  @Test
  void fetch_loopbackWithDefaults_isForbiddenWithoutConnecting() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = listening.getLocalPort();
      // Only the port is opened up: the address policy alone must stop the fetch.
      CertificateFetcher fetcher =
          fetcher(FetchSettings.builder().allowedPorts(Set.of(443, port)).build());

      FetchResult result = get(fetcher.fetch("https://127.0.0.1:" + port + "/sp.pem"));

      assertFailed(result, FetchFailure.FORBIDDEN_ADDRESS);
      assertThat(((FetchResult.Failed) result).detail()).contains("127.0.0.1", "LOOPBACK");
      listening.setSoTimeout(300);
      assertThatThrownBy(listening::accept).isInstanceOf(SocketTimeoutException.class);
      assertThat(listener.failures).containsExactly(FetchFailure.FORBIDDEN_ADDRESS);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://10.0.0.1/sp.pem",
        "https://169.254.169.254/latest/meta-data",
        "https://172.16.0.1/sp.pem",
        "https://192.168.1.1/sp.pem",
        "https://100.64.0.1/sp.pem",
        "https://0.0.0.0/sp.pem",
        "https://[::1]/sp.pem",
        "https://[::ffff:127.0.0.1]/sp.pem",
        "https://[fe80::1]/sp.pem",
        "https://[fd00::1]/sp.pem",
        "https://[64:ff9b::a00:1]/sp.pem",
        "https://2130706433/sp.pem",
        "https://localhost/sp.pem"
      })
  void fetch_internalAddressWithDefaults_isForbiddenAndCounted(String x5u) throws Exception {
    CertificateFetcher fetcher = fetcher(FetchSettings.defaults());

    FetchResult result = get(fetcher.fetch(x5u));

    assertFailed(result, FetchFailure.FORBIDDEN_ADDRESS);
    assertThat(FetchFailure.FORBIDDEN_ADDRESS.indeterminate()).isFalse();
    assertThat(listener.failures).containsExactly(FetchFailure.FORBIDDEN_ADDRESS);
  }

  @Test
  void fetch_hostWithOnePrivateAddressAmongPublicOnes_isForbidden() throws Exception {
    CertificateFetcher fetcher =
        fetcher(
            FetchSettings.defaults(),
            host ->
                new InetAddress[] {
                  InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1")
                });

    FetchResult result = get(fetcher.fetch("https://cert.example.com/sp.pem"));

    assertFailed(result, FetchFailure.FORBIDDEN_ADDRESS);
    assertThat(((FetchResult.Failed) result).detail()).contains("10.0.0.1");
  }

  @Test
  void fetch_unresolvableHost_isDnsFailureAndIndeterminate() throws Exception {
    CertificateFetcher fetcher =
        fetcher(
            FetchSettings.defaults(),
            host -> {
              throw new UnknownHostException(host);
            });

    FetchResult result = get(fetcher.fetch("https://nowhere.example.com/sp.pem"));

    assertFailed(result, FetchFailure.DNS_FAILURE);
    assertThat(FetchFailure.DNS_FAILURE.indeterminate()).isTrue();
  }

  @Test
  void fetch_refusedUrl_failsWithoutAnyAttempt() throws Exception {
    CertificateFetcher fetcher = fetcher(FetchSettings.defaults());

    CompletionStage<FetchResult> stage = fetcher.fetch("http://cert.example.com/sp.pem");

    assertThat(stage.toCompletableFuture()).isDone();
    assertFailed(get(stage), FetchFailure.REFUSED_URL);
    assertThat(listener.started).hasValue(0);
    assertThat(listener.failures).containsExactly(FetchFailure.REFUSED_URL);
  }

  // --- Lab mode: loopback allowed ---------------------------------------------------------------

  @Test
  void fetch_labHttpsServer_returnsTheBody() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/sp.pem")));

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(((FetchResult.Fetched) result).body()).isEqualTo(CHAIN);
    assertThat(listener.misses).hasValue(1);
    assertThat(listener.started).hasValue(1);
    assertThat(listener.succeeded).hasValue(1);
  }

  @Test
  void fetch_labPlainHttpWhenAllowed_returnsTheBody() throws Exception {
    TestHttpServer server = server(TestHttpServer.http()).serve("/sp.pem", CHAIN);
    CertificateFetcher fetcher = fetcher(lab(server).allowHttp(true).build());

    FetchResult result = get(fetcher.fetch(server.url("/sp.pem")));

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
  }

  @Test
  void fetch_serverCertificateNotTrusted_isTlsFailure() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    // The JDK's default trust store does not know the test CA.
    CertificateFetcher fetcher = fetcher(lab(server).sslContext(null).build());

    assertFailed(get(fetcher.fetch(server.url("/sp.pem"))), FetchFailure.TLS_FAILURE);
  }

  // --- Refused answers --------------------------------------------------------------------------

  @Test
  void fetch_redirect_isRefusedWithoutFollowing() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/target.pem", CHAIN);
    server.serve("/sp.pem", 302, Map.of("Location", server.url("/target.pem")), new byte[0]);
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/sp.pem")));

    assertFailed(result, FetchFailure.REDIRECT);
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
    assertThat(server.requests("/target.pem")).isZero();
  }

  @Test
  void fetch_notFound_isHttpStatusAndDeterminate() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", 404, Map.of(), "no".getBytes(StandardCharsets.US_ASCII));
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/sp.pem")));

    assertFailed(result, FetchFailure.HTTP_STATUS);
    assertThat(((FetchResult.Failed) result).detail()).isEqualTo("HTTP 404");
    assertThat(FetchFailure.HTTP_STATUS.indeterminate()).isFalse();
  }

  @Test
  void fetch_serverError_isIndeterminate() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", 503, Map.of(), new byte[0]);
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/sp.pem")));

    assertFailed(result, FetchFailure.HTTP_SERVER_ERROR);
    assertThat(FetchFailure.HTTP_SERVER_ERROR.indeterminate()).isTrue();
  }

  @Test
  void fetch_tenMegabytesWithContentLength_isTooLargeAndTheConnectionCut() throws Exception {
    CompletableFuture<Boolean> cut = new CompletableFuture<>();
    TestHttpServer server = server(TestHttpServer.https());
    server.handle("/big.pem", exchange -> writeTenMegabytes(exchange, 10 << 20, cut));
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/big.pem")));

    assertFailed(result, FetchFailure.TOO_LARGE);
    assertThat(((FetchResult.Failed) result).detail()).contains("Content-Length");
    assertThat(cut.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("server write failed").isTrue();
  }

  @Test
  void fetch_tenMegabytesChunked_isTooLargeAndTheConnectionCut() throws Exception {
    CompletableFuture<Boolean> cut = new CompletableFuture<>();
    TestHttpServer server = server(TestHttpServer.https());
    server.handle("/big.pem", exchange -> writeTenMegabytes(exchange, 0, cut));
    CertificateFetcher fetcher = fetcher(lab(server).build());

    FetchResult result = get(fetcher.fetch(server.url("/big.pem")));

    assertFailed(result, FetchFailure.TOO_LARGE);
    assertThat(((FetchResult.Failed) result).detail()).contains("larger than 65536");
    assertThat(cut.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("server write failed").isTrue();
  }

  @Test
  void fetch_serverThatNeverAnswers_timesOutWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> accepted = acceptInBackground(silent);
      Duration timeout = Duration.ofMillis(500);
      CertificateFetcher fetcher =
          fetcher(
              FetchSettings.builder()
                  .allowedPorts(Set.of(silent.getLocalPort()))
                  .allowedAddressClasses(Set.of(AddressClass.LOOPBACK))
                  .timeout(timeout)
                  .build());
      long start = System.nanoTime();

      FetchResult result =
          get(fetcher.fetch("https://127.0.0.1:" + silent.getLocalPort() + "/sp.pem"));

      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertFailed(result, FetchFailure.TIMEOUT);
      assertThat(FetchFailure.TIMEOUT.indeterminate()).isTrue();
      assertThat(elapsedMillis).isLessThan(timeout.toMillis() + 3000);
      // The exchange is cancelled: the client side of the connection goes away.
      try (Socket socket = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS)) {
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        InputStream in = socket.getInputStream();
        int read;
        do {
          read = in.read(new byte[4096]);
        } while (read > 0);
        assertThat(read).isEqualTo(-1);
      }
    }
  }

  // --- Single flight and the cache -----------------------------------------------------------

  @Test
  void fetch_tenConcurrentCallsForOneUrl_shareOneRequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestHttpServer server = server(TestHttpServer.https());
    server.handle(
        "/sp.pem",
        exchange -> {
          await(release);
          exchange.sendResponseHeaders(200, CHAIN.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(CHAIN);
          }
        });
    CertificateFetcher fetcher = fetcher(lab(server).build());
    ExecutorService callers = Executors.newFixedThreadPool(10);
    CyclicBarrier together = new CyclicBarrier(10);
    List<Future<CompletionStage<FetchResult>>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        calls.add(
            callers.submit(
                () -> {
                  together.await();
                  return fetcher.fetch(server.url("/sp.pem"));
                }));
      }
      List<CompletionStage<FetchResult>> stages = new ArrayList<>();
      for (Future<CompletionStage<FetchResult>> call : calls) {
        stages.add(call.get(WAIT_SECONDS, TimeUnit.SECONDS));
      }
      release.countDown();

      for (CompletionStage<FetchResult> stage : stages) {
        assertThat(get(stage)).isInstanceOf(FetchResult.Fetched.class);
      }
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
    assertThat(listener.started).hasValue(1);
  }

  @Test
  void fetch_success_isCachedAndReturnedAlreadyComplete() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    CertificateFetcher fetcher = fetcher(lab(server).build());
    FetchResult first = get(fetcher.fetch(server.url("/sp.pem")));

    CompletionStage<FetchResult> second = fetcher.fetch(server.url("/sp.pem"));

    assertThat(second.toCompletableFuture()).isCompletedWithValue(first);
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
    assertThat(listener.hits).hasValue(1);
  }

  @Test
  void fetch_maxAge_isHonouredBetweenMinAndMaxTtl() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", 200, Map.of("Cache-Control", "public, max-age=600"), CHAIN);
    CertificateFetcher fetcher =
        fetcher(lab(server).minTtl(Duration.ofSeconds(60)).maxTtl(Duration.ofHours(1)).build());
    get(fetcher.fetch(server.url("/sp.pem")));

    ticker.advance(Duration.ofSeconds(599));
    get(fetcher.fetch(server.url("/sp.pem")));
    assertThat(server.requests("/sp.pem")).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    get(fetcher.fetch(server.url("/sp.pem")));
    assertThat(server.requests("/sp.pem")).isEqualTo(2);
  }

  @Test
  void ttl_isMaxAgeClampedToMinAndMaxTtl() {
    CertificateFetcher fetcher =
        fetcher(
            FetchSettings.builder()
                .minTtl(Duration.ofHours(24))
                .maxTtl(Duration.ofDays(7))
                .negativeTtl(Duration.ofSeconds(30))
                .build());

    assertThat(fetcher.ttl(fetched(Optional.empty()))).isEqualTo(Duration.ofHours(24));
    assertThat(fetcher.ttl(fetched(Optional.of(Duration.ofMinutes(5)))))
        .isEqualTo(Duration.ofHours(24));
    assertThat(fetcher.ttl(fetched(Optional.of(Duration.ofDays(2))))).isEqualTo(Duration.ofDays(2));
    assertThat(fetcher.ttl(fetched(Optional.of(Duration.ofDays(365)))))
        .isEqualTo(Duration.ofDays(7));
    assertThat(
            fetcher.ttl(new FetchResult.Failed("https://x/", FetchFailure.HTTP_STATUS, "HTTP 404")))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fetch_failure_isNegativelyCachedForNegativeTtl() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", 404, Map.of(), new byte[0]);
    CertificateFetcher fetcher = fetcher(lab(server).negativeTtl(Duration.ofSeconds(30)).build());
    get(fetcher.fetch(server.url("/sp.pem")));

    CompletionStage<FetchResult> cached = fetcher.fetch(server.url("/sp.pem"));
    assertThat(cached.toCompletableFuture()).isDone();
    assertFailed(get(cached), FetchFailure.HTTP_STATUS);
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
    assertThat(listener.failures).hasSize(1);

    ticker.advance(Duration.ofSeconds(31));
    assertFailed(get(fetcher.fetch(server.url("/sp.pem"))), FetchFailure.HTTP_STATUS);
    assertThat(server.requests("/sp.pem")).isEqualTo(2);
  }

  @Test
  void fetch_bodiesOverTheByteBound_evictEarlierEntries() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    byte[] body = new byte[60 * 1024];
    for (int i = 0; i < 4; i++) {
      server.serve("/sp" + i + ".pem", body);
    }
    CertificateFetcher fetcher =
        fetcher(lab(server).maxBodyBytes(64 * 1024).cacheMaxBytes(128 * 1024).build());

    for (int i = 0; i < 4; i++) {
      assertThat(get(fetcher.fetch(server.url("/sp" + i + ".pem"))))
          .isInstanceOf(FetchResult.Fetched.class);
    }

    assertThat(fetcher.cacheSize()).isEqualTo(2);
  }

  @Test
  void fetch_smallBodies_areBoundedByCacheMaxEntries() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    for (int i = 0; i < 5; i++) {
      server.serve("/sp" + i + ".pem", CHAIN);
    }
    CertificateFetcher fetcher = fetcher(lab(server).cacheMaxEntries(3).build());

    for (int i = 0; i < 5; i++) {
      get(fetcher.fetch(server.url("/sp" + i + ".pem")));
    }

    assertThat(fetcher.cacheSize()).isEqualTo(3);
  }

  // --- Breaker and overload ----------------------------------------------------------------------

  @Test
  void fetch_breaker_opensAfterThresholdAndProbesAfterCooldown() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/down.pem", 503, Map.of(), new byte[0]);
    server.serve("/sp.pem", CHAIN);
    CertificateFetcher fetcher =
        fetcher(
            lab(server)
                .breakerThreshold(3)
                .breakerCooldown(Duration.ofSeconds(60))
                .negativeTtl(Duration.ZERO)
                .build());
    for (int i = 0; i < 2; i++) {
      assertFailed(get(fetcher.fetch(server.url("/down.pem"))), FetchFailure.HTTP_SERVER_ERROR);
    }
    assertThat(fetcher.openBreakers()).as("below the threshold").isZero();
    assertFailed(get(fetcher.fetch(server.url("/down.pem"))), FetchFailure.HTTP_SERVER_ERROR);
    assertThat(listener.breakersOpened).containsExactly("127.0.0.1");
    assertThat(fetcher.openBreakers()).isEqualTo(1);

    FetchResult open = get(fetcher.fetch(server.url("/sp.pem")));
    assertFailed(open, FetchFailure.BREAKER_OPEN);
    assertThat(FetchFailure.BREAKER_OPEN.indeterminate()).isTrue();
    assertThat(server.requests("/sp.pem")).isZero();

    ticker.advance(Duration.ofSeconds(61));
    assertThat(get(fetcher.fetch(server.url("/sp.pem")))).isInstanceOf(FetchResult.Fetched.class);
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
    assertThat(fetcher.openBreakers()).as("closed by the successful probe").isZero();
    assertThat(get(fetcher.fetch(server.url("/down.pem"))))
        .as("closed again: the next failure is a fetch, not a breaker refusal")
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> assertThat(failed.kind()).isEqualTo(FetchFailure.HTTP_SERVER_ERROR));
  }

  @Test
  void fetch_failedProbe_reopensTheBreaker() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/down.pem", 503, Map.of(), new byte[0]);
    CertificateFetcher fetcher =
        fetcher(lab(server).breakerThreshold(2).negativeTtl(Duration.ZERO).build());
    get(fetcher.fetch(server.url("/down.pem")));
    get(fetcher.fetch(server.url("/down.pem")));

    ticker.advance(Duration.ofSeconds(61));
    assertFailed(get(fetcher.fetch(server.url("/down.pem"))), FetchFailure.HTTP_SERVER_ERROR);

    assertFailed(get(fetcher.fetch(server.url("/down.pem"))), FetchFailure.BREAKER_OPEN);
    assertThat(listener.breakersOpened).hasSize(2);
    assertThat(server.requests("/down.pem")).isEqualTo(3);
  }

  @Test
  void fetch_notFoundsOnAHealthyHost_doNotOpenItsBreaker() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    for (int i = 0; i < 5; i++) {
      server.serve("/missing" + i, 404, Map.of(), "no".getBytes(StandardCharsets.US_ASCII));
    }
    CertificateFetcher fetcher = fetcher(lab(server).breakerThreshold(2).build());
    for (int i = 0; i < 5; i++) {
      assertFailed(get(fetcher.fetch(server.url("/missing" + i))), FetchFailure.HTTP_STATUS);
    }

    assertThat(get(fetcher.fetch(server.url("/sp.pem")))).isInstanceOf(FetchResult.Fetched.class);
    assertThat(listener.breakersOpened).isEmpty();
  }

  @Test
  void fetch_queueFull_isOverloadedWithoutWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch resolving = new CountDownLatch(1);
    CertificateFetcher fetcher =
        fetcher(
            FetchSettings.builder()
                .threads(1)
                .queueCapacity(1)
                .timeout(Duration.ofSeconds(30))
                .build(),
            host -> {
              resolving.countDown();
              await(release);
              throw new UnknownHostException(host);
            });
    try {
      CompletionStage<FetchResult> running = fetcher.fetch("https://a.example.com/sp.pem");
      assertThat(resolving.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      CompletionStage<FetchResult> queued = fetcher.fetch("https://b.example.com/sp.pem");

      CompletionStage<FetchResult> refused = fetcher.fetch("https://c.example.com/sp.pem");

      assertThat(refused.toCompletableFuture()).isDone();
      assertFailed(get(refused), FetchFailure.OVERLOADED);
      assertThat(FetchFailure.OVERLOADED.indeterminate()).isTrue();
      assertThat(running.toCompletableFuture()).isNotDone();
      assertThat(queued.toCompletableFuture()).isNotDone();
    } finally {
      release.countDown();
    }
  }

  @Test
  void close_failsFetchesInFlightAndLaterOnes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CertificateFetcher fetcher =
        fetcher(
            FetchSettings.builder().timeout(Duration.ofSeconds(30)).build(),
            host -> {
              await(release);
              throw new UnknownHostException(host);
            });
    try {
      CompletionStage<FetchResult> pending = fetcher.fetch("https://a.example.com/sp.pem");

      fetcher.close();

      assertFailed(get(pending), FetchFailure.OVERLOADED);
      assertFailed(get(fetcher.fetch("https://b.example.com/sp.pem")), FetchFailure.OVERLOADED);
    } finally {
      release.countDown();
    }
  }

  @Test
  void fetch_slowServer_doesNotDelayAnotherHost() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestHttpServer slow = server(TestHttpServer.https());
    slow.handle("/sp.pem", exchange -> await(release));
    TestHttpServer fast = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    CertificateFetcher fetcher =
        fetcher(
            lab(slow)
                .allowedPorts(Set.of(slow.port(), fast.port()))
                .timeout(Duration.ofSeconds(30))
                .build());
    try {
      CompletionStage<FetchResult> stalled = fetcher.fetch(slow.url("/sp.pem"));

      assertThat(get(fetcher.fetch(fast.url("/sp.pem")))).isInstanceOf(FetchResult.Fetched.class);
      assertThat(stalled.toCompletableFuture()).isNotDone();
    } finally {
      release.countDown();
    }
  }

  @Test
  void fetch_listenerThatThrows_doesNotBreakTheFetch() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", CHAIN);
    FetchListener throwing =
        new FetchListener() {
          @Override
          public void fetchSucceeded(String x5u, int bytes) {
            throw new IllegalStateException("listener bug");
          }
        };
    CertificateFetcher fetcher =
        closing(
            new CertificateFetcher(
                lab(server).build(), throwing, ticker, CertificateFetcher.Resolver.SYSTEM));

    assertThat(get(fetcher.fetch(server.url("/sp.pem")))).isInstanceOf(FetchResult.Fetched.class);
  }

  // --- Helpers -------------------------------------------------------------------------------

  private static FetchSettings.Builder lab(TestHttpServer server) {
    return FetchSettings.builder()
        .allowedPorts(Set.of(server.port()))
        .allowedAddressClasses(Set.of(AddressClass.LOOPBACK))
        .sslContext(TestHttpServer.clientSslContext())
        .timeout(Duration.ofSeconds(5));
  }

  private CertificateFetcher fetcher(FetchSettings settings) {
    return fetcher(settings, CertificateFetcher.Resolver.SYSTEM);
  }

  private CertificateFetcher fetcher(FetchSettings settings, CertificateFetcher.Resolver resolver) {
    return closing(new CertificateFetcher(settings, listener, ticker, resolver));
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private TestHttpServer server(TestHttpServer server) {
    return closing(server);
  }

  private static FetchResult get(CompletionStage<FetchResult> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void assertFailed(FetchResult result, FetchFailure kind) {
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class, failed -> assertThat(failed.kind()).isEqualTo(kind));
  }

  private static FetchResult.Fetched fetched(Optional<Duration> maxAge) {
    return new FetchResult.Fetched("https://x/", CHAIN, maxAge);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS * 3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes 10 MiB (declared, or chunked when {@code declared} is 0); tells whether it broke. */
  private static void writeTenMegabytes(
      com.sun.net.httpserver.HttpExchange exchange, long declared, CompletableFuture<Boolean> cut) {
    byte[] chunk = new byte[64 * 1024];
    try {
      exchange.sendResponseHeaders(200, declared);
      OutputStream out = exchange.getResponseBody();
      for (int written = 0; written < (10 << 20); written += chunk.length) {
        out.write(chunk);
        out.flush();
      }
      out.close();
      cut.complete(false);
    } catch (IOException e) {
      cut.complete(true);
    }
  }

  private static CompletableFuture<Socket> acceptInBackground(ServerSocket server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return server.accept();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
