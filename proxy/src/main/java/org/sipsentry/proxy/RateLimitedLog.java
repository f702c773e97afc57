package org.sipsentry.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines for problems the network causes (a malformed message, a TCP reset, an unreachable next
 * hop, a certificate that cannot be fetched): at most {@code burst} lines per kind per interval, so
 * that a flood of bad packets cannot flood the log, the disk or the event loop. A kind is a short
 * fixed key such as {@code "tcp.reset"}, never a value from the network (keys are kept in memory).
 *
 * <p>Each interval starts with the first event of its kind. Events over the burst are counted, not
 * logged; the next line of that kind after the interval (at the same level) is preceded by {@code
 * "<kind>: N similar message(s) suppressed in the last S s"}. The counters in {@link ProxyStats}
 * count every event, logged or not.
 *
 * <p>Thread-safe; cheap when the level is off (one check), and never blocks beyond a short lock per
 * kind, so it may run on an event loop.
 */
public final class RateLimitedLog {

  /** The default burst: enough to see a pattern, few enough to read. */
  public static final int DEFAULT_BURST = 5;

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  /** Bounds the kinds tracked; call sites use a handful of fixed keys, this is a safety net. */
  static final int MAX_KINDS = 256;

  /** Where the kinds past {@link #MAX_KINDS} are counted together. */
  static final String OVERFLOW_KIND = "other";

  private final Logger logger;
  private final int burst;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param logger where lines go
   * @param burst lines per kind per interval, at least 1
   * @param interval the length of an interval, positive
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake in tests)
   */
  public RateLimitedLog(Logger logger, int burst, Duration interval, LongSupplier nanoTime) {
    this.logger = Objects.requireNonNull(logger, "logger");
    if (burst < 1) {
      throw new IllegalArgumentException("burst " + burst + " is below 1");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval " + interval + " is not positive");
    }
    this.burst = burst;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** {@link #DEFAULT_BURST} lines per kind per {@link #DEFAULT_INTERVAL}, on the real clock. */
  public static RateLimitedLog of(Logger logger) {
    return new RateLimitedLog(logger, DEFAULT_BURST, DEFAULT_INTERVAL, System::nanoTime);
  }

  /** Logs at DEBUG, rate-limited per {@code kind}; the arguments as in SLF4J. */
  public void debug(String kind, String format, Object... arguments) {
    log(Level.DEBUG, kind, format, arguments);
  }

  /** Logs at INFO, rate-limited per {@code kind}. */
  public void info(String kind, String format, Object... arguments) {
    log(Level.INFO, kind, format, arguments);
  }

  /** Logs at WARN, rate-limited per {@code kind}. */
  public void warn(String kind, String format, Object... arguments) {
    log(Level.WARN, kind, format, arguments);
  }

  /**
   * Logs {@code format} with {@code arguments} at {@code level} unless {@code kind} used up its
   * burst in the current interval. A trailing {@link Throwable} argument is logged as its {@code
   * toString()} only: a network problem needs no stack trace.
   */
  public void log(Level level, String kind, String format, Object... arguments) {
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    Window window = window(kind);
    long suppressed;
    long now = nanoTime.getAsLong();
    synchronized (window) {
      if (window.started == Long.MIN_VALUE || now - window.started >= intervalNanos) {
        suppressed = window.suppressed;
        window.started = now;
        window.logged = 0;
        window.suppressed = 0;
      } else {
        suppressed = 0;
      }
      if (window.logged >= burst) {
        window.suppressed++;
        return;
      }
      window.logged++;
    }
    if (suppressed > 0) {
      logger
          .atLevel(level)
          .log(
              "{}: {} similar message(s) suppressed in the last {} s",
              kind,
              suppressed,
              Duration.ofNanos(intervalNanos).toSeconds());
    }
    logger.atLevel(level).log(format, oneLine(arguments));
  }

  private Window window(String kind) {
    Window window = windows.get(kind);
    if (window != null) {
      return window;
    }
    if (windows.size() >= MAX_KINDS) {
      return windows.computeIfAbsent(OVERFLOW_KIND, k -> new Window());
    }
    return windows.computeIfAbsent(kind, k -> new Window());
  }

  /**
   * The arguments with throwables reduced to their {@code toString()} and line breaks in strings
   * (which may come from the network) replaced, so that every event stays one line.
   */
  private static Object[] oneLine(Object[] arguments) {
    Object[] copy = arguments.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] instanceof Throwable throwable) {
        copy[i] = throwable.toString();
      }
      if (copy[i] instanceof CharSequence text) {
        copy[i] = text.toString().replace('\r', ' ').replace('\n', ' ');
      }
    }
    return copy;
  }

  /** One kind's current interval. Guarded by its own monitor. */
  private static final class Window {
    long started = Long.MIN_VALUE;
    int logged;
    long suppressed;
  }
}
