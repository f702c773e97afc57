package org.sipsentry.detector.numbers;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.sip.stir.Attestation;

/**
 * What a {@link NumberList} entry says about calls from its numbers: which trunks may originate
 * them, and the weakest STIR/SHAKEN attestation accepted.
 *
 * @param trunks the trunks allowed to originate calls from the entry; empty: none (a
 *     Do-Not-Originate number)
 * @param minimumAttestation the weakest attestation accepted from an allowed trunk, if any
 */
public record NumberRule(Set<String> trunks, Optional<Attestation> minimumAttestation) {

  /** No trunk may originate: a Do-Not-Originate entry. */
  public static final NumberRule NEVER_ORIGINATES = new NumberRule(Set.of(), Optional.empty());

  public NumberRule {
    trunks = Set.copyOf(trunks);
    Objects.requireNonNull(minimumAttestation, "minimumAttestation");
  }

  /** Whether {@code trunk} may originate calls from the entry's numbers. */
  public boolean allows(String trunk) {
    return trunks.contains(trunk);
  }
}
