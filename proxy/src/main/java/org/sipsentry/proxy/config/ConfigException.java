package org.sipsentry.proxy.config;

import java.nio.file.Path;
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
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String keyPath;
  private final String problem;

  ConfigException(Path file, OptionalInt line, String keyPath, String problem) {
    this(file, line, keyPath, problem, null);
  }

  ConfigException(Path file, OptionalInt line, String keyPath, String problem, Throwable cause) {
    super(message(file, line, keyPath, problem), cause);
    this.file = file;
    this.line = line.orElse(0);
    this.keyPath = keyPath;
    this.problem = problem;
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

  /** What was wrong, without the file, line and key path, e.g. {@code 170 is out of range ...}. */
  public String problem() {
    return problem;
  }

  private static String message(Path file, OptionalInt line, String keyPath, String problem) {
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
