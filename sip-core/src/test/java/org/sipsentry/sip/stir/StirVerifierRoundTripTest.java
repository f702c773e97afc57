package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

class StirVerifierRoundTripTest {

  private static final String X5U = "https://certs.example.net/sp.pem";
  private static final Instant IAT = TestPki.NOW.minusSeconds(5);

  private final PassportSigner signer =
      new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());
  private final StiCertificateValidator validator =
      new StiCertificateValidator(
          TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());
  private final CertificateSource source =
      (x5u, now) ->
          CompletableFuture.completedFuture(
              validator.validate(
                  CertificateChain.of(
                      TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
                  now));
  private final StirVerifier verifier =
      new StirVerifier(StirPolicy.DEFAULT, source, Es256.shared());

  @Test
  void verify_headerFromOurSigner_passesWithAttestationSpcAndOrigid() {
    String identity =
        signer.identity(
            Attestation.A, tn("33612345678"), List.of(tn("33987654321")), IAT, "origid-1");

    StirOutcome outcome = verify(identity, "+33612345678", "+33 9 87 65 43 21");

    assertThat(outcome).isInstanceOf(StirOutcome.Pass.class);
    StirOutcome.Pass pass = (StirOutcome.Pass) outcome;
    assertThat(pass.attest()).isEqualTo(Attestation.A);
    assertThat(pass.spc()).isEqualTo(TestPki.SPC);
    assertThat(pass.origid()).isEqualTo("origid-1");
    assertThat(pass.x5u()).isEqualTo(X5U);
  }

  @Test
  void verify_tamperedSignature_failsWith438() {
    String identity =
        signer.identity(Attestation.B, tn("33612345678"), List.of(tn("33987654321")), IAT, "o");
    int dot = identity.indexOf(';');
    int at = dot - 20; // inside the signature, away from base64 padding bits
    char c = identity.charAt(at);
    String tampered =
        identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);

    StirOutcome outcome = verify(tampered, "33612345678", "33987654321");

    assertThat(outcome).isInstanceOf(StirOutcome.Fail.class);
    assertThat(((StirOutcome.Fail) outcome).failure()).isEqualTo(StirFailure.BAD_SIGNATURE);
  }

  private StirOutcome verify(String identity, String caller, String callee) {
    return verifier
        .verify(StirRequest.of(List.of(identity), caller, callee, Optional.empty(), TestPki.NOW))
        .toCompletableFuture()
        .join();
  }

  private static CanonicalTn tn(String digits) {
    return CanonicalTn.parse(digits).orElseThrow();
  }
}
