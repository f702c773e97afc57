package org.sipsentry.proxy.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
 * <p>Counters: {@code config.reload.ok}, {@code config.reload.failed}.
 */
public final class Reloader {

  private static final Logger log = LoggerFactory.getLogger(Reloader.class);

  private final Path file;
  private final UnaryOperator<ProxySettings> overrides;
  private final RunningConfig running;
  private final Function<ProxySettings, Generation> build;
  private final ProxyStats stats;

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
   * Loads the file and swaps it in if it is valid. Reloads run one at a time; the caller waits for
   * the file to be read and the new generation built (its detector, its certificate fetcher).
   */
  public synchronized ReloadOutcome reload() {
    ProxySettings loaded;
    try {
      loaded = overrides.apply(ConfigLoader.load(file));
    } catch (ConfigException e) {
      return rejected(e.getMessage());
    } catch (IllegalArgumentException e) {
      return rejected(file + ": " + e.getMessage());
    }
    ProxySettings old = running.current().settings();
    List<String> needsRestart = needsRestart(old, loaded);
    Generation next;
    try {
      next = build.apply(keepStartOnly(old, loaded));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return rejected(file + ": " + e.getMessage());
    }
    running.swap(next);
    stats.increment("config.reload.ok");
    if (needsRestart.isEmpty()) {
      log.info("config reloaded from {}", file);
    } else {
      log.warn(
          "config reloaded from {}; kept until restart: {}", file, String.join("; ", needsRestart));
    }
    return new ReloadOutcome.Applied(needsRestart);
  }

  private ReloadOutcome rejected(String error) {
    stats.increment("config.reload.failed");
    log.warn("config reload refused, the running config stays: {}", error);
    return new ReloadOutcome.Rejected(error);
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
    return changed;
  }

  private static void differs(List<String> changed, String key, Object running, Object loaded) {
    if (!running.equals(loaded)) {
      changed.add(key + " " + shown(loaded) + " (running with " + shown(running) + ")");
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
    return new ProxySettings(
        running.udpListen(),
        running.tcpListen(),
        running.nextHop(),
        running.nextHopTransport(),
        running.maxMessageBytes(),
        running.maxHeaders(),
        loaded.verdictHeader(),
        running.auditLog(),
        loaded.detector(),
        loaded.stir(),
        loaded.displayNamePrefix());
  }
}
