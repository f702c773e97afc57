package org.sipsentry.proxy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
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
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    log.info("SipSentry stopping; counters {}", sentry.stats());
                    sentry.close();
                    stopped.countDown();
                  },
                  "sipsentry-shutdown"));
      log.info("SipSentry ready: {}", sentry.describe());
      // Until the metrics endpoint exists, the counters go to the log once a minute when they
      // changed (docs/operations.md lists them).
      Map<String, Long> last = Map.of();
      while (!stopped.await(COUNTER_LOG_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        Map<String, Long> now = sentry.stats().snapshot();
        if (!now.equals(last)) {
          log.info("counters {}", now);
          last = now;
        }
      }
      return 0;
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
