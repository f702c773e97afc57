package org.sipsentry.detector.internal;

import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.TelephoneNumber;

/**
 * Reads user parts as telephone numbers for one home region ({@link TelephoneNumber#parse}) and
 * remembers up to {@link #MAX_NUMBERS} of those read last. libphonenumber's parse and validation
 * take a few microseconds, most of a call's detection; callers and callees recur (a subscriber
 * called again, a caller over a rate limit), and a lookup of a remembered one takes well under one.
 * Thread-safe.
 *
 * <p>The memory is bounded ({@link RecentNumbers}: a number is remembered until {@link
 * #MAX_NUMBERS} new ones have been read after it) and has no maintenance work to hand to another
 * thread.
 */
final class NumberReader {

  /**
   * Numbers remembered; an entry holds a few short strings and libphonenumber's reading, ~300
   * bytes: ~15 MB in all.
   */
  static final int MAX_NUMBERS = 50_000;

  /**
   * User parts longer than this are read but not remembered: no number with separators and URI
   * parameters a carrier sends is that long, and a flood of long junk must not fill the cache.
   */
  static final int MAX_REMEMBERED_LENGTH = 48;

  private final String homeRegion;
  private final RecentNumbers remembered;

  private NumberReader(String homeRegion, RecentNumbers remembered) {
    this.homeRegion = homeRegion;
    this.remembered = remembered;
  }

  /** A reader that remembers up to {@link #MAX_NUMBERS} of the numbers read last. */
  static NumberReader remembering(String homeRegion) {
    return new NumberReader(homeRegion, new RecentNumbers(MAX_NUMBERS));
  }

  /** A reader that parses every time. */
  static NumberReader parsing(String homeRegion) {
    return new NumberReader(homeRegion, null);
  }

  /**
   * The number of {@code address}'s user part, read in the country of its global-number {@code
   * phone-context} when it has one ({@link Identity#region}), else in the home region. Numbers of
   * another country's context are rare and not remembered.
   */
  TelephoneNumber read(NameAddress address) {
    String region = Identity.region(address, homeRegion);
    return region.equals(homeRegion)
        ? read(address.user())
        : TelephoneNumber.parse(address.user(), region);
  }

  /** {@link TelephoneNumber#parse} of {@code userPart} for the home region. */
  TelephoneNumber read(String userPart) {
    if (remembered == null || userPart.length() > MAX_REMEMBERED_LENGTH) {
      return TelephoneNumber.parse(userPart, homeRegion);
    }
    TelephoneNumber number = remembered.get(userPart);
    if (number == null) {
      number = TelephoneNumber.parse(userPart, homeRegion);
      remembered.put(userPart, number);
    }
    return number;
  }
}
