package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@code invalid-cli}: the caller (the believed P-Asserted-Identity, else the From) presents a
 * telephone number that no numbering plan assigns, per libphonenumber: a digit string that is too
 * short, too long or in an unallocated range, a {@code +} and digits with no known country code, or
 * a {@code tel:}/{@code user=phone} URI that is not a number at all. A SIP user such as {@code
 * alice}, {@code sipp} or {@code anonymous} is an address, not a CLI, and is never invalid.
 */
final class InvalidCli implements Check {

  static final String ID = "invalid-cli";

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    Identity caller = ids.caller();
    TelephoneNumber number = caller.number();
    if (!caller.claimsNumber() || number.valid()) {
      return Optional.empty();
    }
    String header = ids.assertedIdentity().isPresent() ? "P-Asserted-Identity " : "From ";
    String raw = header + caller.address().uri() + ": \"" + number.raw() + "\"";
    if (!number.isNumber()) {
      return Optional.of(raw + " is not a telephone number");
    }
    String region = number.regionCode().isEmpty() ? "" : " for " + number.regionCode();
    return Optional.of(raw + " → " + number.e164() + " is not a valid number" + region);
  }
}
