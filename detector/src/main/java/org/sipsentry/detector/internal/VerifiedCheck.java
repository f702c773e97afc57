package org.sipsentry.detector.internal;

import java.util.Objects;
import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.stir.Attestation;

/**
 * A {@link Check} that also weighs what STIR/SHAKEN verification proved: it runs once the call's
 * verification (if any) is complete. The same rules apply: pure, total, stateless, thread-safe.
 */
interface VerifiedCheck {

  /**
   * What a passed verification proved.
   *
   * @param attest the PASSporT's attestation
   * @param spc the Service Provider Code of the signing certificate
   */
  record Verified(Attestation attest, String spc) {
    public Verified {
      Objects.requireNonNull(attest, "attest");
      Objects.requireNonNull(spc, "spc");
    }
  }

  /** The reason id of what this check finds: a key of {@code DetectorSettings.DEFAULT_RULES}. */
  String ruleId();

  /**
   * The evidence when {@code call} shows it; empty otherwise.
   *
   * @param verified what a passed verification proved; empty when the call was not verified,
   *     carried no PASSporT, or failed verification
   */
  Optional<String> inspect(CallContext call, Identities ids, Optional<Verified> verified);
}
