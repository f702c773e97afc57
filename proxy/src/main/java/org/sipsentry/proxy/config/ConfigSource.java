package org.sipsentry.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A config file being loaded: its name and its {@link KeyIndex}, to put errors in place, and the
 * errors found so far. Each step of the conversion runs in {@link #attempt}, which records what
 * went wrong and lets the next, independent step run; {@link #throwIfAny} ends the load with all of
 * them.
 */
final class ConfigSource {

  /** A step of the conversion that may find the file wrong. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws ConfigException;
  }

  private final Path file;
  private final KeyIndex keys;
  private final List<ConfigError> errors = new ArrayList<>();
  private final Set<String> dropped = new LinkedHashSet<>();
  private Throwable firstCause;

  ConfigSource(Path file, KeyIndex keys) {
    this.file = file;
    this.keys = keys;
  }

  /**
   * Runs {@code step}; when it throws, records its errors and returns empty, so that the caller
   * goes on with the next, independent step.
   */
  <T> Optional<T> attempt(Step<T> step) {
    try {
      return Optional.of(step.run());
    } catch (ConfigException e) {
      record(e);
      return Optional.empty();
    }
  }

  /**
   * Records the errors of {@code e}, except those about a key already {@link #dropped}: whatever is
   * said about it follows from the error that dropped it.
   */
  void record(ConfigException e) {
    for (ConfigError error : e.errors()) {
      if (!droppedAround(error.keyPath()) && !errors.contains(error)) {
        errors.add(error);
        if (firstCause == null) {
          firstCause = e.getCause();
        }
      }
    }
  }

  /**
   * Notes that the binding left the key at {@code keyPath} out because it was wrong: errors about
   * it, its parts or the mappings around it are consequences, not news.
   */
  void dropped(String keyPath) {
    dropped.add(keyPath);
  }

  /**
   * True when the key at {@code keyPath}, a key inside it, or a mapping around it was {@link
   * #dropped}: what the file says there is not fully known.
   */
  boolean droppedAround(String keyPath) {
    for (String d : dropped) {
      if (within(keyPath, d) || (!keyPath.isEmpty() && within(d, keyPath))) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code path} is {@code outer} or a key or item inside it. */
  private static boolean within(String path, String outer) {
    return path.equals(outer) || path.startsWith(outer + ".") || path.startsWith(outer + "[");
  }

  /** Ends the load when anything was recorded: one exception with every error, by line. */
  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors, firstCause);
    }
  }

  /** The file being loaded, as given. */
  Path file() {
    return file;
  }

  KeyIndex keys() {
    return keys;
  }

  /** An error at the line of {@code keyPath}, or of its nearest enclosing key. */
  ConfigException error(String keyPath, String problem) {
    return error(keyPath, problem, null);
  }

  ConfigException error(String keyPath, String problem, Throwable cause) {
    return new ConfigException(file, keys.line(keyPath), keyPath, problem, cause);
  }

  /** As {@link #error(String, String)}, with {@code fallbackLine} when the index has none. */
  ConfigException error(String keyPath, String problem, int fallbackLine, Throwable cause) {
    OptionalInt line = keys.line(keyPath);
    if (line.isEmpty() && fallbackLine > 0 && !keyPath.isEmpty()) {
      line = OptionalInt.of(fallbackLine);
    }
    return new ConfigException(file, line, keyPath, problem, cause);
  }
}
