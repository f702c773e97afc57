package org.sipsentry.proxy.reload;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP, the Unix convention for "re-read your configuration".
 *
 * <p>The JDK has no supported signal API; this uses {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}, present in every OpenJDK build and Corretto), guarded: where it is missing, or
 * the signal cannot be handled (Windows, or a JVM started with {@code -Xrs}), {@link #install} logs
 * why and returns false, and the proxy runs on without it (the file watch and {@code
 * SipSentry.reload()} still work). The JVM runs each handler call on a new thread of its own, so
 * the action may block.
 */
public final class Sighup {

  private static final Logger log = LoggerFactory.getLogger(Sighup.class);

  private Sighup() {}

  /** Installs {@code action} as the SIGHUP handler; false, with a log line, if it cannot be. */
  public static boolean install(Runnable action) {
    Objects.requireNonNull(action, "action");
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          signal -> {
            log.info("SIGHUP: reloading the configuration");
            try {
              action.run();
            } catch (RuntimeException e) {
              log.error("reload on SIGHUP failed", e);
            }
          });
      return true;
    } catch (IllegalArgumentException | LinkageError e) {
      log.warn(
          "SIGHUP cannot be handled here ({}); reload through the file watch instead",
          e.toString());
      return false;
    }
  }
}
