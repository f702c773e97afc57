package org.sipsentry.proxy.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when one of a set of files changes: the JDK {@link WatchService} on the files'
 * directories, on one daemon thread.
 *
 * <p>Both ways editors save are seen: writing the file in place (modify events) and writing a
 * temporary file then renaming it over the original (a create, or a modify, of the file's name).
 * Events are debounced: the action runs once the files have been quiet for the debounce time, so a
 * save in several writes (or of several files) reloads once, after the last. Changes of other files
 * in the directories are ignored, however often they come.
 *
 * <p>The set can be replaced while watching ({@link #watch}): after a reload the config file may
 * name other list files. A file reached through a symbolic link is watched under the name given, in
 * the link's directory.
 */
public final class ConfigWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

  /** Long enough to cover one editor save (write, rename, chmod), short for an operator. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);

  /**
   * Linux stamps file times from a coarse clock, up to a jiffy (10 ms at 100 Hz) behind the time
   * the JDK reads: a file counts as modified since a read when its time is at most this much before
   * it. The cost is an extra reload for a file saved just before the read.
   */
  private static final Duration MTIME_SLACK = Duration.ofMillis(20);

  /** How often the watch thread looks for a change missed while a new file was registered. */
  private static final Duration MISSED_CHECK = Duration.ofMillis(100);

  private final WatchService watcher;
  private final Map<Path, WatchKey> directories = new HashMap<>();
  private volatile Set<Path> files = Set.of();

  /** Set when a newly watched file changed before its directory was registered. */
  private final AtomicBoolean missed = new AtomicBoolean();

  private Thread thread;

  private ConfigWatch(WatchService watcher) {
    this.watcher = watcher;
  }

  /**
   * Starts watching {@code file}.
   *
   * @param onChange run on the watch thread after each debounced change; its exceptions are logged
   * @throws IOException when the file's directory cannot be watched
   */
  public static ConfigWatch start(Path file, Duration debounce, Runnable onChange)
      throws IOException {
    return start(List.of(file), debounce, onChange);
  }

  /**
   * Starts watching {@code files}.
   *
   * @param onChange run on the watch thread after each debounced change of any of them; its
   *     exceptions are logged
   * @throws IOException when a file's directory cannot be watched
   */
  public static ConfigWatch start(Collection<Path> files, Duration debounce, Runnable onChange)
      throws IOException {
    Objects.requireNonNull(debounce, "debounce");
    Objects.requireNonNull(onChange, "onChange");
    ConfigWatch watch = new ConfigWatch(FileSystems.getDefault().newWatchService());
    try {
      watch.watch(files);
    } catch (IOException | RuntimeException e) {
      watch.watcher.close();
      throw e;
    }
    Thread thread = new Thread(() -> watch.run(debounce, onChange), "sipsentry-config-watch");
    thread.setDaemon(true);
    watch.thread = thread;
    thread.start();
    return watch;
  }

  /**
   * Watches {@code files} from now on instead of the files watched so far: the directories of new
   * files are registered, those no file needs any more are dropped.
   *
   * @throws IOException when the directory of a new file cannot be watched; the files of the
   *     directories that could be registered are watched
   */
  public void watch(Collection<Path> files) throws IOException {
    watch(files, Instant.MAX);
  }

  /**
   * As {@link #watch(Collection)}, for files just read at {@code readSince}: a newly watched file
   * modified since then changed between being read and being watched, unseen, so it counts as a
   * change (once its directory is registered, the watch sees the rest). Relies on the file system's
   * modification times being finer than the time between the read and the change (Linux ext4, xfs
   * and tmpfs keep nanoseconds).
   */
  public synchronized void watch(Collection<Path> files, Instant readSince) throws IOException {
    Set<Path> wanted = new LinkedHashSet<>();
    files.forEach(file -> wanted.add(file.toAbsolutePath().normalize()));
    Set<Path> wantedDirectories = new LinkedHashSet<>();
    wanted.forEach(file -> wantedDirectories.add(file.getParent()));
    IOException failed = null;
    for (Path directory : wantedDirectories) {
      if (!directories.containsKey(directory)) {
        try {
          directories.put(
              directory,
              directory.register(
                  watcher,
                  StandardWatchEventKinds.ENTRY_CREATE,
                  StandardWatchEventKinds.ENTRY_MODIFY));
        } catch (IOException e) {
          failed = e;
          wanted.removeIf(file -> file.getParent().equals(directory));
        }
      }
    }
    directories
        .entrySet()
        .removeIf(
            entry -> {
              if (wantedDirectories.contains(entry.getKey())) {
                return false;
              }
              entry.getValue().cancel();
              return true;
            });
    Set<Path> before = this.files;
    this.files = Set.copyOf(wanted);
    if (!wanted.equals(before)) {
      log.info("watching {} for changes", wanted);
    }
    for (Path file : wanted) {
      if (!before.contains(file) && modifiedSince(file, readSince)) {
        log.info("{} changed before it was watched: reloading again", file);
        missed.set(true);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** The files watched now, absolute. */
  public Set<Path> files() {
    return files;
  }

  private static boolean modifiedSince(Path file, Instant since) {
    try {
      return since != Instant.MAX
          && !Files.getLastModifiedTime(file).toInstant().isBefore(since.minus(MTIME_SLACK));
    } catch (IOException e) {
      // Gone or unreadable: the reload it would trigger reports that.
      return true;
    }
  }

  private void run(Duration debounce, Runnable onChange) {
    try {
      while (true) {
        WatchKey key = watcher.poll(MISSED_CHECK.toNanos(), TimeUnit.NANOSECONDS);
        boolean changed = key != null && concerns(key);
        if (!(missed.getAndSet(false) || changed)) {
          continue;
        }
        // Debounce: wait until no event about a watched file has come for the whole debounce
        // time. Events about other files of the directories (an audit log, editor swap files)
        // neither trigger nor delay the reload.
        long quietAt = System.nanoTime() + debounce.toNanos();
        long left;
        while ((left = quietAt - System.nanoTime()) > 0) {
          WatchKey next = watcher.poll(left, TimeUnit.NANOSECONDS);
          if ((next != null && concerns(next)) || missed.getAndSet(false)) {
            quietAt = System.nanoTime() + debounce.toNanos();
          }
        }
        try {
          onChange.run();
        } catch (RuntimeException e) {
          log.error("reload after a change of {} failed", files, e);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // close() was called: stop.
    }
  }

  /** Whether any of the key's events is about a watched file; the key is reset for more. */
  private boolean concerns(WatchKey key) {
    Path directory = (Path) key.watchable();
    Set<Path> watched = files;
    boolean concerns = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW
          || (event.context() instanceof Path name && watched.contains(directory.resolve(name)))) {
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
      log.warn("closing the watch of the config files: {}", e.toString());
    }
    thread.interrupt();
  }
}
