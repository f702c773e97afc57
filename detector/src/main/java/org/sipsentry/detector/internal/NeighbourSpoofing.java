package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@code neighbour-spoofing}: the caller's number (the believed P-Asserted-Identity, else the From)
 * shares its first N E.164 digits with the callee's (the To user when it is a number, else the
 * Request-URI user): robocallers pick a caller ID that looks local to the callee so that the call
 * gets answered. Only on trunks where that is suspicious: untrusted or international ones; a
 * trusted domestic carrier's neighbours really do call each other.
 */
final class NeighbourSpoofing implements Check {

  static final String ID = "neighbour-spoofing";

  private final NumberReader numbers;
  private final int digits;

  /**
   * @param homeRegion the region of callee numbers in national format
   * @param digits how many leading E.164 digits (country code included) must be shared
   */
  NeighbourSpoofing(String homeRegion, int digits) {
    this(NumberReader.parsing(homeRegion), digits);
  }

  /**
   * @param numbers reads callee numbers, in national format for the home region
   * @param digits how many leading E.164 digits (country code included) must be shared
   */
  NeighbourSpoofing(NumberReader numbers, int digits) {
    this.numbers = numbers;
    this.digits = digits;
  }

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    if (call.trunk().trusted() && !call.trunk().international()) {
      return Optional.empty();
    }
    TelephoneNumber caller = ids.caller().number();
    if (!caller.isNumber()) {
      return Optional.empty();
    }
    TelephoneNumber callee = callee(call);
    if (!callee.isNumber()) {
      return Optional.empty();
    }
    String a = caller.e164();
    String b = callee.e164();
    // "+" and the digits: the shared part is compared without the "+".
    if (a.length() <= digits || b.length() <= digits || !a.regionMatches(1, b, 1, digits)) {
      return Optional.empty();
    }
    return Optional.of(
        "caller "
            + a
            + " shares its first "
            + digits
            + " digits "
            + a.substring(1, digits + 1)
            + " with callee "
            + b
            + " on "
            + (call.trunk().trusted() ? "international" : "untrusted")
            + " trunk "
            + call.trunk().name());
  }

  private TelephoneNumber callee(CallContext call) {
    TelephoneNumber to = numbers.read(call.to());
    if (to.isNumber()) {
      return to;
    }
    return numbers.read(StirCheck.user(call.requestUri()));
  }
}
