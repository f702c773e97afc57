package org.sipsentry.sip.stir;

import java.util.Objects;
import java.util.Optional;

/**
 * A telephone number in the canonical form of RFC 8224 §8.3, as PASSporT {@code tn} claims carry
 * it: digits only, no leading {@code +}, no visual separators, no URI parameters.
 *
 * <p>This is deliberately not E.164 normalisation: RFC 8224 §8.3 leaves the mapping of national
 * numbers to local policy, so callers pass the number they want compared (for example the E.164
 * form from {@link org.sipsentry.sip.TelephoneNumber}).
 *
 * @param digits one or more ASCII digits
 */
public record CanonicalTn(String digits) {

  /**
   * The longest E.164 number has 15 digits (ITU-T E.164 §6.1); we allow some slack for national
   * prefixes and routing digits but refuse pathological strings.
   */
  static final int MAX_DIGITS = 20;

  public CanonicalTn {
    Objects.requireNonNull(digits, "digits");
    if (digits.isEmpty() || digits.length() > MAX_DIGITS || !allDigits(digits)) {
      throw new IllegalArgumentException("not a canonical TN: " + digits);
    }
  }

  /**
   * Canonicalises a user part, tel URI number or {@code tn} claim: cuts URI parameters ({@code
   * ;tgrp=}, {@code ;npdi}, {@code ;rn=}), removes the RFC 3966 visual separators {@code - . ( )}
   * and spaces, then one leading {@code +}. Empty when what is left is not 1–20 digits ({@code
   * alice}, {@code ++4}, {@code anonymous}).
   */
  public static Optional<CanonicalTn> parse(String number) {
    Objects.requireNonNull(number, "number");
    int semicolon = number.indexOf(';');
    String raw = semicolon < 0 ? number : number.substring(0, semicolon);
    StringBuilder digits = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+' && i == firstNonSeparator(raw)) {
        continue;
      }
      if (isVisualSeparator(c)) {
        continue;
      }
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      digits.append(c);
    }
    if (digits.length() == 0 || digits.length() > MAX_DIGITS) {
      return Optional.empty();
    }
    return Optional.of(new CanonicalTn(digits.toString()));
  }

  private static int firstNonSeparator(String raw) {
    int i = 0;
    while (i < raw.length() && isVisualSeparator(raw.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isVisualSeparator(char c) {
    return c == '-' || c == '.' || c == '(' || c == ')' || c == ' ' || c == '\t';
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return digits;
  }
}
