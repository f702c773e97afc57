package org.sipsentry.detector.numbers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.sip.stir.Attestation;

/**
 * Reads a number list file: one E.164 number or prefix per line, with optional attributes.
 *
 * <pre>
 * # A bank's inbound service line: never places calls.
 * +41446681800
 * # Its outbound range: only from its own trunk, and only with full attestation.
 * +4144668*   trunks=bank-sbc   min-attest=A
 * 41612345678 trunks=carrier-a,carrier-b
 * </pre>
 *
 * <ul>
 *   <li>{@code #} starts a comment, to the end of the line; blank lines are ignored;
 *   <li>the number is 1–15 digits (ITU-T E.164), with or without {@code +}; a trailing {@code *}
 *       makes it a prefix covering every number that starts with it;
 *   <li>{@code trunks=NAME[,NAME...]}: the trunks allowed to originate it (default: none, a
 *       Do-Not-Originate entry);
 *   <li>{@code min-attest=A|B|C}: the weakest STIR/SHAKEN attestation accepted from those trunks.
 * </ul>
 *
 * <p>A repeated number keeps its first line and is counted in {@link Loaded#duplicates()}. Errors
 * name the file, the line and what was expected; up to {@link #MAX_ERRORS} are collected before
 * giving up, so an operator fixes a file in one pass. Reading blocks: call it at configuration
 * time, never on an event loop.
 */
public final class NumberListFile {

  /** Errors collected from one file before reading stops. */
  public static final int MAX_ERRORS = 20;

  private NumberListFile() {}

  /**
   * What was read.
   *
   * @param list the entries
   * @param duplicates lines that repeated an earlier entry (ignored)
   */
  public record Loaded(NumberList list, int duplicates) {
    public Loaded {
      Objects.requireNonNull(list, "list");
    }
  }

  /** A file that cannot be used, with every error found (at most {@link #MAX_ERRORS}). */
  public static final class InvalidListException extends Exception {
    private final List<String> errors;

    InvalidListException(List<String> errors) {
      super(String.join("\n", errors));
      this.errors = List.copyOf(errors);
    }

    /** Each error as {@code FILE line N: what, expected ...}. */
    public List<String> errors() {
      return errors;
    }
  }

  /**
   * Reads {@code file} (UTF-8).
   *
   * @throws InvalidListException naming the file and line of each bad entry
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Loaded load(Path file) throws InvalidListException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read number list " + file, e);
    }
  }

  /** Reads list text; {@code name} is used in error messages. */
  public static Loaded read(Reader text, String name) throws IOException, InvalidListException {
    BufferedReader lines =
        text instanceof BufferedReader buffered ? buffered : new BufferedReader(text, 1 << 16);
    NumberList.Builder builder = NumberList.builder();
    List<String> errors = new ArrayList<>();
    int duplicates = 0;
    int lineNumber = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      String error;
      try {
        Entry entry = parse(line);
        if (entry == null) {
          continue;
        }
        if (!builder.add(entry.digits(), entry.prefix(), entry.rule())) {
          duplicates++;
        }
        continue;
      } catch (IllegalArgumentException e) {
        error = e.getMessage();
      }
      errors.add(name + " line " + lineNumber + ": " + error);
      if (errors.size() == MAX_ERRORS) {
        errors.add(name + ": stopped after " + MAX_ERRORS + " errors");
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidListException(errors);
    }
    return new Loaded(builder.build(), duplicates);
  }

  private record Entry(String digits, boolean prefix, NumberRule rule) {}

  /** One line; null when it holds no entry. */
  private static Entry parse(String line) {
    int hash = line.indexOf('#');
    String content = (hash < 0 ? line : line.substring(0, hash)).strip();
    if (content.isEmpty()) {
      return null;
    }
    String[] tokens = content.split("[ \t]+");
    String number = tokens[0];
    boolean prefix = number.endsWith("*");
    String digits =
        number.substring(number.startsWith("+") ? 1 : 0, number.length() - (prefix ? 1 : 0));
    if (digits.isEmpty()
        || digits.length() > NumberList.MAX_DIGITS
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          quote(number)
              + " is not a number, expected 1 to "
              + NumberList.MAX_DIGITS
              + " digits with an optional leading + and trailing * (e.g. +41446681800, +4144668*)");
    }
    Set<String> trunks = new LinkedHashSet<>();
    Optional<Attestation> minimum = Optional.empty();
    boolean sawTrunks = false;
    for (int i = 1; i < tokens.length; i++) {
      String token = tokens[i];
      int equals = token.indexOf('=');
      String key = equals < 0 ? token : token.substring(0, equals).toLowerCase(Locale.ROOT);
      String value = equals < 0 ? "" : token.substring(equals + 1);
      switch (key) {
        case "trunks" -> {
          if (sawTrunks) {
            throw new IllegalArgumentException("trunks= given twice");
          }
          sawTrunks = true;
          for (String trunk : value.split(",", -1)) {
            if (trunk.isEmpty()) {
              throw new IllegalArgumentException(
                  quote(token) + ": expected trunks=NAME[,NAME...] without empty names");
            }
            trunks.add(trunk);
          }
        }
        case "min-attest" -> {
          if (minimum.isPresent()) {
            throw new IllegalArgumentException("min-attest= given twice");
          }
          minimum = Attestation.of(value.toUpperCase(Locale.ROOT));
          if (minimum.isEmpty()) {
            throw new IllegalArgumentException(
                quote(token) + ": expected min-attest=A, min-attest=B or min-attest=C");
          }
        }
        default ->
            throw new IllegalArgumentException(
                quote(token) + " is not an attribute, expected trunks=... or min-attest=...");
      }
    }
    return new Entry(digits, prefix, new NumberRule(trunks, minimum));
  }

  private static String quote(String text) {
    return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
  }
}
