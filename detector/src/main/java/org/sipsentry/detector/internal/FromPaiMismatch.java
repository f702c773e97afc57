package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@code from-pai-mismatch}: the From number is not the number a trusted P-Asserted-Identity
 * asserts. Both are compared in E.164 form for the home region, so {@code 044 668 18 00} and {@code
 * +41446681800} are the same caller in {@code CH}.
 *
 * <p>Only numbers are compared: when the From or the believed PAI has no number-like user ({@code
 * sip:alice@example.com}, {@code sip:anonymous@anonymous.invalid}) nothing is found; hiding the
 * From behind a PAI is privacy (RFC 3323), not a mismatch.
 */
final class FromPaiMismatch implements Check {

  static final String ID = "from-pai-mismatch";

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    if (ids.assertedIdentity().isEmpty()) {
      return Optional.empty();
    }
    TelephoneNumber from = ids.from().number();
    TelephoneNumber asserted = ids.assertedIdentity().get().number();
    if (!from.isNumber() || !asserted.isNumber() || from.key().equals(asserted.key())) {
      return Optional.empty();
    }
    return Optional.of("From " + from.key() + " ≠ P-Asserted-Identity " + asserted.key());
  }
}
