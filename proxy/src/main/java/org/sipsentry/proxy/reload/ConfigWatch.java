package org.sipsentry.proxy.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when a file changes: the JDK {@link WatchService} on the file's directory, on one
 * daemon thread.
 *
 * <p>Both ways editors save are seen: writing the file in place (modify events) and writing a
 * temporary file then renaming it over the original (a create, or a modify, of the file's name).
 * Events are debounced: the action runs once the file has been quiet for the debounce time, so a
 * save in several writes reloads once, after the last. Changes of other files in the directory are
 * ignored, however often they come.
 *
 * <p>Only the file itself is watched, not the files it names (trust anchors, lists): reload those
 * with SIGHUP or {@code SipSentry.reload()}. A file reached through a symbolic link is watched
 * under the name given, in the link's directory.
 */
public final class ConfigWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

  /** Long enough to cover one editor save (write, rename, chmod), short for an operator. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);

  private final WatchService watcher;
  private final Thread thread;

  private ConfigWatch(WatchService watcher, Thread thread) {
    this.watcher = watcher;
    this.thread = thread;
  }

  /**
   * Starts watching {@code file}.
   *
   * @param onChange run on the watch thread after each debounced change; its exceptions are logged
   * @throws IOException when the file's directory cannot be watched
   */
  public static ConfigWatch start(Path file, Duration debounce, Runnable onChange)
      throws IOException {
    Objects.requireNonNull(onChange, "onChange");
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    Path name = absolute.getFileName();
    WatchService watcher = FileSystems.getDefault().newWatchService();
    try {
      directory.register(
          watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    Thread thread =
        new Thread(() -> watch(watcher, name, debounce, onChange), "sipsentry-config-watch");
    thread.setDaemon(true);
    thread.start();
    log.info("watching {} for changes", absolute);
    return new ConfigWatch(watcher, thread);
  }

  private static void watch(WatchService watcher, Path name, Duration debounce, Runnable onChange) {
    try {
      while (true) {
        if (!concerns(watcher.take(), name)) {
          continue;
        }
        // Debounce: wait until no event about the file has come for the whole debounce time.
        // Events about other files of the directory (an audit log, editor swap files) neither
        // trigger nor delay the reload.
        long quietAt = System.nanoTime() + debounce.toNanos();
        long left;
        while ((left = quietAt - System.nanoTime()) > 0) {
          WatchKey next = watcher.poll(left, TimeUnit.NANOSECONDS);
          if (next != null && concerns(next, name)) {
            quietAt = System.nanoTime() + debounce.toNanos();
          }
        }
        try {
          onChange.run();
        } catch (RuntimeException e) {
          log.error("reload after a change of {} failed", name, e);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // close() was called: stop.
    }
  }

  /** Whether any of the key's events is about {@code name}; the key is reset for more. */
  private static boolean concerns(WatchKey key, Path name) {
    boolean concerns = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context())) {
        concerns = true;
      }
    }
    key.reset();
    return concerns;
  }

  /** Stops watching; a reload already running finishes. */
  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      log.warn("closing the watch of the config file: {}", e.toString());
    }
    thread.interrupt();
  }
}
