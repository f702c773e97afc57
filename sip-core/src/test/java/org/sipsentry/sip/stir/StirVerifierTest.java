package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.TestPki;

/** Freshness, call binding and the certificate hand-off of {@link StirVerifier}. */
class StirVerifierTest {

  private static final String X5U = ManCases.X5U;
  private static final Instant NOW = TestPki.NOW;
  private static final String CALLER = "+33612345678";
  private static final String CALLEE = "+33987654321";

  private final PassportSigner signer =
      new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());
  private final CertificateSource source = ManCases.byId("man-04").certificateSource();

  @Test
  void verify_iat60SecondsOld_passes() {
    assertThat(
            verify(
                StirPolicy.DEFAULT,
                identity(NOW.minusSeconds(60)),
                CALLER,
                CALLEE,
                Optional.empty()))
        .isInstanceOf(StirOutcome.Pass.class);
  }

  @Test
  void verify_iat60SecondsOldWithSubSecondClock_passes() {
    StirRequest request =
        StirRequest.of(
            List.of(identity(NOW.minusSeconds(60))),
            CALLER,
            CALLEE,
            Optional.empty(),
            NOW.plusMillis(900));

    assertThat(verify(StirPolicy.DEFAULT, request)).isInstanceOf(StirOutcome.Pass.class);
  }

  @Test
  void verify_iat61SecondsOld_returns403() {
    assertFailure(
        verify(
            StirPolicy.DEFAULT, identity(NOW.minusSeconds(61)), CALLER, CALLEE, Optional.empty()),
        StirFailure.STALE_DATE,
        403);
  }

  @Test
  void verify_iat5SecondsInTheFuture_passesWithinTheDefaultSkew() {
    assertThat(
            verify(
                StirPolicy.DEFAULT, identity(NOW.plusSeconds(5)), CALLER, CALLEE, Optional.empty()))
        .isInstanceOf(StirOutcome.Pass.class);
  }

  @Test
  void verify_iat6SecondsInTheFuture_returns403() {
    StirOutcome outcome =
        verify(StirPolicy.DEFAULT, identity(NOW.plusSeconds(6)), CALLER, CALLEE, Optional.empty());

    assertFailure(outcome, StirFailure.STALE_DATE, 403);
    assertThat(((StirOutcome.Fail) outcome).detail()).contains("in the future");
  }

  @Test
  void verify_iatWithinALongerConfiguredWindow_passes() {
    StirPolicy lenient =
        new StirPolicy(Duration.ofMinutes(5), Duration.ofSeconds(30), true, false, false);

    assertThat(verify(lenient, identity(NOW.minusSeconds(299)), CALLER, CALLEE, Optional.empty()))
        .isInstanceOf(StirOutcome.Pass.class);
    assertThat(verify(lenient, identity(NOW.plusSeconds(30)), CALLER, CALLEE, Optional.empty()))
        .isInstanceOf(StirOutcome.Pass.class);
  }

  @Test
  void verify_dateHeaderInThePast_returns403() {
    StirOutcome outcome =
        verify(
            StirPolicy.DEFAULT, identity(NOW), CALLER, CALLEE, Optional.of(NOW.minusSeconds(61)));

    assertFailure(outcome, StirFailure.STALE_DATE, 403);
    assertThat(((StirOutcome.Fail) outcome).detail()).startsWith("Date header");
  }

  @Test
  void verify_dateHeaderInTheFuture_returns403() {
    assertFailure(
        verify(StirPolicy.DEFAULT, identity(NOW), CALLER, CALLEE, Optional.of(NOW.plusSeconds(6))),
        StirFailure.STALE_DATE,
        403);
  }

  @Test
  void verify_staleDateWithTheDateCheckOff_passes() {
    StirPolicy noDate =
        new StirPolicy(Duration.ofSeconds(60), Duration.ofSeconds(5), false, false, false);

    assertThat(
            verify(
                noDate,
                identity(NOW),
                CALLER,
                CALLEE,
                Optional.of(Instant.parse("2010-11-13T23:29:00Z"))))
        .isInstanceOf(StirOutcome.Pass.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+33612345678;tgrp=TG-7;trunk-context=carrier.example.net",
        "33612345678",
        "+33 6 12 34 56 78",
        "+33-6-12.34.56.78",
        "(+33)6-12-34-56-78",
      })
  void verify_callerSpelledWithParametersSeparatorsOrPlus_passes(String caller) {
    assertThat(verify(StirPolicy.DEFAULT, identity(NOW), caller, CALLEE, Optional.empty()))
        .isInstanceOf(StirOutcome.Pass.class);
  }

  @Test
  void verify_calleeAmongSeveralDestTn_passes() {
    String identity =
        signer.identity(
            Attestation.B,
            tn(CALLER),
            List.of(tn("33100000000"), tn(CALLEE), tn("33200000000")),
            NOW,
            "o");

    StirOutcome outcome = verify(StirPolicy.DEFAULT, identity, CALLER, CALLEE, Optional.empty());

    assertThat(outcome).isInstanceOf(StirOutcome.Pass.class);
    assertThat(((StirOutcome.Pass) outcome).attest()).isEqualTo(Attestation.B);
  }

  @Test
  void verify_calleeNotAmongDestTn_returns438() {
    assertFailure(
        verify(StirPolicy.DEFAULT, identity(NOW), CALLER, "+33100000000", Optional.empty()),
        StirFailure.DEST_MISMATCH,
        438);
  }

  @Test
  void verify_calleeNotANumber_returns438() {
    assertFailure(
        verify(StirPolicy.DEFAULT, identity(NOW), CALLER, "bob", Optional.empty()),
        StirFailure.DEST_MISMATCH,
        438);
  }

  @Test
  void verify_compactFormRebuiltFromFromToAndDate_passes() {
    StirOutcome outcome = verifyCompact(CALLER, CALLEE, Optional.of(NOW.minusSeconds(3)));

    assertThat(outcome).isInstanceOf(StirOutcome.Pass.class);
    StirOutcome.Pass pass = (StirOutcome.Pass) outcome;
    assertThat(pass.origid()).isEqualTo("compact-origid");
    assertThat(pass.passport().claims().iat()).isEqualTo(NOW.minusSeconds(3).getEpochSecond());
  }

  @Test
  void verify_compactFormWithAnotherTo_returns438() {
    StirOutcome outcome = verifyCompact(CALLER, "+33100000000", Optional.of(NOW.minusSeconds(3)));

    assertFailure(outcome, StirFailure.BAD_SIGNATURE, 438);
  }

  @Test
  void verify_compactFormWithoutDate_returns438() {
    assertFailure(verifyCompact(CALLER, CALLEE, Optional.empty()), StirFailure.MALFORMED, 438);
  }

  @Test
  void verify_compactFormWithAStaleDateAndTheDateCheckOff_isStillStaleThroughIat() {
    StirPolicy noDate =
        new StirPolicy(Duration.ofSeconds(60), Duration.ofSeconds(5), false, false, false);
    Instant date = NOW.minusSeconds(120);
    String identity = compactIdentity(CALLER, CALLEE, date);

    StirOutcome outcome =
        verify(
            noDate,
            new StirRequest(
                List.of(identity),
                CALLER,
                CALLEE,
                Optional.of(date),
                NOW,
                Optional.of(Attestation.A),
                Optional.of("compact-origid")));

    assertFailure(outcome, StirFailure.STALE_DATE, 403);
    assertThat(((StirOutcome.Fail) outcome).detail()).startsWith("iat");
  }

  @Test
  void verify_noOrigid_returns438() {
    String claims =
        "{\"attest\":\"A\",\"dest\":{\"tn\":[\"33987654321\"]},\"iat\":"
            + NOW.getEpochSecond()
            + ",\"orig\":{\"tn\":\"33612345678\"}}";

    assertFailure(
        verify(
            StirPolicy.DEFAULT,
            signer.identityOf(signer.signJson(claims)),
            CALLER,
            CALLEE,
            Optional.empty()),
        StirFailure.MALFORMED,
        438);
  }

  @Test
  void verify_certificateSourceValidatesAtTheRequestClock() {
    AtomicReference<Instant> asked = new AtomicReference<>();
    CertificateSource recording =
        (x5u, now) -> {
          asked.set(now);
          return source.certificate(x5u, now);
        };
    StirVerifier verifier = new StirVerifier(StirPolicy.DEFAULT, recording, Es256.shared());

    join(
        verifier.verify(
            StirRequest.of(List.of(identity(NOW)), CALLER, CALLEE, Optional.empty(), NOW)));

    assertThat(asked.get()).isEqualTo(NOW);
  }

  @Test
  void verify_certificateSourceFailingExceptionally_isIndeterminate436() {
    CertificateSource broken =
        (x5u, now) -> CompletableFuture.failedFuture(new IllegalStateException("down"));
    StirVerifier verifier = new StirVerifier(StirPolicy.DEFAULT, broken, Es256.shared());

    StirOutcome outcome =
        join(
            verifier.verify(
                StirRequest.of(List.of(identity(NOW)), CALLER, CALLEE, Optional.empty(), NOW)));

    assertFailure(outcome, StirFailure.CERTIFICATE_UNAVAILABLE, 436);
    assertThat(((StirOutcome.Fail) outcome).indeterminate()).isTrue();
  }

  @Test
  void verify_certificateSourceThrowing_isAFailureNotAnException() {
    CertificateSource throwing =
        (x5u, now) -> {
          throw new IllegalStateException("bug in the source");
        };
    StirVerifier verifier = new StirVerifier(StirPolicy.DEFAULT, throwing, Es256.shared());

    StirOutcome outcome =
        join(
            verifier.verify(
                StirRequest.of(List.of(identity(NOW)), CALLER, CALLEE, Optional.empty(), NOW)));

    assertThat(outcome).isInstanceOf(StirOutcome.Fail.class);
    assertThat(((StirOutcome.Fail) outcome).detail()).contains("bug in the source");
  }

  @Test
  void verify_indeterminateInvalidCertificate_keepsIndeterminate() {
    CertificateSource timingOut =
        (x5u, now) ->
            CompletableFuture.completedFuture(
                new CertificateValidation.Invalid(
                    StirFailure.CERTIFICATE_UNAVAILABLE, "timeout", true));
    StirVerifier verifier = new StirVerifier(StirPolicy.DEFAULT, timingOut, Es256.shared());

    StirOutcome outcome =
        join(
            verifier.verify(
                StirRequest.of(List.of(identity(NOW)), CALLER, CALLEE, Optional.empty(), NOW)));

    assertThat(((StirOutcome.Fail) outcome).indeterminate()).isTrue();
  }

  @Test
  void verify_signatureByAnotherKeyThanTheCertificates_returns438() {
    PassportSigner impostor =
        new PassportSigner(TestPki.ecKeyPair().getPrivate(), X5U, Es256.shared());
    String identity = impostor.identity(Attestation.A, tn(CALLER), List.of(tn(CALLEE)), NOW, "o");

    assertFailure(
        verify(StirPolicy.DEFAULT, identity, CALLER, CALLEE, Optional.empty()),
        StirFailure.BAD_SIGNATURE,
        438);
  }

  @Test
  void check_validHeader_needsNoCertificate() {
    StirVerifier verifier =
        new StirVerifier(
            StirPolicy.DEFAULT,
            (x5u, now) -> {
              throw new AssertionError("check() must not look up certificates");
            },
            Es256.shared());

    StirResult<StirVerifier.Checked> checked =
        verifier.check(
            StirRequest.of(List.of(identity(NOW)), CALLER, CALLEE, Optional.empty(), NOW));

    assertThat(checked).isInstanceOf(StirResult.Ok.class);
    assertThat(((StirResult.Ok<StirVerifier.Checked>) checked).value().signature()).hasSize(64);
  }

  private String identity(Instant iat) {
    return signer.identity(Attestation.A, tn(CALLER), List.of(tn(CALLEE)), iat, "o");
  }

  private String compactIdentity(String caller, String callee, Instant date) {
    String payload =
        Passport.compactPayload(
            tn(caller),
            tn(callee),
            date,
            Optional.of(Attestation.A),
            Optional.of("compact-origid"));
    String header =
        Passport.base64Url(
            "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" + X5U + "\"}");
    String[] full = signer.signRaw(header, Passport.base64Url(payload)).split("\\.");
    return full[0] + ".." + full[2] + ";info=<" + X5U + ">;alg=ES256;ppt=shaken";
  }

  /** A compact header signed for the real caller and callee, verified against the given ones. */
  private StirOutcome verifyCompact(String caller, String callee, Optional<Instant> date) {
    String identity = compactIdentity(CALLER, CALLEE, NOW.minusSeconds(3));
    return verify(
        StirPolicy.MAN,
        new StirRequest(
            List.of(identity),
            caller,
            callee,
            date,
            NOW,
            Optional.of(Attestation.A),
            Optional.of("compact-origid")));
  }

  private StirOutcome verify(
      StirPolicy policy, String identity, String caller, String callee, Optional<Instant> date) {
    return verify(policy, StirRequest.of(List.of(identity), caller, callee, date, NOW));
  }

  private StirOutcome verify(StirPolicy policy, StirRequest request) {
    return join(new StirVerifier(policy, source, Es256.shared()).verify(request));
  }

  private static StirOutcome join(java.util.concurrent.CompletionStage<StirOutcome> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the stage did not complete normally", e);
    }
  }

  private static void assertFailure(StirOutcome outcome, StirFailure failure, int code) {
    assertThat(outcome).isInstanceOf(StirOutcome.Fail.class);
    StirOutcome.Fail fail = (StirOutcome.Fail) outcome;
    assertThat(fail.failure()).as(fail.detail()).isEqualTo(failure);
    assertThat(fail.failure().code()).isEqualTo(code);
  }

  private static CanonicalTn tn(String number) {
    return CanonicalTn.parse(number).orElseThrow();
  }
}
