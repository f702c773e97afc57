package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * Interoperability with a signer and verifier we did not write: {@code secsipidx} (Kamailio's
 * secsipid library, Debian package {@code secsipidx}), both sides using the {@link TestPki}
 * end-entity key.
 *
 * <p>{@code secsipidx} always stamps {@code iat} with the real time and checks it against the real
 * time, so these tests verify at {@link Instant#now()}. The TestPki certificates, however, are
 * valid around {@link TestPki#NOW} only: the certificate source here ignores the instant the
 * verifier asks for and validates the chain at {@link TestPki#NOW}. Freshness is checked at the
 * real time, the certificate at the PKI's time.
 *
 * <p>The test fails, rather than skips, when {@code secsipidx} is not installed: {@code
 * scripts/run-tests.sh} installs it.
 */
class SecsipidxInteropTest {

  private static final String X5U = "https://cert.sp.example.net/sti/sp-1234.pem";
  private static final String ORIG = "33612345678";
  private static final String DEST = "33987654321";
  private static final long TIMEOUT_SECONDS = 20;

  private static Path secsipidx;

  @TempDir Path dir;

  @BeforeAll
  static void findSecsipidx() {
    secsipidx = onPath("secsipidx");
    assertThat(secsipidx)
        .as(
            "secsipidx is not installed: apt-get install secsipidx (scripts/run-tests.sh installs"
                + " it)")
        .isNotNull();
  }

  @Test
  void ourVerifier_headerSignedBySecsipidx_passes() throws Exception {
    Result signed = signWithSecsipidx("+" + ORIG, DEST, "A", "5fd0e3c8-6a61-4b43-9b1e-secsipidx");

    StirOutcome outcome = verifyNow(signed.stdout().strip(), "+" + ORIG, "+" + DEST);

    assertThat(outcome).as(signed.stdout()).isInstanceOf(StirOutcome.Pass.class);
    StirOutcome.Pass pass = (StirOutcome.Pass) outcome;
    assertThat(pass.attest()).isEqualTo(Attestation.A);
    assertThat(pass.origid()).isEqualTo("5fd0e3c8-6a61-4b43-9b1e-secsipidx");
    assertThat(pass.spc()).isEqualTo(TestPki.SPC);
    assertThat(pass.x5u()).isEqualTo(X5U);
  }

  @Test
  void ourVerifier_secsipidxHeaderForAnotherCaller_returns438() throws Exception {
    Result signed = signWithSecsipidx(ORIG, DEST, "B", "o-1");

    StirOutcome outcome = verifyNow(signed.stdout().strip(), "33600000000", DEST);

    assertThat(outcome).isInstanceOf(StirOutcome.Fail.class);
    assertThat(((StirOutcome.Fail) outcome).failure()).isEqualTo(StirFailure.ORIG_MISMATCH);
  }

  @Test
  void ourVerifier_secsipidxHeaderWithATamperedPayload_returnsBadSignature() throws Exception {
    String identity = signWithSecsipidx(ORIG, DEST, "A", "o-2").stdout().strip();

    StirOutcome outcome = verifyNow(withAttest(identity, "B"), ORIG, DEST);

    assertThat(outcome).isInstanceOf(StirOutcome.Fail.class);
    assertThat(((StirOutcome.Fail) outcome).failure()).isEqualTo(StirFailure.BAD_SIGNATURE);
  }

  @Test
  void secsipidxCheck_headerSignedByUs_isOk() throws Exception {
    String identity = ourIdentity();

    Result check = checkWithSecsipidx(identity);

    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(check.stdout().strip()).isEqualTo("ok");
  }

  @Test
  void secsipidxCheck_headerWeTamperedWith_isNotOk() throws Exception {
    String identity = ourIdentity();

    Result payload = checkWithSecsipidx(withAttest(identity, "B"));
    Result signature = checkWithSecsipidx(withFlippedSignature(identity));

    assertThat(payload.exit()).as(payload.toString()).isNotZero();
    assertThat(payload.stdout()).contains("not-ok");
    assertThat(signature.exit()).as(signature.toString()).isNotZero();
    assertThat(signature.stdout()).contains("not-ok");
  }

  @Test
  void secsipidxCheck_headerWeSignedForAnotherKey_isNotOk() throws Exception {
    PassportSigner impostor =
        new PassportSigner(TestPki.ecKeyPair().getPrivate(), X5U, Es256.shared());
    String identity =
        impostor.identity(Attestation.A, tn(ORIG), List.of(tn(DEST)), Instant.now(), "o");

    Result check = checkWithSecsipidx(identity);

    assertThat(check.exit()).as(check.toString()).isNotZero();
  }

  /** A header signed by our PassportSigner with the TestPki key, iat now. */
  private String ourIdentity() {
    PassportSigner signer =
        new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());
    return signer.identity(
        Attestation.A, tn(ORIG), List.of(tn(DEST)), Instant.now(), "7c1f8e0a-ours");
  }

  private Result signWithSecsipidx(String orig, String dest, String attest, String origid)
      throws Exception {
    Path key =
        TestPki.writePem(dir.resolve("sp-key.pem"), TestPki.pem(TestPki.endEntity().privateKey()));
    Result signed =
        run(
            "-sign-full",
            "-orig-tn",
            orig,
            "-dest-tn",
            dest,
            "-attest",
            attest,
            "-orig-id",
            origid,
            "-x5u",
            X5U,
            "-k",
            key.toString());
    assertThat(signed.exit()).as(signed.toString()).isZero();
    assertThat(signed.stdout()).contains(";info=<" + X5U + ">");
    return signed;
  }

  private Result checkWithSecsipidx(String identity) throws Exception {
    Path file = dir.resolve("identity.txt");
    Files.writeString(file, identity, StandardCharsets.US_ASCII);
    Path publicKey =
        TestPki.writePem(
            dir.resolve("sp-pub.pem"),
            TestPki.pemBlock(
                "PUBLIC KEY", TestPki.endEntity().certificate().getPublicKey().getEncoded()));
    return run(
        "-check",
        "-fidentity",
        file.toString(),
        "-fpubkey",
        publicKey.toString(),
        "-expire",
        "300");
  }

  /** Our verifier at the real time; the certificate validated at TestPki.NOW (class comment). */
  private static StirOutcome verifyNow(String identity, String caller, String callee)
      throws Exception {
    StiCertificateValidator validator =
        new StiCertificateValidator(
            TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());
    CertificateSource atPkiTime =
        (x5u, ignoredNow) ->
            CompletableFuture.completedFuture(
                validator.validate(
                    CertificateChain.of(
                        TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
                    TestPki.NOW));
    StirVerifier verifier = new StirVerifier(StirPolicy.MAN, atPkiTime, Es256.shared());
    return verifier
        .verify(StirRequest.of(List.of(identity), caller, callee, Optional.empty(), Instant.now()))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  /** The header with its claims re-encoded with another attest, the signature unchanged. */
  private static String withAttest(String identity, String attest) {
    String[] parts = identity.split("\\.", 3);
    String claims =
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String changed = claims.replaceFirst("\"attest\":\"[ABC]\"", "\"attest\":\"" + attest + "\"");
    assertThat(changed).isNotEqualTo(claims);
    return parts[0] + "." + Passport.base64Url(changed) + "." + parts[2];
  }

  private static String withFlippedSignature(String identity) {
    int at = identity.indexOf(';') - 10;
    char c = identity.charAt(at);
    return identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);
  }

  private record Result(int exit, String stdout, String stderr) {}

  /** Runs secsipidx with its output in files, so that no pipe can fill up and block it. */
  private Result run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(secsipidx.toString());
    command.addAll(List.of(arguments));
    Path stdout = Files.createTempFile(dir, "secsipidx", ".out");
    Path stderr = Files.createTempFile(dir, "secsipidx", ".err");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("secsipidx did not finish in " + TIMEOUT_SECONDS + " s: " + command);
    }
    return new Result(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  private static Path onPath(String program) {
    String path =
        System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/bin";
    for (String directory : path.split(java.io.File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static CanonicalTn tn(String number) {
    return CanonicalTn.parse(number).orElseThrow();
  }
}
