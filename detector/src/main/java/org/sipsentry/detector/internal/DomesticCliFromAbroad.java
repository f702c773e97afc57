package org.sipsentry.detector.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@code domestic-cli-from-abroad}: the caller (the believed P-Asserted-Identity, else the From)
 * presents a number of one of the home countries while the call arrives on an international trunk.
 * A domestic subscriber's call reaches us over a domestic network; the same number arriving from
 * abroad is spoofed, which is why Swiss (FDV Art. 26a), UK (Ofcom) and German (TKG) rules require
 * such calls to be blocked or their CLI removed.
 *
 * <p>A number belongs to the region libphonenumber assigns it ({@code +41446681800} is {@code CH});
 * a number in no assigned range belongs to the main region of its country code, so an invalid
 * domestic-looking number is not a way round the check. With the mobile exemption on, numbers of
 * type {@code MOBILE} or {@code FIXED_LINE_OR_MOBILE} are let through: a subscriber roaming abroad
 * legitimately calls home with their domestic mobile number.
 */
final class DomesticCliFromAbroad implements Check {

  static final String ID = "domestic-cli-from-abroad";

  private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();

  /**
   * Home numbers not received in E.164 form whose kind is remembered; an entry is a short string
   * and a constant.
   */
  static final int MAX_KINDS = 50_000;

  private final Set<String> homeCountries;
  private final boolean allowMobileRoaming;
  private final Cache<String, Kind> kinds =
      Caffeine.newBuilder().maximumSize(MAX_KINDS).executor(Runnable::run).build();

  /**
   * @param homeCountries ISO 3166 region codes in upper case
   * @param allowMobileRoaming whether mobile numbers are exempt
   */
  DomesticCliFromAbroad(List<String> homeCountries, boolean allowMobileRoaming) {
    this.homeCountries = Set.copyOf(homeCountries);
    this.allowMobileRoaming = allowMobileRoaming;
  }

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    if (!call.trunk().international()) {
      return Optional.empty();
    }
    TelephoneNumber number = ids.caller().number();
    if (!number.isNumber()) {
      return Optional.empty();
    }
    // The region and the type come from libphonenumber; both are asked only when needed (most
    // numbers on an international trunk are foreign, and are done with at the region). The number
    // remembers its region and type (and NumberReader remembers the number).
    String region = number.regionCode();
    if (region.isEmpty()) {
      region = PHONE.getRegionCodeForCountryCode(number.countryCode());
    }
    if (!homeCountries.contains(region)) {
      return Optional.empty();
    }
    if (allowMobileRoaming && kind(number) != Kind.OTHER) {
      // Mobile: exempt. Unparseable: never a finding, as the parse decides nothing.
      return Optional.empty();
    }
    String header = ids.assertedIdentity().isPresent() ? "P-Asserted-Identity " : "From ";
    return Optional.of(
        header
            + number.e164()
            + " is a "
            + region
            + " number on international trunk "
            + call.trunk().name());
  }

  /**
   * The kind of the number's E.164 form read again. A number received in E.164 form reads the same
   * again ({@link TelephoneNumber#receivedInE164}), so its own type is the answer; another one (a
   * national form, a national prefix after the country code: {@code +41 0 79 ...} is {@code
   * +410791...}, whose E.164 form reads as {@code +4179...}) is parsed again, once per number.
   */
  private Kind kind(TelephoneNumber number) {
    if (number.receivedInE164()) {
      return kind(number.type());
    }
    return kinds.get(number.e164(), DomesticCliFromAbroad::reparsedKind);
  }

  private static Kind reparsedKind(String e164) {
    try {
      return kind(PHONE.getNumberType(PHONE.parse(e164, "ZZ")));
    } catch (NumberParseException e) {
      return Kind.UNPARSEABLE;
    }
  }

  private static Kind kind(PhoneNumberType type) {
    return type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE
        ? Kind.MOBILE
        : Kind.OTHER;
  }

  /** What the mobile exemption needs to know of a home number. */
  private enum Kind {
    MOBILE,
    OTHER,
    UNPARSEABLE
  }
}
