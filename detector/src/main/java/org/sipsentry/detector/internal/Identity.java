package org.sipsentry.detector.internal;

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

  static Identity parse(NameAddress address, String homeRegion) {
    return parse(address, NumberReader.parsing(homeRegion));
  }

  static Identity parse(NameAddress address, NumberReader numbers) {
    return new Identity(address, numbers.read(address.user()));
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
