package org.sipsentry.proxy.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One problem that makes a config file unusable.
 *
 * @param file the file as the caller named it
 * @param line the 1-based line of the offending key or list item; empty when there is none to name
 *     (a missing top-level key, a file that cannot be read)
 * @param keyPath where in the file, e.g. {@code trunks[1].sources[0]}; empty for the file as a
 *     whole
 * @param problem what was wrong and what was expected, {@code <what>; expected <what>}
 */
public record ConfigError(Path file, OptionalInt line, String keyPath, String problem) {

  public ConfigError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(problem, "problem");
  }

  /**
   * The line an operator reads: {@code <file> line <N>: <key path>: <problem>}, without the parts
   * that are not known.
   */
  public String message() {
    return ConfigException.message(file, line, keyPath, problem);
  }
}
