package org.sipsentry.detector.internal;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.TelephoneNumber;

/**
 * One identity of a call (the From, or a P-Asserted-Identity entry) with its user part read as a
 * telephone number once.
 *
 * @param address the header entry as received
 * @param number its user part normalised for the home region; not a number for {@code alice}
 */
record Identity(NameAddress address, TelephoneNumber number) {

  /**
   * RFC 3323 §4.1.1.3: the recommended anonymous From is {@code sip:anonymous@anonymous.invalid}.
   */
  private static final String ANONYMOUS_USER = "anonymous";

  private static final String ANONYMOUS_HOST = "anonymous.invalid";

  private static final String PHONE_CONTEXT = "phone-context";

  /** RFC 3966 §5.1.1 visual separators, allowed in a global-number context. */
  private static final Pattern VISUAL_SEPARATORS = Pattern.compile("[-.()]");

  /** ITU-T E.164 country codes have one to three digits. */
  private static final int MAX_COUNTRY_CODE_DIGITS = 3;

  static Identity parse(NameAddress address, NumberReader numbers) {
    return new Identity(address, numbers.read(address));
  }

  /**
   * The region a number in national format is read in: the country of a global-number {@code
   * phone-context} (RFC 3966 §5.1.5; in a SIP URI it is a parameter of the user part, RFC 3261
   * §19.1.6), e.g. {@code 030 1234567;phone-context=+49} is a German number; else the home region.
   * A domain context names a private plan we cannot read better than the home region does.
   */
  static String region(NameAddress address, String homeRegion) {
    String context = phoneContext(address);
    if (context.length() < 2 || context.charAt(0) != '+') {
      return homeRegion;
    }
    String digits = VISUAL_SEPARATORS.matcher(context.substring(1)).replaceAll("");
    for (int length = 1; length <= Math.min(MAX_COUNTRY_CODE_DIGITS, digits.length()); length++) {
      String prefix = digits.substring(0, length);
      if (!prefix.chars().allMatch(Character::isDigit)) {
        return homeRegion;
      }
      String region =
          PhoneNumberUtil.getInstance().getRegionCodeForCountryCode(Integer.parseInt(prefix));
      if (!PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region) && !"ZZ".equals(region)) {
        return region;
      }
    }
    return homeRegion;
  }

  /** The {@code phone-context} of a tel URI, or of a SIP URI's user part; {@code ""} if none. */
  private static String phoneContext(NameAddress address) {
    if ("tel".equals(address.scheme())) {
      String context = address.uriParameters().get(PHONE_CONTEXT);
      return context == null ? "" : context;
    }
    String user = address.user();
    for (int semicolon = user.indexOf(';'); semicolon >= 0; ) {
      int next = user.indexOf(';', semicolon + 1);
      String parameter = user.substring(semicolon + 1, next < 0 ? user.length() : next);
      int equals = parameter.indexOf('=');
      if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase(PHONE_CONTEXT)) {
        return parameter.substring(equals + 1).strip();
      }
      semicolon = next;
    }
    return "";
  }

  /**
   * True when the URI withholds the caller: user {@code anonymous} or host {@code
   * anonymous.invalid}, case-insensitively (RFC 3323 §4.1.1.3). A display name alone does not
   * count: {@code "Anonymous" <sip:+41446681800@host>} still presents a number.
   */
  boolean isAnonymous() {
    return ANONYMOUS_USER.equalsIgnoreCase(address.user())
        || ANONYMOUS_HOST.equalsIgnoreCase(address.host());
  }

  /**
   * True when this identity presents itself as a telephone number: its user part reads as one, the
   * URI says it is one ({@code tel:} or {@code user=phone}), or the user part starts like a global
   * number ({@code +} and a digit, RFC 3966 §5.1.4) even where libphonenumber knows no such country
   * code ({@code +99912345}). A SIP user such as {@code alice} or {@code sipp} is an address, not a
   * number.
   */
  boolean claimsNumber() {
    return number.isNumber() || address.isTelephoneSubscriber() || startsGlobal(number.raw());
  }

  private static boolean startsGlobal(String user) {
    return user.length() > 1 && user.charAt(0) == '+' && Character.isDigit(user.charAt(1));
  }
}
