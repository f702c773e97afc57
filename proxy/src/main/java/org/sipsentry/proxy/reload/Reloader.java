package org.sipsentry.proxy.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.config.ConfigException;
import org.sipsentry.proxy.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file and, when it is valid, swaps the running configuration for it.
 *
 * <p>The file and the files it names (trust anchors, CRLs, lists) are read and validated completely
 * by {@link ConfigLoader} before anything changes, on the calling thread, which must not be an
 * event loop. A file that cannot be used leaves the running configuration as it is. Settings bound
 * at start (listen addresses, the next hop, message limits, the audit log) keep their running
 * values and are reported as needing a restart; everything else applies to transactions that begin
 * after the swap.
 *
 * <p>Counters (the metric an operator alerts on): {@code config.reload.ok}, {@code
 * config.reload.failed}.
 */
public final class Reloader {

  private static final Logger log = LoggerFactory.getLogger(Reloader.class);

  private final Path file;
  private final UnaryOperator<ProxySettings> overrides;
  private final RunningConfig running;
  private final Function<ProxySettings, Generation> build;
  private final ProxyStats stats;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param file the config file
   * @param overrides applied to the file's settings after each load (the command line's)
   * @param running where the new generation goes
   * @param build makes a generation from settings; may throw {@link IllegalArgumentException} or
   *     {@link IllegalStateException} to refuse them
   * @param stats where the outcomes are counted
   */
  public Reloader(
      Path file,
      UnaryOperator<ProxySettings> overrides,
      RunningConfig running,
      Function<ProxySettings, Generation> build,
      ProxyStats stats) {
    this.file = Objects.requireNonNull(file, "file");
    this.overrides = Objects.requireNonNull(overrides, "overrides");
    this.running = Objects.requireNonNull(running, "running");
    this.build = Objects.requireNonNull(build, "build");
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  /** The config file it reloads. */
  public Path file() {
    return file;
  }

  /**
   * Loads the file and swaps it in if it is valid. Reloads run one at a time: this waits for one
   * already running, then for the file to be read and the new generation built (its detector, its
   * certificate fetcher).
   */
  public ReloadOutcome reload() {
    lock.lock();
    try {
      return reloadLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * As {@link #reload}, unless a reload is already running: then it returns empty at once and
   * leaves that one to finish.
   */
  public Optional<ReloadOutcome> tryReload() {
    if (!lock.tryLock()) {
      return Optional.empty();
    }
    try {
      return Optional.of(reloadLocked());
    } finally {
      lock.unlock();
    }
  }

  private ReloadOutcome reloadLocked() {
    ProxySettings loaded;
    try {
      loaded = overrides.apply(ConfigLoader.load(file));
    } catch (ConfigException e) {
      return rejected(
          e.getMessage(),
          e.errors().stream()
              .map(
                  error ->
                      new ReloadOutcome.Problem(
                          Optional.of(error.file()),
                          error.line(),
                          error.keyPath(),
                          error.problem()))
              .toList());
    } catch (IllegalArgumentException e) {
      return rejected(file + ": " + e.getMessage(), List.of(wholeFile(e)));
    }
    ProxySettings old = running.current().settings();
    List<String> needsRestart = needsRestart(old, loaded);
    List<String> applied = applied(old, loaded);
    Generation next;
    try {
      next = build.apply(keepStartOnly(old, loaded));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return rejected(file + ": " + e.getMessage(), List.of(wholeFile(e)));
    }
    long generation = running.swap(next);
    stats.increment("config.reload.ok");
    if (needsRestart.isEmpty()) {
      log.info("config reloaded from {}: generation {}, {}", file, generation, applied);
    } else {
      log.warn(
          "config reloaded from {}: generation {}, {}; kept until restart: {}",
          file,
          generation,
          applied,
          String.join("; ", needsRestart));
    }
    return new ReloadOutcome.Applied(generation, applied, needsRestart);
  }

  private ReloadOutcome.Problem wholeFile(RuntimeException e) {
    return new ReloadOutcome.Problem(
        Optional.of(file), OptionalInt.empty(), "", String.valueOf(e.getMessage()));
  }

  private ReloadOutcome rejected(String error, List<ReloadOutcome.Problem> problems) {
    stats.increment("config.reload.failed");
    log.warn("config reload refused, the running config stays: {}", error);
    return new ReloadOutcome.Rejected(error, problems);
  }

  /**
   * The reloadable settings that differ in {@code loaded}, by key. Number lists, deny and allow
   * lists and the STIR trust anchors have no value equality (compiled lists, patterns,
   * certificates): they are reported as read again, with the files they came from.
   */
  static List<String> applied(ProxySettings running, ProxySettings loaded) {
    List<String> changed = new ArrayList<>();
    DetectorSettings was = running.detector();
    DetectorSettings now = loaded.detector();
    changedTo(changed, "verdict-header", running.verdictHeader(), loaded.verdictHeader());
    if (!running.adminToken().equals(loaded.adminToken())) {
      // Never the token itself: the file it came from, and that it changed.
      changed.add(
          "admin.token-file "
              + loaded.adminToken().map(token -> "token from " + token.file()).orElse("none")
              + " (a new token applies at once)");
    }
    changedTo(
        changed,
        "actions.label.display-name-prefix",
        running.displayNamePrefix().map(prefix -> '"' + prefix + '"'),
        loaded.displayNamePrefix().map(prefix -> '"' + prefix + '"'));
    changedTo(changed, "home-countries", was.homeCountries(), now.homeCountries());
    changedTo(changed, "thresholds.label", was.labelThreshold(), now.labelThreshold());
    changedTo(changed, "thresholds.anonymise", was.anonymiseThreshold(), now.anonymiseThreshold());
    changedTo(changed, "thresholds.block", was.blockThreshold(), now.blockThreshold());
    changedTo(changed, "block-response", was.blockResponse(), now.blockResponse());
    if (!was.trunks().equals(now.trunks())) {
      changed.add("trunks");
    }
    if (!was.rules().equals(now.rules())) {
      changed.add("rules");
    }
    if (!was.options().rateLimits().equals(now.options().rateLimits())) {
      changed.add("rate");
    }
    changedTo(
        changed,
        "lists.signers.allow",
        was.options().signersAllowed(),
        now.options().signersAllowed());
    changedTo(
        changed,
        "lists.signers.deny",
        was.options().signersDenied(),
        now.options().signersDenied());
    if (!loaded.listFiles().isEmpty()) {
      List<String> names = new ArrayList<>();
      loaded.listFiles().forEach(listFile -> names.add(listFile.getFileName().toString()));
      changed.add("number lists read again from " + String.join(", ", names));
    }
    if (loaded.stir().isPresent()) {
      changed.add("stir read again");
    }
    loaded
        .stirSigning()
        .ifPresent(
            signing ->
                changed.add("stir.signing key read again from " + signing.keyFile().getFileName()));
    return changed;
  }

  /** The settings bound when the proxy started whose value differs in {@code loaded}. */
  static List<String> needsRestart(ProxySettings running, ProxySettings loaded) {
    List<String> changed = new ArrayList<>();
    differs(changed, "listen.udp", running.udpListen(), loaded.udpListen());
    differs(changed, "listen.tcp", running.tcpListen(), loaded.tcpListen());
    differs(changed, "next-hop.address", running.nextHop(), loaded.nextHop());
    differs(changed, "next-hop.transport", running.nextHopTransport(), loaded.nextHopTransport());
    differs(
        changed, "limits.max-message-bytes", running.maxMessageBytes(), loaded.maxMessageBytes());
    differs(changed, "limits.max-headers", running.maxHeaders(), loaded.maxHeaders());
    differs(changed, "audit-log", running.auditLog(), loaded.auditLog());
    differs(changed, "audit", running.audit(), loaded.audit());
    differs(changed, "admin.listen", running.adminListen(), loaded.adminListen());
    return changed;
  }

  private static void differs(List<String> changed, String key, Object running, Object loaded) {
    if (!running.equals(loaded)) {
      changed.add(key + " " + shown(loaded) + " (running with " + shown(running) + ")");
    }
  }

  private static void changedTo(List<String> changed, String key, Object was, Object now) {
    if (!was.equals(now)) {
      changed.add(key + " " + shown(was) + " -> " + shown(now));
    }
  }

  private static String shown(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.map(String::valueOf).orElse("none");
    }
    return String.valueOf(value);
  }

  /** {@code loaded} with the start-only settings of {@code running}. */
  static ProxySettings keepStartOnly(ProxySettings running, ProxySettings loaded) {
    return loaded.toBuilder()
        .udpListen(running.udpListen())
        .tcpListen(running.tcpListen())
        .nextHop(running.nextHop())
        .nextHopTransport(running.nextHopTransport())
        .maxMessageBytes(running.maxMessageBytes())
        .maxHeaders(running.maxHeaders())
        .auditLog(running.auditLog())
        .audit(running.audit())
        .adminListen(running.adminListen())
        .build();
  }
}
