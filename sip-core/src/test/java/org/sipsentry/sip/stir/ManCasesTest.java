package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.sip.stir.cert.TestPki;

/** Every {@link ManCases} case through the real {@link StirVerifier}. */
class ManCasesTest {

  static Stream<ManCases.Case> cases() {
    return ManCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verify_case_givesTheExpectedOutcome(ManCases.Case c) throws Exception {
    StirVerifier verifier = new StirVerifier(c.policy(), c.certificateSource(), Es256.shared());

    StirOutcome outcome =
        verifier.verify(c.request()).toCompletableFuture().get(5, TimeUnit.SECONDS);

    if (c.expectsPass()) {
      assertThat(outcome).as(c.description()).isInstanceOf(StirOutcome.Pass.class);
      StirOutcome.Pass pass = (StirOutcome.Pass) outcome;
      assertThat(pass.attest()).isEqualTo(Attestation.A);
      assertThat(pass.origid()).isEqualTo(ManCases.ORIGID);
      assertThat(pass.spc()).isEqualTo(TestPki.SPC);
      assertThat(pass.x5u()).isEqualTo(c.x5u());
    } else {
      assertThat(outcome).as(c.description()).isInstanceOf(StirOutcome.Fail.class);
      StirOutcome.Fail fail = (StirOutcome.Fail) outcome;
      assertThat(fail.failure()).as(fail.detail()).isEqualTo(c.expected().orElseThrow());
      assertThat(fail.failure().code()).isEqualTo(c.expectedCode());
      assertThat(fail.indeterminate()).isFalse();
    }
  }

  @Test
  void man_coversTheSuiteNumbers04To26() {
    List<String> ids = ManCases.man().stream().map(ManCases.Case::id).toList();

    assertThat(ids).hasSize(24).contains("man-04", "man-08a", "man-08b", "man-26");
    assertThat(ManCases.man())
        .extracting(ManCases.Case::expectedCode)
        .containsOnly(200, 400, 403, 428, 436, 437, 438);
  }

  @Test
  void all_idsAreUnique() {
    Set<String> seen = new HashSet<>();
    for (ManCases.Case c : ManCases.all()) {
      assertThat(seen.add(c.id())).as(c.id()).isTrue();
    }
  }

  @Test
  void certificateSource_unknownUrl_isUnavailable() {
    ManCases.Case c = ManCases.byId("man-04");

    var validation =
        c.certificateSource()
            .certificate("https://elsewhere.example.net/x.pem", c.now())
            .toCompletableFuture()
            .join();

    assertThat(validation)
        .isInstanceOfSatisfying(
            org.sipsentry.sip.stir.cert.CertificateValidation.Invalid.class,
            invalid ->
                assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNAVAILABLE));
  }

  @Test
  void trustAnchorPem_isTheRootOfEveryValidChain() {
    assertThat(ManCases.trustAnchorPem())
        .startsWith("-----BEGIN CERTIFICATE-----")
        .isEqualTo(TestPki.pem(TestPki.root().certificate()));
  }
}
