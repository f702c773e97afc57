package org.sipsentry.detector.internal;

import java.util.Optional;
import java.util.Set;
import org.sipsentry.detector.CallContext;

/**
 * {@code signer-denied}: the call passed STIR/SHAKEN verification with a certificate whose Service
 * Provider Code the operator refuses: it is denied, or an allow set is configured and it is not in
 * it. A signature proves who signed, not that the signer deserves trust.
 */
final class SignerDenied implements VerifiedCheck {

  static final String ID = "signer-denied";

  private final Set<String> allowed;
  private final Set<String> denied;

  /**
   * @param allowed the SPCs accepted; empty: every SPC not denied
   * @param denied the SPCs refused
   */
  SignerDenied(Set<String> allowed, Set<String> denied) {
    this.allowed = Set.copyOf(allowed);
    this.denied = Set.copyOf(denied);
  }

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids, Optional<Verified> verified) {
    if (verified.isEmpty()) {
      return Optional.empty();
    }
    String spc = verified.get().spc();
    if (denied.contains(spc)) {
      return Optional.of("signer SPC " + spc + " is denied");
    }
    if (!allowed.isEmpty() && !allowed.contains(spc)) {
      return Optional.of("signer SPC " + spc + " is not among the allowed signers");
    }
    return Optional.empty();
  }
}
