package org.sipsentry.sip.stir;

import java.util.Optional;

/** The SHAKEN {@code attest} claim (RFC 8588 §4): how well the signer knows the caller. */
public enum Attestation {
  /** Full attestation: the signer knows the customer and that they may use the number. */
  A,
  /** Partial attestation: the signer knows the customer, not their right to the number. */
  B,
  /** Gateway attestation: the signer only knows where the call entered its network. */
  C;

  /** The attestation named by {@code value} ({@code "A"}, {@code "B"} or {@code "C"}, exactly). */
  public static Optional<Attestation> of(String value) {
    return switch (value) {
      case "A" -> Optional.of(A);
      case "B" -> Optional.of(B);
      case "C" -> Optional.of(C);
      default -> Optional.empty();
    };
  }
}
