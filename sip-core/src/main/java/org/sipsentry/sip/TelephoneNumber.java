package org.sipsentry.sip;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A caller or callee number taken from the user part of a SIP URI or from a tel URI, normalised to
 * E.164 where libphonenumber can make sense of it.
 *
 * <p>{@code raw} always keeps what was received (after URI parameters such as {@code ;tgrp=} or
 * {@code ;npdi} are cut off), so a user part that is not a number — {@code alice}, {@code
 * anonymous} — is never lost; such a value has no {@code e164}.
 *
 * @param raw the user part as received, without URI parameters
 * @param e164 the number in E.164 form ({@code +41446681800}), or {@code ""} when it is not a
 *     number
 * @param regionCode the ISO 3166 region the number belongs to ({@code CH}), or {@code ""} when
 *     unknown
 * @param valid whether libphonenumber considers it a valid, assignable number for its region
 */
public record TelephoneNumber(String raw, String e164, String regionCode, boolean valid) {

  private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();

  /**
   * The longest E.164 number has 15 digits (ITU-T E.164 §6.1); anything far longer is not a number,
   * and we refuse to hand pathological strings to libphonenumber.
   */
  private static final int MAX_DIGITS = 20;

  public TelephoneNumber {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(e164, "e164");
    Objects.requireNonNull(regionCode, "regionCode");
    if (e164.isEmpty() && valid) {
      throw new IllegalArgumentException("a number without an E.164 form cannot be valid");
    }
  }

  /**
   * Normalises a user part or tel URI number.
   *
   * @param userPart the user part of a SIP URI or the number of a tel URI, possibly with URI
   *     parameters ({@code +41 44 668 18 00;tgrp=x}) and visual separators
   * @param homeRegion the ISO 3166 region used for numbers in national format ({@code 044 668 18
   *     00} with {@code CH}); numbers starting with {@code +} or {@code 00} are international
   */
  public static TelephoneNumber parse(String userPart, String homeRegion) {
    Objects.requireNonNull(userPart, "userPart");
    Objects.requireNonNull(homeRegion, "homeRegion");
    int semicolon = userPart.indexOf(';');
    String raw = semicolon < 0 ? userPart : userPart.substring(0, semicolon);
    String dialled = withoutVisualSeparators(raw);
    if (!isDialled(dialled) || dialled.length() > MAX_DIGITS + 1) {
      return notANumber(raw);
    }
    if (dialled.startsWith("00")) {
      // International prefix used by most of the world (ITU-T E.164 Annex A); "+" is canonical.
      dialled = "+" + dialled.substring(2);
    }
    try {
      PhoneNumber number = PHONE.parse(dialled, homeRegion.toUpperCase(Locale.ROOT));
      String e164 = PHONE.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
      String region = Optional.ofNullable(PHONE.getRegionCodeForNumber(number)).orElse("");
      if ("ZZ".equals(region)) {
        region = "";
      }
      return new TelephoneNumber(raw, e164, region, PHONE.isValidNumber(number));
    } catch (NumberParseException e) {
      return notANumber(raw);
    }
  }

  /**
   * {@code raw} without the visual separators of RFC 3966 §5.1.1 and the brackets and white space
   * humans type ({@code - . ( )}, space, tab, CR, LF, VT, FF). A loop, not a regular expression:
   * every first reading of a caller's number passes here.
   */
  static String withoutVisualSeparators(String raw) {
    int first = 0;
    while (first < raw.length() && !isVisualSeparator(raw.charAt(first))) {
      first++;
    }
    if (first == raw.length()) {
      return raw;
    }
    StringBuilder kept = new StringBuilder(raw.length()).append(raw, 0, first);
    for (int i = first + 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!isVisualSeparator(c)) {
        kept.append(c);
      }
    }
    return kept.toString();
  }

  private static boolean isVisualSeparator(char c) {
    return switch (c) {
      case '-', '.', '(', ')', ' ', '\t', '\n', '\u000B', '\f', '\r' -> true;
      default -> false;
    };
  }

  /** A dialable string: an optional '+', then at least two ASCII digits and nothing else. */
  static boolean isDialled(String text) {
    int start = text.startsWith("+") ? 1 : 0;
    if (text.length() - start < 2) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static TelephoneNumber notANumber(String raw) {
    return new TelephoneNumber(raw, "", "", false);
  }

  /** True when the user part could be read as a telephone number at all. */
  public boolean isNumber() {
    return !e164.isEmpty();
  }

  /**
   * The comparable form: E.164 when it is a number, else the raw user part. Two identities name the
   * same caller when their keys are equal.
   */
  public String key() {
    return isNumber() ? e164 : raw;
  }
}
