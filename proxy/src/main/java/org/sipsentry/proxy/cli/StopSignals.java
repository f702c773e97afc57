package org.sipsentry.proxy.cli;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (systemd, {@code kill}) and SIGINT (Ctrl-C) into a request to stop gracefully.
 *
 * <p>Without a handler the JVM runs its shutdown hooks and exits with 143 (128 + 15), which systemd
 * and most supervisors count as a failure; with one, {@code run} stops the proxy itself and exits
 * 0. Like {@code Sighup} this uses {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 * guarded: where a signal cannot be handled (a JVM started with {@code -Xrs}), the JVM's own
 * shutdown still closes the proxy through the shutdown hook, with exit code 143.
 */
final class StopSignals {

  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private StopSignals() {}

  /**
   * Installs {@code onSignal}, given the signal's name ({@code SIGTERM}), as the handler of SIGTERM
   * and SIGINT; returns how many of the two could be handled. The JVM calls it on a thread of its
   * own.
   */
  static int install(Consumer<String> onSignal) {
    Objects.requireNonNull(onSignal, "onSignal");
    int installed = 0;
    for (String name : SIGNALS) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name), signal -> onSignal.accept("SIG" + signal.getName()));
        installed++;
      } catch (IllegalArgumentException | LinkageError e) {
        log.warn(
            "SIG{} cannot be handled here ({}); the JVM's shutdown closes the proxy instead",
            name,
            e.toString());
      }
    }
    return installed;
  }
}
