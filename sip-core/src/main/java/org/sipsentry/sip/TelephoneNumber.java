package org.sipsentry.sip;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Objects;

/**
 * A caller or callee number taken from the user part of a SIP URI or from a tel URI, normalised to
 * E.164 where libphonenumber can make sense of it.
 *
 * <p>{@code raw} always keeps what was received (after URI parameters such as {@code ;tgrp=} or
 * {@code ;npdi} are cut off), so a user part that is not a number — {@code alice}, {@code
 * anonymous} — is never lost; such a value has no {@code e164}.
 *
 * <p>An immutable value, like a record of {@code raw}, {@code e164}, {@code regionCode} and {@code
 * valid} (its {@code equals}, {@code hashCode} and {@code toString} are over those four), but not a
 * record: the region and the validity of a parsed number are asked of libphonenumber on first use
 * and then kept. Most numbers a detector reads (the callee, a From behind a P-Asserted-Identity)
 * only need their E.164 form, and validity costs as much as a quarter of a first parse
 * (docs/PERFORMANCE.md, Detector). Thread-safe: racing first uses compute the same answer.
 */
public final class TelephoneNumber {

  private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();

  /**
   * The longest E.164 number has 15 digits (ITU-T E.164 §6.1); anything far longer is not a number,
   * and we refuse to hand pathological strings to libphonenumber.
   */
  private static final int MAX_DIGITS = 20;

  private final String raw;
  private final String e164;

  /**
   * libphonenumber's reading, from which region and type are derived on first use; never modified
   * after {@link #parse}. Null for a number that is not one or was built by the public constructor.
   */
  private final PhoneNumber parsed;

  /** The region, null until first asked for. */
  private volatile String regionCode;

  /** libphonenumber's number type, null until first asked for; UNKNOWN means invalid. */
  private volatile PhoneNumberType type;

  /** Validity given to the public constructor; ignored when {@code parsed} is present. */
  private final boolean givenValid;

  /** Whether the dialled digits were this E.164 form already ({@link #receivedInE164}). */
  private final boolean receivedInE164;

  /**
   * A number with the given values, as {@link #parse} would return them (for tests and callers that
   * already know them). Its {@link #type()} is {@code UNKNOWN}: only a parsed number has one.
   *
   * @param raw the user part as received, without URI parameters
   * @param e164 the number in E.164 form ({@code +41446681800}), or {@code ""} when it is not a
   *     number
   * @param regionCode the ISO 3166 region the number belongs to ({@code CH}), or {@code ""} when
   *     unknown
   * @param valid whether libphonenumber considers it a valid, assignable number for its region
   */
  public TelephoneNumber(String raw, String e164, String regionCode, boolean valid) {
    this(raw, e164, null, Objects.requireNonNull(regionCode, "regionCode"), valid, false);
    if (e164.isEmpty() && valid) {
      throw new IllegalArgumentException("a number without an E.164 form cannot be valid");
    }
  }

  private TelephoneNumber(
      String raw,
      String e164,
      PhoneNumber parsed,
      String regionCode,
      boolean givenValid,
      boolean receivedInE164) {
    this.raw = Objects.requireNonNull(raw, "raw");
    this.e164 = Objects.requireNonNull(e164, "e164");
    this.parsed = parsed;
    this.regionCode = regionCode;
    this.givenValid = givenValid;
    this.receivedInE164 = receivedInE164;
    this.type = parsed == null ? PhoneNumberType.UNKNOWN : null;
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
      return new TelephoneNumber(raw, e164, number, null, false, dialled.equals(e164));
    } catch (NumberParseException e) {
      return notANumber(raw);
    }
  }

  /** The user part as received, without URI parameters. */
  public String raw() {
    return raw;
  }

  /** The number in E.164 form ({@code +41446681800}), or {@code ""} when it is not a number. */
  public String e164() {
    return e164;
  }

  /**
   * The ISO 3166 region the number belongs to ({@code CH}), or {@code ""} when unknown (not a
   * number, or a number in no region's ranges of a country code several regions share).
   */
  public String regionCode() {
    String region = regionCode;
    if (region == null) {
      region = Objects.requireNonNullElse(PHONE.getRegionCodeForNumber(parsed), "");
      if ("ZZ".equals(region)) {
        region = "";
      }
      regionCode = region;
    }
    return region;
  }

  /** Whether libphonenumber considers it a valid, assignable number for its region. */
  public boolean valid() {
    return parsed == null ? givenValid : type() != PhoneNumberType.UNKNOWN;
  }

  /**
   * libphonenumber's type of the number ({@code FIXED_LINE}, {@code MOBILE}, ...): {@code UNKNOWN}
   * exactly when the number is not valid, and for a number not built by {@link #parse}.
   * libphonenumber's {@code isValidNumber} is this type's test against {@code UNKNOWN}, so asking
   * for both costs one.
   */
  public PhoneNumberType type() {
    PhoneNumberType known = type;
    if (known == null) {
      known = PHONE.getNumberType(parsed);
      type = known;
    }
    return known;
  }

  /**
   * True when the user part, without visual separators and with a leading {@code 00} read as {@code
   * +}, was this number's E.164 form already ({@code +41 44 668 18 00}, not {@code 044 668 18 00}
   * or {@code +41 0 44 668 18 00}). Such a number reads the same whatever the home region (a {@code
   * +} number names its country), so parsing its E.164 form again gives the same number and {@link
   * #type()}: code that used to re-parse the E.164 form can take the type instead.
   */
  public boolean receivedInE164() {
    return receivedInE164;
  }

  /**
   * The country calling code ({@code 41}), or 0 when it is not a number or was not built by {@link
   * #parse}.
   */
  public int countryCode() {
    return parsed == null ? 0 : parsed.getCountryCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TelephoneNumber other
        && raw.equals(other.raw)
        && e164.equals(other.e164)
        && regionCode().equals(other.regionCode())
        && valid() == other.valid();
  }

  @Override
  public int hashCode() {
    return Objects.hash(raw, e164, regionCode(), valid());
  }

  @Override
  public String toString() {
    return "TelephoneNumber[raw="
        + raw
        + ", e164="
        + e164
        + ", regionCode="
        + regionCode()
        + ", valid="
        + valid()
        + "]";
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
    return new TelephoneNumber(raw, "", null, "", false, false);
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
