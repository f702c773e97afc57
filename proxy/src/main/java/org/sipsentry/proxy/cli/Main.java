package org.sipsentry.proxy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.config.CheckedConfig;
import org.sipsentry.proxy.config.ConfigException;
import org.sipsentry.proxy.config.ConfigLoader;
import org.sipsentry.proxy.reload.ConfigWatch;
import org.sipsentry.proxy.reload.Sighup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code sipsentry} command. Exit codes: 0 success, 1 runtime failure, 2 bad config/usage. */
@Command(
    name = "sipsentry",
    mixinStandardHelpOptions = true,
    version = "SipSentry 0.1.0",
    description = "Caller-ID anti-spoofing SIP proxy.",
    subcommands = {Main.Run.class, Main.CheckConfig.class, Sign.class, Verify.class, Analyze.class})
public final class Main {

  static final int EXIT_FAILURE = 1;
  static final int EXIT_BAD_CONFIG = 2;

  private static final Logger log = LoggerFactory.getLogger("org.sipsentry");

  private static final Duration COUNTER_LOG_INTERVAL = Duration.ofMinutes(1);

  /** The longest {@code --drain-seconds}: systemd's default stop timeout is 90 s. */
  static final int MAX_DRAIN_SECONDS = 60;

  /**
   * What a stop may take after the drain: the event loops (2 s), the certificate fetchers, and the
   * audit writer (up to 10 s for a full queue). docs/deployment.md sizes TimeoutStopSec on it.
   */
  static final int CLOSE_BOUND_SECONDS = 15;

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; returns the exit code. */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return new CommandLine(new Main())
        .registerConverter(HostPort.class, new HostPortConverter())
        .setOut(out)
        .setErr(err)
        .execute(args);
  }

  @Command(name = "run", description = "Run the proxy until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The YAML config file.")
    Path config;

    @Option(
        names = "--listen",
        description = "Listen on HOST:PORT for UDP and TCP (overrides the file).")
    Optional<HostPort> listen;

    @Option(names = "--next-hop", description = "Forward to HOST:PORT (overrides the file).")
    Optional<HostPort> nextHop;

    @Option(
        names = "--drain-seconds",
        defaultValue = "5",
        description =
            "On SIGTERM or SIGINT, wait up to this many seconds (0 to "
                + MAX_DRAIN_SECONDS
                + ") for the calls being judged before closing; default ${DEFAULT-VALUE}. The"
                + " process exits 0 within this plus "
                + CLOSE_BOUND_SECONDS
                + " s.")
    int drainSeconds;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      if (drainSeconds < 0 || drainSeconds > MAX_DRAIN_SECONDS) {
        spec.commandLine()
            .getErr()
            .println(
                "sipsentry: --drain-seconds: "
                    + drainSeconds
                    + " is out of range; expected 0 to "
                    + MAX_DRAIN_SECONDS);
        return EXIT_BAD_CONFIG;
      }
      Duration drain = Duration.ofSeconds(drainSeconds);
      SipSentry sentry;
      try {
        sentry =
            SipSentry.start(
                config, settings -> ConfigLoader.withOverrides(settings, listen, nextHop));
      } catch (ConfigException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return EXIT_BAD_CONFIG;
      } catch (java.io.IOException e) {
        spec.commandLine().getErr().println("sipsentry: " + e.getMessage());
        return EXIT_FAILURE;
      }
      // Reload triggers (docs/operations.md, "Reloading the configuration"): SIGHUP, a change of
      // the file or of a list file it names, and POST /config/reload on the admin endpoint; each
      // reload is validated whole and swapped in, or refused and logged.
      Sighup.install(sentry::reload);
      try {
        sentry.watchFiles(ConfigWatch.DEFAULT_DEBOUNCE);
      } catch (java.io.IOException e) {
        log.warn("cannot watch {} for changes ({}); reload with SIGHUP", config, e.toString());
      }
      // SIGTERM and SIGINT ask the loop below to stop; the shutdown hook stops the proxy when the
      // JVM exits any other way (System.exit elsewhere, or a signal that could not be handled).
      CountDownLatch stopRequested = new CountDownLatch(1);
      AtomicReference<String> reason = new AtomicReference<>("JVM shutdown");
      AtomicBoolean stopping = new AtomicBoolean();
      StopSignals.install(
          signal -> {
            reason.set(signal);
            stopRequested.countDown();
          });
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (stopping.compareAndSet(false, true)) {
                      stop(sentry, drain, reason.get());
                    }
                  },
                  "sipsentry-shutdown"));
      log.info("SipSentry ready: {}", sentry.describe());
      // Until the metrics endpoint exists, the counters go to the log once a minute when they
      // changed (docs/operations.md lists them).
      Map<String, Long> last = Map.of();
      while (!stopRequested.await(COUNTER_LOG_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        Map<String, Long> now = sentry.stats().snapshot();
        if (!now.equals(last)) {
          log.info("counters {}", now);
          last = now;
        }
      }
      if (stopping.compareAndSet(false, true)) {
        stop(sentry, drain, reason.get());
      }
      return 0;
    }

    /**
     * Stops {@code sentry} gracefully and logs one line saying what it did. A watchdog halts the
     * JVM with exit code 1 should the stop itself hang past its bound.
     */
    private static void stop(SipSentry sentry, Duration drain, String reason) {
      Duration bound = drain.plusSeconds(CLOSE_BOUND_SECONDS);
      Thread watchdog =
          new Thread(
              () -> {
                try {
                  Thread.sleep(bound.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                log.error("SipSentry did not stop within {} s; halting", bound.toSeconds());
                Runtime.getRuntime().halt(EXIT_FAILURE);
              },
              "sipsentry-stop-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      log.info(
          "{}: stopping; new calls are answered 503, waiting up to {} s for {} call(s) being judged",
          reason,
          drain.toSeconds(),
          sentry.inFlight());
      try {
        SipSentry.Stopped stopped = sentry.stop(drain);
        log.info(
            "SipSentry stopped in {} ms: {} of {} call(s) in flight finished{}; audit log {} ({}"
                + " records written); counters {}",
            stopped.took().toMillis(),
            stopped.pending() - stopped.abandoned(),
            stopped.pending(),
            stopped.drained() ? "" : " (" + stopped.abandoned() + " abandoned: drain time ran out)",
            stopped.auditSynced() ? "flushed and synced" : "flushed, NOT synced",
            stopped.auditWritten(),
            sentry.stats());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sentry.close();
      } finally {
        watchdog.interrupt();
      }
    }
  }

  @Command(
      name = "check-config",
      description = {
        "Validate a config file. Prints every error and warning on standard error, one per line"
            + " (<file> line <N>: <key>: <problem>; expected <what>), sorted by line.",
        "Exit 0: valid, with a summary on standard output (warnings are settings that can never"
            + " take effect); 2: errors, or the file cannot be read."
      })
  static final class CheckConfig implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The YAML config file.")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        CheckedConfig checked = ConfigLoader.check(config);
        checked.warnings().forEach(warning -> err.println(warning.message()));
        int warnings = checked.warnings().size();
        out.println(
            config
                + ": valid"
                + (warnings == 0
                    ? ""
                    : " with " + warnings + (warnings == 1 ? " warning" : " warnings")));
        out.println(ConfigLoader.summary(checked.settings()));
        return 0;
      } catch (ConfigException e) {
        // One line per error, by line; the exception's own message would add a count line.
        e.errors().forEach(error -> err.println(error.message()));
        return EXIT_BAD_CONFIG;
      }
    }
  }

  private static final class HostPortConverter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return HostPort.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
