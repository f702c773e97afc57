package org.sipsentry.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * The whole {@link StirVerifier#verify} of one INVITE's Identity header when the certificate is
 * cached: header parsing and selection, PASSporT decoding (base64url, JSON), the claim, freshness
 * and call-binding checks, and the ES256 verification. The {@code CertificateSource} returns an
 * already completed stage holding the validated chain, as the proxy's cache does for a known x5u;
 * the chain validation itself is not measured.
 *
 * <p>Run with {@code scripts/bench.sh VerifyInviteBenchmark}; figures in {@code
 * docs/PERFORMANCE.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class VerifyInviteBenchmark {

  private static final String X5U = "https://certs.example.net/sp.pem";

  private StirVerifier verifier;
  private StirRequest request;

  @Setup
  public void setUp() {
    StiCertificateValidator validator =
        new StiCertificateValidator(
            TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());
    CertificateValidation valid =
        validator.validate(
            CertificateChain.of(
                TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
            TestPki.NOW);
    if (!(valid instanceof CertificateValidation.Valid)) {
      throw new IllegalStateException("test chain does not validate: " + valid);
    }
    CompletionStage<CertificateValidation> cached = CompletableFuture.completedFuture(valid);
    verifier = new StirVerifier(StirPolicy.DEFAULT, (x5u, now) -> cached, Es256.shared());

    PassportSigner signer =
        new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());
    Instant iat = TestPki.NOW.minus(Duration.ofSeconds(2));
    String identity =
        signer.identity(
            Attestation.A,
            CanonicalTn.parse("33612345678").orElseThrow(),
            List.of(CanonicalTn.parse("33987654321").orElseThrow()),
            iat,
            "123e4567-e89b-12d3-a456-426614174000");
    request =
        StirRequest.of(
            List.of(identity), "+33612345678", "+33987654321", Optional.of(iat), TestPki.NOW);
    StirOutcome outcome = verify();
    if (!(outcome instanceof StirOutcome.Pass)) {
      throw new IllegalStateException("benchmark INVITE does not verify: " + outcome);
    }
  }

  @Benchmark
  public StirOutcome verify() {
    return verifier.verify(request).toCompletableFuture().join();
  }
}
