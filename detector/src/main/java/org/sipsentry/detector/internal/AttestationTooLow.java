package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.stir.Attestation;

/**
 * {@code attestation-too-low}: STIR/SHAKEN verification passed, but with a weaker attestation than
 * the call's trunk requires (e.g. the trunk asks for {@code A} and the signer only vouched {@code
 * C}). A call that was not verified, or failed, is not found here: {@code stir-missing} and {@code
 * stir-failed} say so.
 */
final class AttestationTooLow implements VerifiedCheck {

  static final String ID = "attestation-too-low";

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids, Optional<Verified> verified) {
    Optional<Attestation> minimum = call.trunk().minimumAttestation();
    if (minimum.isEmpty() || verified.isEmpty()) {
      return Optional.empty();
    }
    Attestation attest = verified.get().attest();
    // A is the strongest: a later constant is a weaker attestation.
    if (attest.compareTo(minimum.get()) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "attestation "
            + attest
            + " is below trunk "
            + call.trunk().name()
            + "'s minimum "
            + minimum.get());
  }
}
