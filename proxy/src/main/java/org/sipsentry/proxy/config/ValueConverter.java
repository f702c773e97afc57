package org.sipsentry.proxy.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the converters of the configuration ({@link SettingsConverter}, {@link StirConverter},
 * {@link AuditConverter}) share: the source their errors go to, and the conversions of the kinds of
 * value every section has (durations, bounded integers, file paths), so that a key of one section
 * accepts what the same kind of key accepts elsewhere and its error reads the same.
 */
abstract class ValueConverter {

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  /** Where the file's problems are recorded, each naming its file, line and key. */
  final ConfigSource source;

  ValueConverter(ConfigSource source) {
    this.source = source;
  }

  /**
   * {@code text} at {@code path} as a duration, a whole number and a unit ({@code 500ms}, {@code
   * 2s}, {@code 5m}, {@code 1h}, {@code 7d}), from {@code min} to {@code max} (null: no upper
   * bound).
   */
  final Duration duration(String path, String text, Duration min, Duration max)
      throws ConfigException {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw source.error(path, "\"" + text + "\" is not a duration; expected " + expected(path));
    }
    long amount = Long.parseLong(m.group(1));
    Duration value =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
      throw source.error(path, text + " is out of range; expected " + expected(path));
    }
    return value;
  }

  /**
   * {@code value}, or {@code byDefault} when it is absent, if it is from {@code min} to {@code
   * max}.
   */
  final int inRange(String path, Optional<Integer> value, int byDefault, int min, int max)
      throws ConfigException {
    int v = value.orElse(byDefault);
    if (v < min || v > max) {
      throw source.error(path, v + " is out of range; expected " + expected(path));
    }
    return v;
  }

  /** Runs {@code parse}; an {@link IllegalArgumentException} becomes the error at {@code path}. */
  final <T> T at(String path, Supplier<T> parse) throws ConfigException {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw source.error(path, e.getMessage(), e);
    }
  }

  /**
   * A file path given at {@code key}: a relative one is taken from the working directory the proxy
   * starts in, like the path given to {@code --config}, and made absolute here so that logs show
   * where the file really is.
   */
  static Path path(String text, String key) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("no path; expected " + expected(key));
    }
    try {
      return Path.of(text).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a file path (" + e.getReason() + "); expected " + expected(key),
          e);
    }
  }

  /** What {@code path} expects, as documented in {@link ConfigFile}, for an error message. */
  static String expected(String path) {
    return ConfigFile.expected(path).orElse("another value");
  }
}
