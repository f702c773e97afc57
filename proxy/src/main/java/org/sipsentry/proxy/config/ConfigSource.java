package org.sipsentry.proxy.config;

import java.nio.file.Path;
import java.util.OptionalInt;

/** A config file being loaded: its name and its {@link KeyIndex}, to put errors in place. */
final class ConfigSource {

  private final Path file;
  private final KeyIndex keys;

  ConfigSource(Path file, KeyIndex keys) {
    this.file = file;
    this.keys = keys;
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
