package org.sipsentry.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.sipsentry.detector.Detector;
import org.sipsentry.proxy.admin.AdminResponse;
import org.sipsentry.proxy.admin.AdminServer;
import org.sipsentry.proxy.admin.BearerAuth;
import org.sipsentry.proxy.admin.ConfigReloadRoute;
import org.sipsentry.proxy.admin.MetricsRoute;
import org.sipsentry.proxy.admin.ReadinessRoute;
import org.sipsentry.proxy.admin.Router;
import org.sipsentry.proxy.audit.AuditLog;
import org.sipsentry.proxy.config.ConfigException;
import org.sipsentry.proxy.config.ConfigLoader;
import org.sipsentry.proxy.core.InFlight;
import org.sipsentry.proxy.core.StatelessProxy;
import org.sipsentry.proxy.core.Warmup;
import org.sipsentry.proxy.reload.ConfigWatch;
import org.sipsentry.proxy.reload.Generation;
import org.sipsentry.proxy.reload.ReloadOutcome;
import org.sipsentry.proxy.reload.Reloader;
import org.sipsentry.proxy.reload.RunningConfig;
import org.sipsentry.proxy.stirapi.SigningRoute;
import org.sipsentry.proxy.stirapi.StirServices;
import org.sipsentry.proxy.stirapi.VerificationRoute;
import org.sipsentry.proxy.transport.SipTransports;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.X5uCertificates;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running SipSentry: its listeners, the proxy, the audit log and, when configured, the admin
 * endpoint. Start one with {@link #start}; {@link #reload} swaps in a changed config file (also on
 * a change of a watched file, see {@link #watchFiles}, and on {@code POST /config/reload}); {@link
 * #close} stops accepting, then flushes the audit log.
 */
public final class SipSentry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SipSentry.class);

  /** An upper bound on start-up time spent warming up; it usually takes about a second. */
  private static final Duration WARMUP_BUDGET = Duration.ofSeconds(2);

  private final RunningConfig running;
  private final Optional<Reloader> reloader;
  private final ProxyStats stats;
  private final SipTransports transports;
  private final AuditLog audit;
  private final InFlight inFlight;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final JvmMeters jvmMeters;
  private final MetricsRoute metrics;

  /** Runs the reloads asked for over the admin endpoint, one at a time, off its event loop. */
  private final ExecutorService reloads =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "sipsentry-reload");
            thread.setDaemon(true);
            return thread;
          });

  /** Set while an admin reload is queued or running, so a second one is answered 503. */
  private final AtomicBoolean adminReloading = new AtomicBoolean();

  private final Object watchLock = new Object();
  private ConfigWatch watch;
  private volatile Optional<AdminServer> admin = Optional.empty();

  private SipSentry(
      RunningConfig running,
      Optional<Reloader> reloader,
      ProxyStats stats,
      SipTransports transports,
      AuditLog audit,
      InFlight inFlight) {
    this.inFlight = inFlight;
    this.running = running;
    this.reloader = reloader;
    this.stats = stats;
    this.transports = transports;
    this.audit = audit;
    this.jvmMeters = JvmMeters.bind(stats.registry());
    this.metrics = new MetricsRoute(stats.registry());
  }

  /**
   * Opens the audit log, resolves the next hop and binds the listeners. {@link #reload} refuses: no
   * file to reload from.
   *
   * @throws IOException when a listener cannot be bound, the next hop does not resolve, or the
   *     audit log cannot be opened; the message says which
   */
  public static SipSentry start(ProxySettings settings) throws IOException {
    return start(settings, Optional.empty(), UnaryOperator.identity());
  }

  /**
   * Loads {@code configFile}, applies {@code overrides} (the command line's) and starts as {@link
   * #start(ProxySettings)}; {@link #reload} re-reads the same file under the same overrides.
   *
   * @throws ConfigException when the file cannot be used
   * @throws IOException as {@link #start(ProxySettings)}
   */
  public static SipSentry start(Path configFile, UnaryOperator<ProxySettings> overrides)
      throws ConfigException, IOException {
    ProxySettings settings = overrides.apply(ConfigLoader.load(configFile));
    return start(settings, Optional.of(configFile), overrides);
  }

  private static SipSentry start(
      ProxySettings settings, Optional<Path> configFile, UnaryOperator<ProxySettings> overrides)
      throws IOException {
    InetSocketAddress nextHop =
        new InetSocketAddress(settings.nextHop().host(), settings.nextHop().port());
    if (nextHop.isUnresolved()) {
      throw new IOException("next hop " + settings.nextHop() + " does not resolve");
    }
    ProxyStats stats = new ProxyStats();
    AuditLog audit;
    try {
      audit = AuditLog.open(settings.auditLog(), settings.audit(), stats, Clock.systemUTC());
    } catch (IOException e) {
      throw new IOException("cannot open audit log " + settings.auditLog() + ": " + e, e);
    }
    SipTransports transports = new SipTransports(settings, stats);
    InFlight inFlight = new InFlight();
    Function<ProxySettings, Generation> build =
        s -> generation(s, nextHop, transports, audit, stats, inFlight, Optional.empty());
    Generation first;
    try {
      first =
          generation(
              settings, nextHop, transports, audit, stats, inFlight, Optional.of(WARMUP_BUDGET));
    } catch (RuntimeException e) {
      transports.close();
      closeQuietly(audit);
      throw e;
    }
    RunningConfig running = new RunningConfig(first);
    try {
      transports.bind(running);
    } catch (Exception e) {
      transports.close();
      running.close();
      closeQuietly(audit);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + listenDescription(settings) + ": " + e, e);
    }
    Optional<Reloader> reloader =
        configFile.map(file -> new Reloader(file, overrides, running, build, stats));
    SipSentry sentry = new SipSentry(running, reloader, stats, transports, audit, inFlight);
    if (settings.adminListen().isPresent()) {
      try {
        BearerAuth auth = new BearerAuth(() -> sentry.settings().adminToken(), sentry.routes());
        sentry.admin = Optional.of(AdminServer.start(settings.adminListen().get(), auth::handle));
      } catch (IOException e) {
        sentry.close();
        throw e;
      }
    }
    return sentry;
  }

  /**
   * The admin endpoint's resources. {@code GET /health} answers while the process runs, {@code GET
   * /ready} while it should get calls (see {@link #notReady}); {@code GET /metrics} is the
   * Prometheus scrape; {@code /stir/v1/verification} and {@code /stir/v1/signing} are the STIR REST
   * API for other switches (503 unless configured). A {@link BearerAuth} stands in front when
   * {@code admin.token-file} is set.
   */
  private Router routes() {
    return Router.builder()
        .get(
            "/health",
            request ->
                CompletableFuture.completedFuture(
                    AdminResponse.json(HttpResponseStatus.OK, Map.of("status", "up"))))
        .post("/config/reload", new ConfigReloadRoute(this::reloadAsync, running::generation))
        .get("/metrics", metrics)
        .get("/ready", new ReadinessRoute(this::notReady))
        .post(
            "/stir/v1/verification",
            new VerificationRoute(() -> running.current().stir(), Clock.systemUTC()))
        .post("/stir/v1/signing", new SigningRoute(() -> running.current().stir()))
        .build();
  }

  /**
   * The proxy for {@code settings}: its own detector, and its own certificate fetcher when a trunk
   * verifies STIR/SHAKEN (released with the generation). Warmed up at start only: on a reload the
   * code is hot already.
   */
  private static Generation generation(
      ProxySettings settings,
      InetSocketAddress nextHop,
      SipTransports transports,
      AuditLog audit,
      ProxyStats stats,
      InFlight inFlight,
      Optional<Duration> warmup) {
    Optional<CertificateFetcher> fetcher = Optional.empty();
    Optional<StirVerifier> verifier = Optional.empty();
    // The STIR REST API verifies with the same verifier, so it needs one even when no trunk does.
    boolean restVerifies = settings.stir().isPresent() && settings.adminListen().isPresent();
    if (settings.detector().stirEnabled() || restVerifies) {
      VerificationSettings stir = settings.stir().orElseThrow();
      fetcher = Optional.of(new CertificateFetcher(stir.fetch(), new FetchCounters(stats)));
      stats.track(fetcher.get());
      verifier = Optional.of(verifier(stir, fetcher.get()));
    }
    Detector detector =
        Detector.of(
            settings.detector(),
            settings.detector().stirEnabled() ? verifier : Optional.empty(),
            Clock.systemUTC());
    if (warmup.isPresent()) {
      long warmupStart = System.nanoTime();
      int warmupCalls = Warmup.run(settings, warmup.get());
      log.info(
          "warmed up with {} synthetic calls in {} ms",
          warmupCalls,
          (System.nanoTime() - warmupStart) / 1_000_000);
    }
    StatelessProxy proxy =
        new StatelessProxy(
            settings,
            nextHop,
            detector,
            transports,
            audit::record,
            stats,
            Clock.systemUTC(),
            inFlight);
    Optional<CertificateFetcher> owned = fetcher;
    StirServices stirServices =
        new StirServices(
            verifier,
            settings
                .stirSigning()
                .map(signing -> new PassportSigner(signing.key(), signing.x5u(), Es256.shared())));
    return new Generation(
        settings,
        proxy::onMessage,
        () ->
            owned.ifPresent(
                f -> {
                  stats.untrack(f);
                  f.close();
                }),
        stirServices);
  }

  /**
   * The verifier of the trunks that ask for one: certificates fetched by {@code fetcher}, validated
   * against the configured STI-CA roots and CRLs, ES256 through the fastest provider that loads.
   */
  private static StirVerifier verifier(VerificationSettings stir, CertificateFetcher fetcher) {
    StiCertificateValidator validator =
        new StiCertificateValidator(stir.trustAnchors(), stir.revocationLists());
    X5uCertificates certificates =
        new X5uCertificates(fetcher, validator, VerificationSettings.MAX_VALIDATED_CERTIFICATES);
    Es256 es256 = Es256.shared();
    log.info(
        "STIR/SHAKEN: ES256 via {}{}; {} trust anchor(s) from {}, {} CRL(s); x5u fetch {}",
        es256.providerName(),
        es256.skipped().isEmpty() ? "" : " (skipped: " + String.join("; ", es256.skipped()) + ")",
        stir.trustAnchors().certificates().size(),
        stir.trustAnchors().files().isEmpty()
            ? "memory"
            : stir.trustAnchors().files().get(0).getParent(),
        stir.revocationLists().crls().size(),
        fetchPolicy(stir.fetch()));
    return new StirVerifier(stir.policy(), certificates, es256);
  }

  private static String fetchPolicy(FetchSettings fetch) {
    List<String> classes = new ArrayList<>();
    fetch.allowedAddressClasses().forEach(c -> classes.add(c.name().toLowerCase(Locale.ROOT)));
    return (fetch.allowHttp() ? "http(s)" : "https")
        + " on ports "
        + new java.util.TreeSet<>(fetch.allowedPorts())
        + (classes.isEmpty() ? "" : ", also to " + String.join(", ", classes) + " addresses")
        + ", timeout "
        + fetch.timeout().toMillis()
        + " ms";
  }

  /** The settings new calls run with (the latest successfully reloaded). */
  public ProxySettings settings() {
    return running.current().settings();
  }

  /**
   * Re-reads the config file it was started from, with the files it names, and swaps it in if it is
   * valid; see {@link Reloader}. Blocks while the file is read: never call it on an event loop.
   * Calls already judged finish under the settings they started with.
   *
   * @return what happened; {@link ReloadOutcome.Rejected} when it was started without a file
   */
  public ReloadOutcome reload() {
    if (reloader.isEmpty()) {
      return withoutFile();
    }
    Instant started = Instant.now();
    ReloadOutcome outcome = reloader.get().reload();
    rewatch(started);
    return outcome;
  }

  /**
   * Reloads as {@link #reload} on the reload thread, unless a reload is already running or queued
   * (from any trigger): then it completes empty at once. Never blocks the caller.
   */
  public CompletableFuture<Optional<ReloadOutcome>> reloadAsync() {
    if (reloader.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(withoutFile()));
    }
    if (!adminReloading.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              Instant started = Instant.now();
              Optional<ReloadOutcome> outcome = reloader.get().tryReload();
              rewatch(started);
              return outcome;
            } finally {
              adminReloading.set(false);
            }
          },
          reloads);
    } catch (RejectedExecutionException e) {
      adminReloading.set(false);
      return CompletableFuture.failedFuture(e);
    }
  }

  private ReloadOutcome withoutFile() {
    stats.increment("config.reload.failed");
    return new ReloadOutcome.Rejected(
        "started from settings, not a config file: nothing to reload");
  }

  /**
   * Reloads whenever the config file or one of the number list files it names changes (see {@link
   * ConfigWatch}); after every reload, whatever its trigger, the watch follows the files the
   * running configuration names. Stopped by {@link #close}.
   *
   * @throws IllegalStateException when it was started without a config file, or watches already
   * @throws IOException when a file's directory cannot be watched
   */
  public void watchFiles(Duration debounce) throws IOException {
    if (reloader.isEmpty()) {
      throw new IllegalStateException("started from settings, not a config file: nothing to watch");
    }
    synchronized (watchLock) {
      if (watch != null) {
        throw new IllegalStateException("already watching " + watch.files());
      }
      watch = ConfigWatch.start(watchedFiles(), debounce, this::reload);
    }
  }

  /** The config file and the list files of the running configuration; empty without a file. */
  public List<Path> watchedFiles() {
    List<Path> files = new ArrayList<>();
    configFile().ifPresent(files::add);
    files.addAll(settings().listFiles());
    return files;
  }

  /**
   * Points the watch at the files of the running configuration. A list file the new configuration
   * names for the first time may change after the reload that started at {@code started} read it
   * and before its folder is watched: the watch checks its modification time for that.
   */
  private void rewatch(Instant started) {
    synchronized (watchLock) {
      if (watch == null) {
        return;
      }
      try {
        watch.watch(watchedFiles(), started);
      } catch (IOException e) {
        log.warn(
            "cannot watch every file of the configuration ({}); reload with SIGHUP", e.toString());
      }
    }
  }

  /**
   * What keeps this instance from being ready, by check: {@code listening} (every configured
   * listener is bound), {@code config} (a configuration is in force) and {@code audit-log} (the
   * audit file could be written when last tried or checked, at most about a second ago); empty when
   * ready. Reads state only: safe on an event loop.
   */
  public Map<String, String> notReady() {
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    ProxySettings settings = settings();
    List<String> unbound = new ArrayList<>();
    if (settings.udpListen().isPresent() && udpAddress().isEmpty()) {
      unbound.add("udp " + settings.udpListen().get());
    }
    if (settings.tcpListen().isPresent() && tcpAddress().isEmpty()) {
      unbound.add("tcp " + settings.tcpListen().get());
    }
    if (!unbound.isEmpty()) {
      problems.put("listening", "not bound: " + String.join(", ", unbound));
    }
    if (running.generation() < 1) {
      problems.put("config", "no configuration in force");
    }
    audit.problem().ifPresent(problem -> problems.put("audit-log", problem));
    return problems;
  }

  /** The audit log the proxy writes. */
  public AuditLog audit() {
    return audit;
  }

  /** Where the admin endpoint listens, if it was configured. */
  public Optional<InetSocketAddress> adminAddress() {
    return admin.map(AdminServer::address);
  }

  /** The number of the configuration in force: 1 at start, one more on each applied reload. */
  public long generation() {
    return running.generation();
  }

  /** The config file {@link #reload} reads, if it was started from one. */
  public Optional<Path> configFile() {
    return reloader.map(Reloader::file);
  }

  /** The initial INVITEs being judged right now (their verdict not applied yet). */
  public int inFlight() {
    return inFlight.pending();
  }

  /** Whether {@link #stop} began: new calls are being answered 503. */
  public boolean stopping() {
    return inFlight.isStopping();
  }

  /** What it counted so far. */
  public ProxyStats stats() {
    return stats;
  }

  /** The bound UDP address, if listening on UDP. */
  public Optional<InetSocketAddress> udpAddress() {
    return transports.udpAddress();
  }

  /** The bound TCP address, if listening on TCP. */
  public Optional<InetSocketAddress> tcpAddress() {
    return transports.tcpAddress();
  }

  /** One line for the log: where it listens and where it forwards. */
  public String describe() {
    List<String> listeners = new ArrayList<>();
    udpAddress().ifPresent(address -> listeners.add("udp " + format(address)));
    tcpAddress().ifPresent(address -> listeners.add("tcp " + format(address)));
    ProxySettings settings = settings();
    return "listening on "
        + String.join(", ", listeners)
        + "; next hop "
        + settings.nextHop()
        + settings.nextHopTransport().map(t -> " over " + t).orElse(" (same transport)")
        + "; audit log "
        + settings.auditLog();
  }

  /**
   * A graceful stop: new calls are answered 503 with Retry-After from now on (see {@link
   * InFlight#stopping()}) and the TCP listener stops accepting (see {@link
   * SipTransports#stopAccepting}), while responses and in-dialog requests are still relayed; it
   * waits up to {@code drain} for the INVITEs being judged to be forwarded or answered, then {@link
   * #close closes} and forces the audit log to disk. Takes at most {@code drain} plus the bounded
   * waits of {@link #close} (a few seconds, and up to 10 s for a full audit queue).
   *
   * @return what it did, for the log
   */
  public Stopped stop(Duration drain) throws InterruptedException {
    long start = System.nanoTime();
    inFlight.stopping();
    transports.stopAccepting();
    int pending = inFlight.pending();
    boolean drained = inFlight.awaitIdle(drain);
    int abandoned = inFlight.pending();
    close();
    boolean synced = syncAudit();
    return new Stopped(
        pending,
        abandoned,
        drained,
        synced,
        stats.get("audit.written"),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * What {@link #stop} did.
   *
   * @param pending decisions in flight when it stopped accepting
   * @param abandoned decisions still in flight when the drain time ran out (0 when drained)
   * @param drained whether every decision in flight finished within the drain time
   * @param auditSynced whether the audit log was forced to disk (fsync)
   * @param auditWritten audit records written since start
   * @param took how long the stop took
   */
  public record Stopped(
      int pending,
      int abandoned,
      boolean drained,
      boolean auditSynced,
      long auditWritten,
      Duration took) {}

  /** Forces the closed audit log to disk: fsync on any descriptor of a file flushes all of it. */
  private boolean syncAudit() {
    try (FileChannel file = FileChannel.open(audit.file(), StandardOpenOption.READ)) {
      file.force(true);
      return true;
    } catch (IOException e) {
      log.warn("cannot sync the audit log {} to disk: {}", audit.file(), e.toString());
      return false;
    }
  }

  /**
   * Stops the file watch, the admin endpoint, the listeners and the event loops, then the
   * certificate fetchers, then writes out the audit log. Runs once; later calls return at once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (watchLock) {
      if (watch != null) {
        watch.close();
      }
    }
    admin.ifPresent(AdminServer::close);
    metrics.close();
    jvmMeters.close();
    reloads.shutdownNow();
    transports.close();
    running.close();
    closeQuietly(audit);
  }

  private static void closeQuietly(AuditLog audit) {
    try {
      audit.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String listenDescription(ProxySettings settings) {
    List<String> listeners = new ArrayList<>();
    settings.udpListen().ifPresent(address -> listeners.add("udp " + address));
    settings.tcpListen().ifPresent(address -> listeners.add("tcp " + address));
    return String.join(", ", listeners);
  }

  private static String format(InetSocketAddress address) {
    return new HostPort(address.getAddress().getHostAddress(), address.getPort()).toString();
  }
}
