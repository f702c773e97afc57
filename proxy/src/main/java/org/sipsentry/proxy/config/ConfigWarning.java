package org.sipsentry.proxy.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A setting that is valid but cannot do what it is written for, such as a rule that can never fire.
 * The file still loads; {@code check-config} prints the warning and the proxy logs it at start and
 * on every reload.
 *
 * @param file the file as the caller named it
 * @param line the 1-based line of the key, when known
 * @param keyPath where in the file, e.g. {@code rules.protected-number}; empty for the file as a
 *     whole
 * @param text why the setting has no effect, and what to write instead ({@code ...; expected ...})
 */
public record ConfigWarning(Path file, OptionalInt line, String keyPath, String text) {

  public ConfigWarning {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(text, "text");
  }

  /** {@code <file> line <N>: <key path>: warning: <text>}, as errors read, marked as a warning. */
  public String message() {
    return ConfigException.message(file, line, keyPath, "warning: " + text);
  }
}
