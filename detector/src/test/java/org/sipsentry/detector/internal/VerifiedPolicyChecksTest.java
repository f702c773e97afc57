package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.call;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Trunk;
import org.sipsentry.sip.stir.Attestation;

/** {@code attestation-too-low} and {@code signer-denied}: what a passed verification must show. */
class VerifiedPolicyChecksTest {

  private static final Trunk NEEDS_A =
      new Trunk(
          "carrier",
          List.of(Cidr.parse("192.0.2.0/24")),
          true,
          StirSettings.OFF,
          false,
          Set.of(),
          Optional.empty(),
          Optional.of(Attestation.A));

  private static Optional<String> inspect(
      VerifiedCheck check, Trunk trunk, Optional<VerifiedCheck.Verified> verified) {
    CallContext context = call().trunk(trunk).build();
    return check.inspect(context, Identities.of(context, Calls.HOME_REGION), verified);
  }

  private static Optional<VerifiedCheck.Verified> passed(Attestation attest, String spc) {
    return Optional.of(new VerifiedCheck.Verified(attest, spc));
  }

  @Test
  void attestationTooLow_weakerThanTrunkMinimum_namesBoth() {
    assertThat(inspect(new AttestationTooLow(), NEEDS_A, passed(Attestation.C, "1234")))
        .contains("attestation C is below trunk carrier's minimum A");
  }

  @Test
  void attestationTooLow_meetingTheMinimumOrNoMinimum_findsNothing() {
    assertThat(inspect(new AttestationTooLow(), NEEDS_A, passed(Attestation.A, "1234"))).isEmpty();
    assertThat(inspect(new AttestationTooLow(), Calls.CARRIER, passed(Attestation.C, "1234")))
        .isEmpty();
  }

  @Test
  void attestationTooLow_noPassedVerification_isLeftToTheStirRules() {
    assertThat(inspect(new AttestationTooLow(), NEEDS_A, Optional.empty())).isEmpty();
  }

  @Test
  void signerDenied_deniedSpc_isFound() {
    SignerDenied check = new SignerDenied(Set.of(), Set.of("666"));

    assertThat(inspect(check, Calls.CARRIER, passed(Attestation.A, "666")))
        .contains("signer SPC 666 is denied");
    assertThat(inspect(check, Calls.CARRIER, passed(Attestation.A, "1234"))).isEmpty();
  }

  @Test
  void signerDenied_allowSetWithoutTheSpc_isFound() {
    SignerDenied check = new SignerDenied(Set.of("1234"), Set.of());

    assertThat(inspect(check, Calls.CARRIER, passed(Attestation.A, "999")))
        .contains("signer SPC 999 is not among the allowed signers");
    assertThat(inspect(check, Calls.CARRIER, passed(Attestation.A, "1234"))).isEmpty();
    assertThat(inspect(check, Calls.CARRIER, Optional.empty())).isEmpty();
  }
}
