package org.sipsentry.sip.stir.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.Security;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Fetches the certificate an x5u URL points to (RFC 8224 §7.4, RFC 8226 §9) without blocking the
 * caller, under the policy ARCHITECTURE.md sets for attacker-controlled URLs: https only (http
 * where a lab allows it), ports 443/8443, no redirects, no loopback, private, link-local or
 * metadata addresses, size and time caps, negative caching and a per-host breaker (see {@link
 * FetchSettings} for every knob).
 *
 * <p>The whole pipeline of one fetch, in order:
 *
 * <ol>
 *   <li>on the caller's thread, without I/O or lock waits: the cache (a hit returns a completed
 *       stage), a fetch of the same URL already in flight (joined: one network attempt for all),
 *       {@link UrlPolicy} ({@link FetchFailure#REFUSED_URL}), the host's {@link HostBreaker}
 *       ({@link FetchFailure#BREAKER_OPEN}), then a task for the executor ({@link
 *       FetchFailure#OVERLOADED} when its queue is full);
 *   <li>on the executor ({@code sipsentry-x5u-N} threads): DNS resolution, and every address
 *       classified by {@link AddressPolicy}; one that is neither {@link AddressClass#PUBLIC} nor
 *       allowed fails the fetch with {@link FetchFailure#FORBIDDEN_ADDRESS} before any connection;
 *   <li>the JDK {@link HttpClient} (HTTP/1.1, no redirects, no proxy, {@link
 *       FetchSettings#sslContext()} with host name verification): one GET; a status other than 200
 *       and a Content-Length over the cap are refused before the body is read, and the body is read
 *       through {@link CappedBodySubscriber}, which cuts the connection at the cap;
 *   <li>the outcome is recorded (breaker, listener, cache) and the stage completed on the executor,
 *       so that work chained to it (certificate validation) runs there too.
 * </ol>
 *
 * <p>{@link FetchSettings#timeout()} bounds the whole fetch, measured from the moment it was
 * started on the caller's thread: time waiting in the queue, DNS, connect, TLS and the body. When
 * it passes, the stage completes with {@link FetchFailure#TIMEOUT} and the exchange is cancelled. A
 * DNS lookup cannot be interrupted, so a resolver that hangs keeps its executor thread until the
 * system resolver gives up (typically 5–10 s); the stage does not wait for it. A hostile DNS server
 * answering slowly for many distinct names can therefore occupy every thread, and uncached fetches
 * then fail fast with {@code OVERLOADED} (indeterminate) rather than queue without bound.
 *
 * <p><b>DNS rebinding.</b> The addresses are checked after our own resolution, but {@link
 * HttpClient} resolves the host again when it connects (JDK 17 has no way to hand it the checked
 * address while keeping the host name for SNI and certificate verification). What closes the gap in
 * practice is the JDK's own {@link InetAddress} cache: a successful lookup is kept for {@code
 * networkaddress.cache.ttl} seconds (30 by default), so HttpClient's lookup, milliseconds after
 * ours and always well within our 2 s timeout, returns the very answer we checked, whatever TTL the
 * attacker's DNS server gives. What remains: if our lookup lands just before its cache entry
 * expires, HttpClient's may miss the cache and ask DNS again, and a rebinding server could answer
 * with a forbidden address then; and an operator who sets {@code networkaddress.cache.ttl=0}
 * removes the protection altogether (we log a warning at start). A connection reused from
 * HttpClient's pool was made to an address checked when it was opened.
 *
 * <p>Results are cached in Caffeine: a success for {@code Cache-Control: max-age} clamped to
 * [{@link FetchSettings#minTtl() minTtl}, {@link FetchSettings#maxTtl() maxTtl}] ({@code minTtl}
 * without one), a failure that {@link FetchFailure#negativelyCached()} for {@link
 * FetchSettings#negativeTtl() negativeTtl}; bounded by entries and bytes.
 *
 * <p>Thread-safe. {@link #close()} stops the threads and fails the fetches in flight.
 */
public final class CertificateFetcher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CertificateFetcher.class.getName());

  /**
   * Hosts whose breaker is remembered. Beyond this the least recently used go, which only makes the
   * breaker forget: 10,000 hosts of a few dozen bytes each, far more than the certificate
   * repositories of all US carriers.
   */
  private static final int MAX_BREAKER_HOSTS = 10_000;

  /** RFC 8555 §9.1 and the types ATIS-1000080 repositories serve; anything is parsed anyway. */
  private static final String ACCEPT =
      "application/pem-certificate-chain, application/x-pem-file, application/pkix-cert,"
          + " */*;q=0.1";

  /** Failed fetches are logged at DEBUG at most this often: they are bad network input. */
  private static final long DEBUG_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Resolves a host name to all of its addresses; blocking, so only called on the executor. */
  @FunctionalInterface
  interface Resolver {
    /** The system resolver through the JDK's address cache. */
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final FetchSettings settings;
  private final FetchListener listener;
  private final Ticker ticker;
  private final Resolver resolver;
  private final UrlPolicy urlPolicy;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor timer;
  private final HttpClient client;
  private final Cache<String, FetchResult> cache;
  private final Cache<String, HostBreaker> breakers;
  private final ConcurrentMap<String, Attempt> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong nextDebugLog = new AtomicLong(Long.MIN_VALUE);

  /**
   * A fetcher with its own threads and HTTP client.
   *
   * @param settings the policy, limits and cache sizes
   * @param listener told about hits, misses, fetches and breakers, for metrics
   */
  public CertificateFetcher(FetchSettings settings, FetchListener listener) {
    this(settings, listener, Ticker.systemTicker(), Resolver.SYSTEM);
  }

  /**
   * For tests: {@code ticker} drives cache expiry and breaker cool-downs (not the fetch timeout,
   * which is real time); {@code resolver} replaces DNS.
   */
  CertificateFetcher(
      FetchSettings settings, FetchListener listener, Ticker ticker, Resolver resolver) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.urlPolicy = new UrlPolicy(settings);
    this.executor =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(settings.queueCapacity()),
            daemonThreads("sipsentry-x5u-"));
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("sipsentry-x5u-timer-"));
    timer.setRemoveOnCancelPolicy(true);
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(settings.connectTimeout())
            .sslContext(settings.sslContext())
            .build();
    // Every entry weighs at least its share of the byte bound, so that at most cacheMaxEntries
    // fit; rounding the share up may let the bytes exceed cacheMaxBytes by < cacheMaxEntries.
    long minWeight =
        Math.min(Integer.MAX_VALUE, ceilDiv(settings.cacheMaxBytes(), settings.cacheMaxEntries()));
    this.cache =
        Caffeine.newBuilder()
            .ticker(ticker)
            .maximumWeight(minWeight * settings.cacheMaxEntries())
            .weigher((String x5u, FetchResult result) -> weight(x5u, result, (int) minWeight))
            .expireAfter(new Lifetime())
            .build();
    this.breakers = Caffeine.newBuilder().maximumSize(MAX_BREAKER_HOSTS).build();
    warnIfDnsCacheOff();
  }

  /**
   * The certificate body at {@code x5u}, or why there is none. Never blocks the calling thread and
   * never completes exceptionally. A cached result is returned as an already completed stage; a
   * stage that was not complete when returned completes on this fetcher's executor (for a timeout,
   * its timer thread; when the executor's queue is full, the HttpClient thread that read the
   * response), never on the caller's thread.
   *
   * @param x5u the URL (attacker-controlled input)
   */
  public CompletionStage<FetchResult> fetch(String x5u) {
    Objects.requireNonNull(x5u, "x5u");
    FetchResult cached = cache.getIfPresent(x5u);
    if (cached != null) {
      tell(l -> l.cacheHit(x5u));
      return CompletableFuture.completedFuture(cached);
    }
    Attempt pending = inFlight.get(x5u);
    if (pending != null) {
      tell(l -> l.cacheHit(x5u));
      return pending.result.copy();
    }
    tell(l -> l.cacheMiss(x5u));
    UrlPolicy.Decision decision = urlPolicy.check(x5u);
    if (decision instanceof UrlPolicy.Refused refused) {
      FetchResult.Failed failed =
          new FetchResult.Failed(x5u, FetchFailure.REFUSED_URL, refused.reason());
      record(failed);
      return CompletableFuture.completedFuture(failed);
    }
    Attempt attempt = new Attempt(x5u, (UrlPolicy.Accepted) decision);
    Attempt raced = inFlight.putIfAbsent(x5u, attempt);
    if (raced != null) {
      return raced.result.copy();
    }
    // A fetch of this URL may have finished between the cache look-up and putIfAbsent: it puts
    // its result in the cache before it leaves inFlight, so looking again is enough.
    FetchResult finished = cache.getIfPresent(x5u);
    if (finished != null) {
      inFlight.remove(x5u, attempt);
      return CompletableFuture.completedFuture(finished);
    }
    attempt.start();
    return attempt.result.copy();
  }

  /**
   * The executor fetches run on, for the CPU work that follows a fetch (certificate validation), so
   * that it stays off the caller's thread. Bounded: it throws {@link RejectedExecutionException}
   * when its queue is full or the fetcher is closed.
   */
  public Executor executor() {
    return executor;
  }

  /**
   * The number of hosts whose breaker is open now (refusing, or half-open and waiting for its
   * probe), for a gauge. Walks the remembered hosts (at most {@link #MAX_BREAKER_HOSTS}): call it
   * when metrics are read, not per call.
   */
  public int openBreakers() {
    int open = 0;
    for (HostBreaker breaker : breakers.asMap().values()) {
      if (breaker.isOpen()) {
        open++;
      }
    }
    return open;
  }

  /**
   * Stops the threads; fetches in flight complete with {@link FetchFailure#OVERLOADED}, and so do
   * later ones that miss the cache. (JDK 17's HttpClient has no close: its selector thread ends
   * once the client is unreachable.)
   */
  @Override
  public void close() {
    // Fail the fetches in flight first: interrupted threads would otherwise race to finish them
    // with whatever the interruption caused.
    for (Attempt attempt : inFlight.values()) {
      attempt.finish(
          new FetchResult.Failed(attempt.x5u, FetchFailure.OVERLOADED, "fetcher closed"));
    }
    executor.shutdownNow();
    timer.shutdownNow();
  }

  /** One network attempt for one URL, shared by every caller that asks while it runs. */
  private final class Attempt {
    final String x5u;
    final UrlPolicy.Accepted target;
    final CompletableFuture<FetchResult> result = new CompletableFuture<>();
    final long started = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile HostBreaker breaker;
    private volatile ScheduledFuture<?> deadline;
    private volatile CompletableFuture<?> exchange;
    private volatile CappedBodySubscriber body;

    Attempt(String x5u, UrlPolicy.Accepted target) {
      this.x5u = x5u;
      this.target = target;
    }

    /** On the caller's thread: breaker, deadline, hand-off to the executor. */
    void start() {
      HostBreaker hostBreaker = breakers.get(target.host(), host -> new HostBreaker());
      if (!hostBreaker.tryAcquire(ticker.read())) {
        finish(
            failed(
                FetchFailure.BREAKER_OPEN,
                "breaker of " + target.host() + " open after repeated failures"));
        return;
      }
      breaker = hostBreaker;
      try {
        deadline =
            timer.schedule(
                () ->
                    finish(
                        failed(
                            FetchFailure.TIMEOUT,
                            "not fetched within " + settings.timeout().toMillis() + " ms")),
                settings.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        executor.execute(this::resolveAndSend);
      } catch (RejectedExecutionException e) {
        finish(
            failed(
                FetchFailure.OVERLOADED,
                executor.isShutdown()
                    ? "fetcher closed"
                    : "fetch queue full (" + settings.queueCapacity() + " waiting)"));
      }
    }

    /** On the executor: DNS, the address policy, then the request. */
    private void resolveAndSend() {
      if (finished.get()) {
        return; // timed out while queued, or closed
      }
      tell(l -> l.fetchStarted(x5u));
      try {
        InetAddress[] addresses;
        try {
          addresses = resolver.resolve(target.host());
        } catch (UnknownHostException e) {
          finish(failed(FetchFailure.DNS_FAILURE, target.host() + " does not resolve"));
          return;
        }
        if (addresses.length == 0) {
          finish(failed(FetchFailure.DNS_FAILURE, target.host() + " has no address"));
          return;
        }
        for (InetAddress address : addresses) {
          AddressClass kind = AddressPolicy.classify(address);
          if (kind != AddressClass.PUBLIC && !settings.allowedAddressClasses().contains(kind)) {
            finish(
                failed(
                    FetchFailure.FORBIDDEN_ADDRESS,
                    target.host()
                        + " resolves to "
                        + address.getHostAddress()
                        + " ("
                        + kind
                        + ")"));
            return;
          }
        }
        long remaining = settings.timeout().toNanos() - (System.nanoTime() - started);
        if (remaining <= 0 || finished.get()) {
          return; // the deadline has fired or is about to
        }
        HttpRequest request =
            HttpRequest.newBuilder(target.uri())
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", ACCEPT)
                .GET()
                .build();
        CompletableFuture<HttpResponse<FetchResult>> sent =
            client.sendAsync(request, this::subscriber);
        exchange = sent;
        if (finished.get()) {
          sent.cancel(true);
          return;
        }
        sent.whenComplete(
            (response, error) -> handOff(error == null ? response.body() : failure(error)));
      } catch (RuntimeException e) {
        // Our bug (or the JDK's): the policy has accepted the URL, so nothing here should throw.
        LOG.log(System.Logger.Level.ERROR, "x5u fetch of " + x5u + " failed unexpectedly", e);
        finish(failed(FetchFailure.CONNECT_FAILED, "unexpected " + e));
      }
    }

    /** Decides on the status line and headers, before a byte of the body is read. */
    private HttpResponse.BodySubscriber<FetchResult> subscriber(HttpResponse.ResponseInfo info) {
      Optional<Duration> maxAge = CacheControl.maxAge(info.headers().allValues("cache-control"));
      CappedBodySubscriber subscriber =
          new CappedBodySubscriber(
              x5u, settings.maxBodyBytes(), bytes -> new FetchResult.Fetched(x5u, bytes, maxAge));
      body = subscriber;
      FetchResult.Failed refusal = refusal(info);
      if (refusal != null) {
        // Completed before onSubscribe: the subscription is cancelled unread, which closes the
        // connection instead of draining whatever the server sends.
        subscriber.abort(refusal);
      } else if (finished.get()) {
        subscriber.abort(failed(FetchFailure.TIMEOUT, "finished"));
      }
      return subscriber;
    }

    private FetchResult.Failed refusal(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if (status >= 300 && status < 400) {
        return failed(FetchFailure.REDIRECT, "HTTP " + status + ": redirects are not followed");
      }
      if (status >= 500 && status < 600) {
        return failed(FetchFailure.HTTP_SERVER_ERROR, "HTTP " + status);
      }
      if (status != 200) {
        return failed(FetchFailure.HTTP_STATUS, "HTTP " + status);
      }
      Optional<String> length = info.headers().firstValue("content-length");
      if (length.isPresent()) {
        String value = length.get().trim();
        boolean digits = !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (digits && (value.length() > 18 || Long.parseLong(value) > settings.maxBodyBytes())) {
          return failed(
              FetchFailure.TOO_LARGE,
              "Content-Length " + value + " over " + settings.maxBodyBytes() + " bytes");
        }
      }
      return null;
    }

    /** Moves the outcome from an HttpClient thread to the executor (or finishes here if full). */
    private void handOff(FetchResult outcome) {
      if (finished.get()) {
        return;
      }
      try {
        executor.execute(() -> finish(outcome));
      } catch (RejectedExecutionException e) {
        finish(outcome);
      }
    }

    /** Records the outcome and completes the stage; only the first call does anything. */
    void finish(FetchResult outcome) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      ScheduledFuture<?> timeout = deadline;
      if (timeout != null) {
        timeout.cancel(false);
      }
      CompletableFuture<?> sent = exchange;
      if (sent != null && !sent.isDone()) {
        sent.cancel(true);
      }
      CappedBodySubscriber reading = body;
      if (reading != null) {
        reading.abort(outcome);
      }
      HostBreaker hostBreaker = breaker;
      if (hostBreaker != null) {
        account(hostBreaker, outcome);
      }
      record(outcome);
      inFlight.remove(x5u, this);
      result.complete(outcome);
    }

    private void account(HostBreaker hostBreaker, FetchResult outcome) {
      if (!(outcome instanceof FetchResult.Failed failed) || hostAnswered(failed.kind())) {
        hostBreaker.succeeded();
      } else if (failed.kind().countsAgainstHost()) {
        long cooldown = settings.breakerCooldown().toNanos();
        if (hostBreaker.failed(ticker.read(), settings.breakerThreshold(), cooldown)) {
          tell(l -> l.breakerOpened(target.host()));
        }
      } else {
        hostBreaker.released();
      }
    }

    private FetchResult.Failed failed(FetchFailure kind, String detail) {
      return new FetchResult.Failed(x5u, kind, detail);
    }

    private FetchResult.Failed failure(Throwable error) {
      Throwable e =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (e instanceof HttpConnectTimeoutException) {
        // The connect timeout, or the request timeout during connect (which includes TLS).
        return failed(FetchFailure.TIMEOUT, "connect timed out");
      }
      if (e instanceof HttpTimeoutException) {
        return failed(FetchFailure.TIMEOUT, "no response in time");
      }
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof SSLException) {
          return failed(FetchFailure.TLS_FAILURE, "TLS: " + cause.getMessage());
        }
      }
      if (e instanceof ConnectException) {
        return failed(FetchFailure.CONNECT_FAILED, "connect: " + e.getMessage());
      }
      if (e instanceof IOException) {
        return failed(FetchFailure.CONNECT_FAILED, "I/O: " + e);
      }
      if (e instanceof CancellationException) {
        return failed(FetchFailure.TIMEOUT, "cancelled");
      }
      LOG.log(System.Logger.Level.ERROR, "x5u fetch of " + x5u + " failed unexpectedly", e);
      return failed(FetchFailure.CONNECT_FAILED, "unexpected " + e);
    }
  }

  /**
   * Whether the server gave a well-formed answer, which shows the host is up even though the fetch
   * failed: it closes the breaker rather than counting against it.
   */
  private static boolean hostAnswered(FetchFailure kind) {
    return kind == FetchFailure.HTTP_STATUS
        || kind == FetchFailure.REDIRECT
        || kind == FetchFailure.TOO_LARGE;
  }

  /** Listener, cache and debug log for one outcome (not for cache hits). */
  private void record(FetchResult outcome) {
    if (outcome instanceof FetchResult.Fetched fetched) {
      tell(l -> l.fetchSucceeded(fetched.x5u(), fetched.size()));
      cache.put(fetched.x5u(), fetched);
      return;
    }
    FetchResult.Failed failed = (FetchResult.Failed) outcome;
    tell(l -> l.fetchFailed(failed.x5u(), failed.kind()));
    debug(
        () -> "x5u fetch failed: " + failed.kind() + ": " + failed.detail() + ": " + failed.x5u());
    if (failed.kind().negativelyCached() && !settings.negativeTtl().isZero()) {
      cache.put(failed.x5u(), failed);
    }
  }

  private void tell(Consumer<FetchListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "FetchListener threw; ignored", e);
    }
  }

  private void debug(Supplier<String> message) {
    if (!LOG.isLoggable(System.Logger.Level.DEBUG)) {
      return;
    }
    long now = System.nanoTime();
    long next = nextDebugLog.get();
    if ((next == Long.MIN_VALUE || now - next >= 0)
        && nextDebugLog.compareAndSet(next, now + DEBUG_LOG_INTERVAL_NANOS)) {
      LOG.log(System.Logger.Level.DEBUG, message);
    }
  }

  /** How long a result stays cached; see the class comment. */
  private final class Lifetime implements Expiry<String, FetchResult> {
    @Override
    public long expireAfterCreate(String x5u, FetchResult result, long currentTime) {
      return nanos(ttl(result));
    }

    @Override
    public long expireAfterUpdate(
        String x5u, FetchResult result, long currentTime, long currentDuration) {
      return nanos(ttl(result));
    }

    @Override
    public long expireAfterRead(
        String x5u, FetchResult result, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** How many results are cached, after pending evictions; for tests of the bounds. */
  long cacheSize() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** The time to live of a cached result. */
  Duration ttl(FetchResult result) {
    if (result instanceof FetchResult.Fetched fetched) {
      Duration ttl = fetched.maxAge().orElse(settings.minTtl());
      if (ttl.compareTo(settings.minTtl()) < 0) {
        return settings.minTtl();
      }
      return ttl.compareTo(settings.maxTtl()) > 0 ? settings.maxTtl() : ttl;
    }
    return settings.negativeTtl();
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // centuries: Caffeine caps it
    }
  }

  /** Body and key bytes, but at least the entry's share of the byte bound (see FetchSettings). */
  private static int weight(String x5u, FetchResult result, int minWeight) {
    long bytes = 2L * x5u.length();
    if (result instanceof FetchResult.Fetched fetched) {
      bytes += fetched.size();
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(minWeight, bytes));
  }

  private static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void warnIfDnsCacheOff() {
    String ttl = Security.getProperty("networkaddress.cache.ttl");
    String legacy = System.getProperty("sun.net.inetaddr.ttl");
    if ("0".equals(ttl != null ? ttl.trim() : legacy != null ? legacy.trim() : null)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "networkaddress.cache.ttl is 0: the JDK does not cache DNS answers, so the address an"
              + " x5u host is connected to may differ from the one checked (DNS rebinding)");
    }
  }
}
