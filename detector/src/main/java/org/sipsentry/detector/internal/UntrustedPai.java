package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.NameAddress;

/**
 * {@code untrusted-pai}: P-Asserted-Identity arrived from a trunk outside our trust domain. RFC
 * 3325 §5 says such a header is not believed: every other check ignores it, and the proxy removes
 * it before forwarding. A caller-ID spoofer sending PAI to a network that might believe it is worth
 * a reason of its own.
 */
final class UntrustedPai implements Check {

  static final String ID = "untrusted-pai";

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    if (call.trunk().trusted() || call.pAssertedIdentities().isEmpty()) {
      return Optional.empty();
    }
    StringBuilder evidence =
        new StringBuilder("untrusted trunk ")
            .append(call.trunk().name())
            .append(" sent P-Asserted-Identity ");
    String separator = "";
    for (NameAddress entry : call.pAssertedIdentities()) {
      evidence.append(separator).append(entry.uri());
      separator = ", ";
    }
    return Optional.of(evidence.toString());
  }
}
