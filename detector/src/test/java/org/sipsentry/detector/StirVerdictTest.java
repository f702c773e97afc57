package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.sipsentry.detector.Calls.call;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * STIR/SHAKEN verification through the detector: headers signed with the test PKI, a fake
 * certificate source standing in for the fetcher, the clock pinned to {@link TestPki#NOW}.
 */
class StirVerdictTest {

  private static final String X5U = "https://certs.example.net/sp.pem";
  private static final String UNREACHABLE_X5U = "https://slow.example.net/sp.pem";
  private static final String CALLER = "+41446681800";
  private static final String CALLEE = "+41797654321";

  private static final StiCertificateValidator VALIDATOR =
      new StiCertificateValidator(
          TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());

  private static final PassportSigner SIGNER =
      new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());

  /** Per x5u, the stage the fake source answers; unknown URLs are validated at once. */
  private final Map<String, CompletionStage<CertificateValidation>> answers =
      new ConcurrentHashMap<>();

  private final CertificateSource source =
      (x5u, now) ->
          answers.getOrDefault(
              x5u,
              CompletableFuture.completedFuture(
                  VALIDATOR.validate(
                      CertificateChain.of(
                          TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
                      now)));

  private final StirVerifier verifier =
      new StirVerifier(StirPolicy.DEFAULT, source, Es256.shared());

  private static Trunk carrier(StirSettings stir) {
    return new Trunk("carrier", List.of(Cidr.parse("192.0.2.0/24")), true, stir);
  }

  private static Trunk peer(StirSettings stir) {
    return new Trunk("peer", List.of(Cidr.parse("198.51.100.0/24")), false, stir);
  }

  private static StirSettings stir(
      StirSettings.Mode mode,
      StirSettings.OnFailure onFailure,
      StirSettings.OnIndeterminate onIndeterminate) {
    return new StirSettings(mode, onFailure, onIndeterminate, Map.of(), false);
  }

  private static final StirSettings VERIFY = StirSettings.of(StirSettings.Mode.VERIFY);

  private Detector detector(Trunk trunk, Map<String, RuleSettings> rules) {
    return Detector.of(
        new DetectorSettings("CH", List.of(trunk), rules, 30, 80, SipStatus.REJECTED),
        Optional.of(verifier),
        Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
  }

  /** Inspects and requires the verdict to be ready at once (cached certificate). */
  private Verdict inspect(Trunk trunk, Calls.Builder call) {
    return inspect(trunk, Map.of(), call);
  }

  private Verdict inspect(Trunk trunk, Map<String, RuleSettings> rules, Calls.Builder call) {
    CompletableFuture<Verdict> stage =
        detector(trunk, rules).inspect(call.trunk(trunk).build()).toCompletableFuture();
    assertThat(stage).as("verdict ready at once with a cached certificate").isDone();
    return stage.join();
  }

  private static String identity(Attestation attest, String orig, String dest) {
    return SIGNER.identity(
        attest, tn(orig), List.of(tn(dest)), TestPki.NOW.minusSeconds(2), "origid-" + orig);
  }

  private static CanonicalTn tn(String number) {
    return CanonicalTn.parse(number).orElseThrow();
  }

  /** A signed header whose signature no longer verifies. */
  private static String tampered() {
    String identity = identity(Attestation.A, CALLER, CALLEE);
    int at = identity.indexOf(';') - 20;
    char c = identity.charAt(at);
    return identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);
  }

  private static Calls.Builder signedCall(String identity) {
    return call().from("sip:" + CALLER + "@pbx.example;user=phone").identity(identity);
  }

  private static StirSummary summary(Verdict verdict) {
    assertThat(verdict.stir()).as("STIR summary").isPresent();
    return verdict.stir().get();
  }

  // --- replay and checks that weigh the verified attestation ----------------------------------

  @Test
  void inspect_sameSignedPassportOnAnotherCallId_isPassportReplayNamingTheFirstCall() {
    Trunk trunk = carrier(VERIFY);
    Detector detector = detector(trunk, Map.of());
    String identity = identity(Attestation.A, CALLER, CALLEE);

    Verdict first =
        detector
            .inspect(signedCall(identity).trunk(trunk).callId("first").build())
            .toCompletableFuture()
            .join();
    Verdict retransmitted =
        detector
            .inspect(signedCall(identity).trunk(trunk).callId("first").build())
            .toCompletableFuture()
            .join();
    Verdict replayed =
        detector
            .inspect(signedCall(identity).trunk(trunk).callId("second").build())
            .toCompletableFuture()
            .join();

    assertThat(first.reasons()).doesNotContain("passport-replay");
    assertThat(retransmitted.reasons()).doesNotContain("passport-replay");
    assertThat(replayed.action()).isEqualTo(Action.BLOCK);
    assertThat(replayed.findings())
        .filteredOn(f -> f.ruleId().equals("passport-replay"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.evidence())
                    .startsWith("PASSporT (origid origid-" + CALLER + ", iat ")
                    .endsWith(") was first presented by Call-ID first"));
  }

  @Test
  void inspect_protectedNumberNeedingA_passesWithAAndIsFoundWithC() {
    org.sipsentry.detector.numbers.NumberList.Builder list =
        org.sipsentry.detector.numbers.NumberList.builder();
    list.add(
        CALLER.substring(1),
        false,
        new org.sipsentry.detector.numbers.NumberRule(
            java.util.Set.of("carrier"), Optional.of(Attestation.A)));
    Trunk trunk = carrier(VERIFY);
    Detector detector =
        Detector.of(
            new DetectorSettings(
                List.of("CH"),
                List.of(trunk),
                Map.of(),
                30,
                80,
                SipStatus.REJECTED,
                new CheckOptions(
                    false,
                    List.of(
                        new org.sipsentry.detector.numbers.NamedList("bank.txt", list.build())))),
            Optional.of(verifier),
            Clock.fixed(TestPki.NOW, ZoneOffset.UTC));

    Verdict withA =
        detector
            .inspect(signedCall(identity(Attestation.A, CALLER, CALLEE)).trunk(trunk).build())
            .toCompletableFuture()
            .join();
    Verdict withC =
        detector
            .inspect(
                signedCall(identity(Attestation.C, CALLER, CALLEE))
                    .trunk(trunk)
                    .callId("other")
                    .build())
            .toCompletableFuture()
            .join();

    assertThat(withA.reasons()).doesNotContain("protected-number");
    assertThat(withC.reasons()).contains("protected-number");
    assertThat(withC.findings())
        .filteredOn(f -> f.ruleId().equals("protected-number"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).endsWith("needs attestation A, call has C"));
  }

  // --- pass ------------------------------------------------------------------------------------

  @Test
  void inspect_validHeaderCachedCertificate_passesAtOnceWithAttestationFinding() {
    Verdict verdict = inspect(carrier(VERIFY), signedCall(identity(Attestation.A, CALLER, CALLEE)));

    StirSummary stir = summary(verdict);
    assertThat(stir.verstat()).isEqualTo("TN-Validation-Passed");
    assertThat(stir.passed()).isTrue();
    assertThat(stir.failure()).isEmpty();
    assertThat(stir.response()).isEmpty();
    assertThat(stir.attest()).contains(Attestation.A);
    assertThat(stir.spc()).contains(TestPki.SPC);
    assertThat(stir.origid()).contains("origid-" + CALLER);
    assertThat(stir.x5u()).contains(X5U);
    assertThat(stir.reasonHeaderValue()).isEmpty();
    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.findings())
        .extracting(Finding::ruleId, Finding::weight, Finding::evidence)
        .containsExactly(Tuple.tuple("stir-attestation-a", 0, "attestation A signed by SPC 1234"));
  }

  @Test
  void inspect_attestationSuffixOn_verstatCarriesIt() {
    StirSettings suffixed =
        new StirSettings(
            StirSettings.Mode.VERIFY,
            StirSettings.OnFailure.CONTINUE,
            StirSettings.OnIndeterminate.FAIL_OPEN,
            Map.of(),
            true);

    Verdict verdict =
        inspect(carrier(suffixed), signedCall(identity(Attestation.B, CALLER, CALLEE)));

    assertThat(summary(verdict).verstat()).isEqualTo("TN-Validation-Passed-B");
    assertThat(verdict.reasons()).containsExactly("stir-attestation-b");
  }

  @Test
  void inspect_gatewayAttestation_weighsByDefault() {
    Verdict verdict = inspect(carrier(VERIFY), signedCall(identity(Attestation.C, CALLER, CALLEE)));

    assertThat(verdict.findings())
        .extracting(Finding::ruleId, Finding::weight)
        .containsExactly(Tuple.tuple("stir-attestation-c", 10));
    assertThat(verdict.score()).isEqualTo(10);
  }

  @Test
  void inspect_trustedTelPaiBehindAnonymousFrom_boundToThePai() {
    Calls.Builder call =
        call()
            .from("\"Anonymous\" <sip:anonymous@anonymous.invalid>")
            .pai("sip:+41791111111@carrier.example", "tel:" + CALLER)
            .privacy("id")
            .identity(identity(Attestation.A, CALLER, CALLEE));

    assertThat(summary(inspect(carrier(VERIFY), call)).passed()).isTrue();
  }

  @Test
  void inspect_untrustedPai_ignoredSoTheFromMustMatch() {
    Calls.Builder call =
        call()
            .from("sip:+41791111111@peer.example")
            .pai("tel:" + CALLER)
            .identity(identity(Attestation.A, CALLER, CALLEE));

    StirSummary stir = summary(inspect(peer(VERIFY), call));

    assertThat(stir.failure()).contains(StirFailure.ORIG_MISMATCH);
  }

  @Test
  void inspect_toIsNoNumber_calleeIsTheRequestUriUser() {
    Calls.Builder call =
        signedCall(identity(Attestation.A, CALLER, CALLEE))
            .to("<sip:office@proxy.example>")
            .requestUri("sip:" + CALLEE + "@proxy.example;user=phone");

    assertThat(summary(inspect(carrier(VERIFY), call)).passed()).isTrue();
  }

  @Test
  void inspect_freshDateHeader_passes() {
    Calls.Builder call =
        signedCall(identity(Attestation.A, CALLER, CALLEE)).date(httpDate(Duration.ofSeconds(3)));

    assertThat(summary(inspect(carrier(VERIFY), call)).passed()).isTrue();
  }

  @Test
  void inspect_unreadableDateHeader_ignoredAsIfAbsent() {
    Calls.Builder call =
        signedCall(identity(Attestation.A, CALLER, CALLEE)).date("yesterday at noon");

    assertThat(summary(inspect(carrier(VERIFY), call)).passed()).isTrue();
  }

  // --- failures --------------------------------------------------------------------------------

  @Test
  void inspect_tamperedSignatureOnContinue_labelledFailedWithEvidence() {
    Verdict verdict = inspect(carrier(VERIFY), signedCall(tampered()));

    StirSummary stir = summary(verdict);
    assertThat(stir.verstat()).isEqualTo("TN-Validation-Failed");
    assertThat(stir.failure()).contains(StirFailure.BAD_SIGNATURE);
    assertThat(stir.response()).contains(new SipStatus(438, "Invalid Identity Header"));
    assertThat(stir.indeterminate()).isFalse();
    assertThat(stir.x5u()).contains(X5U);
    assertThat(stir.attest()).contains(Attestation.A);
    assertThat(stir.origid()).contains("origid-" + CALLER);
    assertThat(stir.spc()).isEmpty();
    assertThat(stir.reasonHeaderValue()).isEmpty();
    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.response()).isEmpty();
    assertThat(verdict.findings())
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.ruleId()).isEqualTo("stir-failed");
              assertThat(finding.weight()).isEqualTo(50);
              assertThat(finding.evidence())
                  .isEqualTo(
                      "bad-signature (438 Invalid Identity Header): signature does not verify"
                          + " with the certificate's key");
            });
  }

  @Test
  void inspect_tamperedSignatureOnReject_blockedWith438() {
    Trunk rejecting =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict = inspect(rejecting, signedCall(tampered()));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.response()).contains(new SipStatus(438, "Invalid Identity Header"));
    assertThat(summary(verdict).verstat()).isEqualTo("TN-Validation-Failed");
  }

  @Test
  void inspect_rejectWithDisabledStirFailedRule_stillBlocksWithoutFinding() {
    Trunk rejecting =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict =
        inspect(
            rejecting,
            Map.of("stir-failed", new RuleSettings(false, 50, Optional.empty(), Optional.empty())),
            signedCall(tampered()));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.findings()).isEmpty();
    assertThat(verdict.score()).isZero();
  }

  @Test
  void inspect_staleIatOnRejectWithMappedResponse_blockedWithTheMappedResponse() {
    SipStatus mapped = new SipStatus(499, "Identity Too Old");
    Trunk rejecting =
        carrier(
            new StirSettings(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_OPEN,
                Map.of(StirFailure.STALE_DATE, mapped),
                false));
    String stale =
        SIGNER.identity(
            Attestation.A,
            tn(CALLER),
            List.of(tn(CALLEE)),
            TestPki.NOW.minus(Duration.ofMinutes(5)),
            "o");

    Verdict verdict = inspect(rejecting, signedCall(stale));

    assertThat(verdict.response()).contains(mapped);
    assertThat(summary(verdict).response()).contains(mapped);
    assertThat(summary(verdict).failure()).contains(StirFailure.STALE_DATE);
  }

  @Test
  void inspect_staleDateHeader_fails403() {
    Calls.Builder call =
        signedCall(identity(Attestation.A, CALLER, CALLEE)).date(httpDate(Duration.ofMinutes(-3)));

    StirSummary stir = summary(inspect(carrier(VERIFY), call));

    assertThat(stir.failure()).contains(StirFailure.STALE_DATE);
    assertThat(stir.response()).contains(new SipStatus(403, "Stale Date"));
  }

  @Test
  void inspect_continueWithReason_forwardedWithRfc9410Reason() {
    Trunk withReason =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.CONTINUE_WITH_REASON,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict = inspect(withReason, signedCall(tampered()));

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(summary(verdict).reasonHeaderValue())
        .contains("STIR;cause=438;text=\"Invalid Identity Header\"");
  }

  @Test
  void inspect_garbageIdentityHeader_failsWithoutThrowing() {
    Verdict verdict = inspect(carrier(VERIFY), signedCall("not;a=jws;;info=<<>>"));

    assertThat(summary(verdict).verstat()).isEqualTo("TN-Validation-Failed");
    assertThat(summary(verdict).failure()).isPresent();
    assertThat(summary(verdict).x5u()).isEmpty();
  }

  // --- no Identity header ----------------------------------------------------------------------

  @Test
  void inspect_noIdentityOnVerifyTrunk_missingFindingOnly() {
    Verdict verdict = inspect(carrier(VERIFY), call());

    StirSummary stir = summary(verdict);
    assertThat(stir.verstat()).isEqualTo("No-TN-Validation");
    assertThat(stir.failure()).isEmpty();
    assertThat(verdict.findings())
        .extracting(Finding::ruleId, Finding::weight, Finding::evidence)
        .containsExactly(Tuple.tuple("stir-missing", 10, "no Identity header"));
    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void inspect_noIdentityOnRequireTrunkWithReject_blocked428() {
    Trunk requiring =
        carrier(
            stir(
                StirSettings.Mode.REQUIRE,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict = inspect(requiring, call());

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.response()).contains(new SipStatus(428, "Use Identity Header"));
    assertThat(summary(verdict).verstat()).isEqualTo("No-TN-Validation");
    assertThat(summary(verdict).failure()).contains(StirFailure.NO_IDENTITY);
    assertThat(verdict.reasons()).containsExactly("stir-failed");
  }

  @Test
  void inspect_noIdentityOnRequireTrunkWithContinue_labelledFailed() {
    Verdict verdict = inspect(carrier(StirSettings.of(StirSettings.Mode.REQUIRE)), call());

    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(summary(verdict).failure()).contains(StirFailure.NO_IDENTITY);
  }

  // --- asynchronous certificate, could not complete --------------------------------------------

  @Test
  void inspect_certificateNotCached_verdictCompletesWhenTheCertificateArrives() throws Exception {
    CompletableFuture<CertificateValidation> fetch = new CompletableFuture<>();
    answers.put(X5U, fetch);

    CompletableFuture<Verdict> stage =
        detector(carrier(VERIFY), Map.of())
            .inspect(
                signedCall(identity(Attestation.A, CALLER, CALLEE)).trunk(carrier(VERIFY)).build())
            .toCompletableFuture();

    assertThat(stage).isNotDone();
    Thread fetcher =
        new Thread(
            () ->
                fetch.complete(
                    VALIDATOR.validate(
                        CertificateChain.of(
                            TestPki.endEntity().certificate(),
                            TestPki.intermediate().certificate()),
                        TestPki.NOW)));
    fetcher.start();
    fetcher.join();
    assertThat(stage).isCompleted();
    assertThat(summary(stage.join()).passed()).isTrue();
  }

  @Test
  void inspect_certificateUnavailableFailOpenEvenOnReject_forwardedLabelled() {
    Trunk rejecting =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict = inspect(rejecting, signedCall(unreachableIdentity()));

    StirSummary stir = summary(verdict);
    assertThat(stir.indeterminate()).isTrue();
    assertThat(stir.failure()).contains(StirFailure.CERTIFICATE_UNAVAILABLE);
    assertThat(stir.verstat()).isEqualTo("No-TN-Validation");
    assertThat(verdict.action()).isEqualTo(Action.LABEL);
    assertThat(verdict.findings().get(0).evidence())
        .isEqualTo("certificate-unavailable (436 Bad Identity Info; could not complete): timeout");
  }

  @Test
  void inspect_certificateUnavailableFailClosed_blocked436() {
    Trunk failClosed =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.CONTINUE,
                StirSettings.OnIndeterminate.FAIL_CLOSED));

    Verdict verdict = inspect(failClosed, signedCall(unreachableIdentity()));

    assertThat(verdict.action()).isEqualTo(Action.BLOCK);
    assertThat(verdict.response()).contains(new SipStatus(436, "Bad Identity Info"));
  }

  @Test
  void inspect_certificateUnavailableFailOpenWithReason_reasonHeaderKept() {
    Trunk withReason =
        carrier(
            stir(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.CONTINUE_WITH_REASON,
                StirSettings.OnIndeterminate.FAIL_OPEN));

    Verdict verdict = inspect(withReason, signedCall(unreachableIdentity()));

    assertThat(summary(verdict).reasonHeaderValue())
        .contains("STIR;cause=436;text=\"Bad Identity Info\"");
  }

  private String unreachableIdentity() {
    answers.put(
        UNREACHABLE_X5U,
        CompletableFuture.completedFuture(
            new CertificateValidation.Invalid(
                StirFailure.CERTIFICATE_UNAVAILABLE, "timeout", true)));
    PassportSigner signer =
        new PassportSigner(TestPki.endEntity().privateKey(), UNREACHABLE_X5U, Es256.shared());
    return signer.identity(
        Attestation.A, tn(CALLER), List.of(tn(CALLEE)), TestPki.NOW.minusSeconds(1), "o");
  }

  // --- off -------------------------------------------------------------------------------------

  @Test
  void inspect_trunkWithStirOff_noSummaryNoStirFinding() {
    Verdict verdict = inspect(carrier(StirSettings.OFF), signedCall(tampered()));

    assertThat(verdict.stir()).isEmpty();
    assertThat(verdict.findings()).isEmpty();
  }

  @Test
  void of_verifyingTrunkWithoutVerifier_rejected() {
    DetectorSettings settings =
        new DetectorSettings("CH", List.of(carrier(VERIFY)), Map.of(), 30, 80, SipStatus.REJECTED);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> Detector.of(settings))
        .withMessage("a trunk verifies STIR/SHAKEN but there is no verifier");
  }

  private static String httpDate(Duration beforeNow) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(TestPki.NOW.minus(beforeNow), ZoneOffset.UTC));
  }
}
