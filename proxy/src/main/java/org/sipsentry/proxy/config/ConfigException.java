package org.sipsentry.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A config file that cannot be used. Checked, because a bad file is an expected failure that the
 * caller reports to the operator and exits on.
 *
 * <p>{@link #getMessage()} is one line for the operator, {@code <file> line <N>: <key path>: <what
 * was wrong>; expected <what>}, for example {@code sipsentry.yaml line 12: trunks[1].sources[0]:
 * "10.0.0/8" is not a CIDR; expected e.g. 192.0.2.0/24 or 2001:db8::/32}. The line is left out when
 * it is not known (a missing top-level key, a file that cannot be read), and so is the key path
 * when the problem is the file as a whole.
 *
 * <p>A file with several independent mistakes gives one exception with all of them in {@link
 * #errors()}, sorted by line; its message is then {@code <file>: <N> errors} followed by one line
 * per error, and {@link #file()}, {@link #line()} and {@link #keyPath()} are those of the first.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Files with no line (the file as a whole, a missing top-level key) come first. */
  private static final Comparator<ConfigError> BY_LINE =
      Comparator.comparingInt(e -> e.line().orElse(0));

  private final transient Path file;
  private final int line;
  private final String keyPath;
  private final transient List<ConfigError> errors;

  ConfigException(Path file, OptionalInt line, String keyPath, String problem) {
    this(file, line, keyPath, problem, null);
  }

  ConfigException(Path file, OptionalInt line, String keyPath, String problem, Throwable cause) {
    this(List.of(new ConfigError(file, line, keyPath, problem)), cause);
  }

  /** All of {@code errors}, at least one; the cause is that of the first when there is one. */
  ConfigException(List<ConfigError> errors, Throwable cause) {
    super(message(sorted(errors)), cause);
    this.errors = sorted(errors);
    ConfigError first = this.errors.get(0);
    this.file = first.file();
    this.line = first.line().orElse(0);
    this.keyPath = first.keyPath();
  }

  /** Every problem found, sorted by line; the first is the one {@link #line()} names. */
  public List<ConfigError> errors() {
    return errors;
  }

  /** The file as the caller named it. */
  public Path file() {
    return file;
  }

  /** The 1-based line of the offending key or value, when known. */
  public OptionalInt line() {
    return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
  }

  /**
   * Where in the file, e.g. {@code trunks[1].sources[0]} or {@code rules.from-pai-mismatch.weight};
   * empty when the problem is the file as a whole (not found, empty, not YAML).
   */
  public String keyPath() {
    return keyPath;
  }

  /**
   * What was wrong with the first error, without the file, line and key path, e.g. {@code 170 is
   * out of range ...}.
   */
  public String problem() {
    return errors.get(0).problem();
  }

  private static List<ConfigError> sorted(List<ConfigError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    List<ConfigError> sorted = new ArrayList<>(errors);
    sorted.sort(BY_LINE);
    return List.copyOf(sorted);
  }

  private static String message(List<ConfigError> errors) {
    if (errors.size() == 1) {
      return errors.get(0).message();
    }
    StringBuilder message =
        new StringBuilder(errors.get(0).file().toString())
            .append(": ")
            .append(errors.size())
            .append(" errors");
    for (ConfigError error : errors) {
      message.append(System.lineSeparator()).append(error.message());
    }
    return message.toString();
  }

  static String message(Path file, OptionalInt line, String keyPath, String problem) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(problem, "problem");
    StringBuilder message = new StringBuilder(file.toString());
    line.ifPresent(n -> message.append(" line ").append(n));
    message.append(": ");
    if (!keyPath.isEmpty()) {
      message.append(keyPath).append(": ");
    }
    return message.append(problem).toString();
  }
}
