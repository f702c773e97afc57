package org.sipsentry.sip.stir.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.sip.stir.StirFailure;

class StiCertificateValidatorTest {

  private static final X509Certificate ROOT = TestPki.root().certificate();
  private static final X509Certificate INTERMEDIATE = TestPki.intermediate().certificate();
  private static final X509Certificate END_ENTITY = TestPki.endEntity().certificate();

  private final StiCertificateValidator validator =
      new StiCertificateValidator(TrustAnchors.of(ROOT), RevocationLists.none());

  @Test
  void validate_standardChain_isValidWithSpcAndNotAfter() {
    CertificateValidation.Valid valid =
        valid(validator.validate(pem(END_ENTITY, INTERMEDIATE), TestPki.NOW));

    assertThat(valid.endEntity()).isEqualTo(END_ENTITY);
    assertThat(valid.key()).isEqualTo(END_ENTITY.getPublicKey());
    assertThat(valid.spcs()).containsExactly(TestPki.SPC);
    assertThat(valid.notAfter()).isEqualTo(END_ENTITY.getNotAfter().toInstant());
    assertThat(valid.pathNotAfter()).isEqualTo(END_ENTITY.getNotAfter().toInstant());
  }

  @Test
  void validate_intermediateServedFirst_findsTheEndEntity() {
    assertThat(valid(validator.validate(pem(INTERMEDIATE, END_ENTITY), TestPki.NOW)).endEntity())
        .isEqualTo(END_ENTITY);
  }

  @Test
  void validate_rootServedToo_inAnyOrder_isValid() {
    assertThat(validator.validate(pem(ROOT, INTERMEDIATE, END_ENTITY), TestPki.NOW))
        .isInstanceOf(CertificateValidation.Valid.class);
    assertThat(validator.validate(pem(END_ENTITY, ROOT, INTERMEDIATE), TestPki.NOW))
        .isInstanceOf(CertificateValidation.Valid.class);
  }

  @Test
  void validate_twoIntermediatesServedInAnyOrder_isValid() {
    TestPki.Issued upper = TestPki.intermediateCa(TestPki.root(), "Upper Intermediate", -1);
    TestPki.Issued lower = TestPki.intermediateCa(upper, "Lower Intermediate", 0);
    TestPki.Issued ee =
        TestPki.endEntity(
            lower,
            "SHAKEN deep",
            TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(1)),
            TestPki.ecKeyPair(),
            TestPki.tnAuthListSpc("777"),
            false);
    X509Certificate u = upper.certificate();
    X509Certificate l = lower.certificate();
    X509Certificate e = ee.certificate();

    for (X509Certificate[] order :
        new X509Certificate[][] {{e, l, u}, {e, u, l}, {u, l, e}, {l, u, e}, {u, e, l}}) {
      CertificateValidation result = validator.validate(pem(order), TestPki.NOW);
      assertThat(valid(result).endEntity()).isEqualTo(e);
      assertThat(valid(result).spcs()).containsExactly("777");
    }
    assertThat(invalid(validator.validate(pem(e, u), TestPki.NOW)).failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_endEntityWithoutIntermediate_isUntrusted() {
    assertThat(invalid(validator.validate(pem(END_ENTITY), TestPki.NOW)).failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_derBodyOfAnEndEntityIssuedByTheRoot_isValid() throws Exception {
    TestPki.Issued direct =
        TestPki.endEntity(
            TestPki.root(),
            "SHAKEN direct",
            TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(1)),
            TestPki.ecKeyPair(),
            TestPki.tnAuthListSpc("4321"),
            false);

    CertificateValidation result =
        validator.validate(direct.certificate().getEncoded(), TestPki.NOW);

    assertThat(valid(result).spcs()).containsExactly("4321");
  }

  @Test
  void validate_expiredEndEntity_isCertificateExpired437() {
    TestPki.Issued expired = TestPki.expiredEndEntity();

    CertificateValidation.Invalid invalid =
        invalid(validator.validate(pem(expired.certificate(), INTERMEDIATE), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_EXPIRED);
    assertThat(invalid.failure().code()).isEqualTo(437);
    assertThat(invalid.detail()).contains("certificate 0 (end-entity").contains("expired at");
    assertThat(invalid.indeterminate()).isFalse();
  }

  @Test
  void validate_notYetValidEndEntity_isNotYetValid437() {
    CertificateValidation.Invalid invalid =
        invalid(
            validator.validate(
                pem(TestPki.notYetValidEndEntity().certificate(), INTERMEDIATE), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_NOT_YET_VALID);
    assertThat(invalid.failure().code()).isEqualTo(437);
  }

  @Test
  void validate_standardChainLongAfterItsValidity_isExpired() {
    Instant later = TestPki.NOW.plus(Duration.ofDays(400));

    assertThat(invalid(validator.validate(pem(END_ENTITY, INTERMEDIATE), later)).failure())
        .isEqualTo(StirFailure.CERTIFICATE_EXPIRED);
  }

  @Test
  void validate_chainOfAnotherRootWithTheSameNames_isUntrusted() {
    TestPki.Issued other = TestPki.endEntityUnderOtherRoot();

    CertificateValidation.Invalid invalid =
        invalid(
            validator.validate(
                pem(other.certificate(), TestPki.otherRoot().intermediate().certificate()),
                TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_endEntityOfAnotherRootWithOurIntermediate_isUntrusted() {
    // Same issuer name, different key: the signature check, not the names, must refuse it.
    TestPki.Issued other = TestPki.endEntityUnderOtherRoot();

    assertThat(
            invalid(validator.validate(pem(other.certificate(), INTERMEDIATE), TestPki.NOW))
                .failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_noTnAuthList_isNoTnAuthList437() {
    CertificateValidation.Invalid invalid =
        invalid(
            validator.validate(
                pem(TestPki.endEntityWithoutTnAuthList().certificate(), INTERMEDIATE),
                TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.NO_TN_AUTH_LIST);
    assertThat(invalid.failure().code()).isEqualTo(437);
  }

  @Test
  void validate_criticalTnAuthList_isAccepted() {
    assertThat(
            valid(
                    validator.validate(
                        pem(TestPki.endEntityWithCriticalTnAuthList().certificate(), INTERMEDIATE),
                        TestPki.NOW))
                .spcs())
        .containsExactly(TestPki.SPC);
  }

  @Test
  void validate_rsaEndEntity_isUntrusted() {
    CertificateValidation.Invalid invalid =
        invalid(
            validator.validate(
                pem(TestPki.rsaEndEntity().certificate(), INTERMEDIATE), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(invalid.detail()).contains("RSA").contains("not EC P-256");
  }

  @Test
  void validate_endEntityRevokedByTheIntermediatesCrl_isUntrusted() {
    TestPki.Issued victim = TestPki.endEntityWithCriticalTnAuthList();
    StiCertificateValidator withCrl =
        new StiCertificateValidator(
            TrustAnchors.of(ROOT),
            RevocationLists.of(TestPki.crl(TestPki.intermediate(), victim.certificate())));

    CertificateValidation.Invalid invalid =
        invalid(withCrl.validate(pem(victim.certificate(), INTERMEDIATE), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(invalid.detail()).contains("revoked");
    // The CRL revokes that certificate only; with no CRL for the root, the rest is not refused.
    assertThat(withCrl.validate(pem(END_ENTITY, INTERMEDIATE), TestPki.NOW))
        .isInstanceOf(CertificateValidation.Valid.class);
  }

  @Test
  void validate_intermediateRevokedByTheRootsCrl_isUntrusted() {
    StiCertificateValidator withCrl =
        new StiCertificateValidator(
            TrustAnchors.of(ROOT), RevocationLists.of(TestPki.crl(TestPki.root(), INTERMEDIATE)));

    CertificateValidation.Invalid invalid =
        invalid(withCrl.validate(pem(END_ENTITY, INTERMEDIATE), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(invalid.detail()).contains("certificate 1").contains("revoked");
  }

  @Test
  void validate_pemWithCrlfAndTextAroundAndOtherBlocks_isValid() {
    String body =
        "chain for SPC 1234\r\n"
            + TestPki.pem(END_ENTITY).replace("\n", "\r\n")
            + "-----BEGIN X509 CRL-----\r\nAAAA\r\n-----END X509 CRL-----\r\n"
            + "intermediate:\r\n"
            + TestPki.pem(INTERMEDIATE).replace("\n", "\r\n");

    assertThat(validator.validate(body.getBytes(StandardCharsets.US_ASCII), TestPki.NOW))
        .isInstanceOf(CertificateValidation.Valid.class);
  }

  @Test
  void validate_truncatedPem_isUntrustedNamingTheTruncation() {
    String chain = TestPki.pem(END_ENTITY, INTERMEDIATE);
    String truncated = chain.substring(0, chain.length() - 40);

    CertificateValidation.Invalid invalid =
        invalid(validator.validate(truncated.getBytes(StandardCharsets.US_ASCII), TestPki.NOW));

    assertThat(invalid.failure()).isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(invalid.detail()).contains("certificate 2").contains("truncated");
  }

  @Test
  void validate_pemCutInsideTheFirstCertificate_isUntrusted() {
    String chain = TestPki.pem(END_ENTITY, INTERMEDIATE);
    int cut = chain.indexOf("-----END");
    String broken = chain.substring(0, cut - 30) + chain.substring(cut);

    assertThat(
            invalid(validator.validate(broken.getBytes(StandardCharsets.US_ASCII), TestPki.NOW))
                .failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "<html><body>404 Not Found</body></html>",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
        "0",
      })
  void validate_garbageBody_isUntrustedNotAnException(String body) {
    assertThat(
            invalid(validator.validate(body.getBytes(StandardCharsets.ISO_8859_1), TestPki.NOW))
                .failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_garbageStartingLikeDer_isUntrusted() throws Exception {
    byte[] der = END_ENTITY.getEncoded();

    assertThat(
            invalid(validator.validate(Arrays.copyOf(der, der.length / 2), TestPki.NOW)).failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(
            invalid(validator.validate(new byte[] {0x30, (byte) 0x82, 0x7f}, TestPki.NOW))
                .failure())
        .isEqualTo(StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void validate_moreThanMaxCertificates_isUntrusted() {
    X509Certificate[] many = new X509Certificate[CertificateChain.MAX_CERTIFICATES + 1];
    Arrays.fill(many, INTERMEDIATE);
    many[0] = END_ENTITY;

    assertThat(invalid(validator.validate(pem(many), TestPki.NOW)).detail())
        .contains("more than " + CertificateChain.MAX_CERTIFICATES);
  }

  @Test
  void validate_duplicatedCertificates_isValid() {
    assertThat(
            validator.validate(
                pem(END_ENTITY, END_ENTITY, INTERMEDIATE, INTERMEDIATE), TestPki.NOW))
        .isInstanceOf(CertificateValidation.Valid.class);
  }

  @Test
  void validate_onlyTheRoot_isNoTnAuthList() {
    assertThat(invalid(validator.validate(pem(ROOT), TestPki.NOW)).failure())
        .isEqualTo(StirFailure.NO_TN_AUTH_LIST);
  }

  @Test
  void validate_intermediateExpiringBeforeTheEndEntity_reportsItInPathNotAfter() {
    TestPki.Hierarchy h = TestPki.hierarchy("Short");
    // hierarchy() gives ten-year CAs; an end-entity outliving none of them has pathNotAfter = its
    // own.
    TestPki.Issued ee =
        TestPki.endEntity(
            h.intermediate(),
            "SHAKEN long",
            TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(3650 + 10)),
            TestPki.ecKeyPair(),
            TestPki.tnAuthListSpc("1"),
            false);
    StiCertificateValidator v =
        new StiCertificateValidator(
            TrustAnchors.of(h.root().certificate()), RevocationLists.none());

    CertificateValidation.Valid valid =
        valid(v.validate(pem(ee.certificate(), h.intermediate().certificate()), TestPki.NOW));

    assertThat(valid.pathNotAfter())
        .isEqualTo(h.intermediate().certificate().getNotAfter().toInstant());
    assertThat(valid.pathNotAfter()).isBefore(valid.notAfter());
  }

  @Test
  void validate_seededMutationsOfAChainBody_returnAResultNotAnException() throws Exception {
    byte[] pem = pem(END_ENTITY, INTERMEDIATE);
    byte[] der = END_ENTITY.getEncoded();
    java.util.Random random = new java.util.Random(5280);
    for (int i = 0; i < 800; i++) {
      byte[] body = (i % 2 == 0 ? pem : der).clone();
      if (random.nextInt(10) == 0) {
        body = Arrays.copyOf(body, random.nextInt(body.length));
      }
      for (int k = random.nextInt(3); k >= 0 && body.length > 0; k--) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }

      assertThat(validator.validate(body, TestPki.NOW)).as("mutant %d", i).isNotNull();
    }
  }

  private static byte[] pem(X509Certificate... certificates) {
    return TestPki.pemBytes(certificates);
  }

  private static CertificateValidation.Valid valid(CertificateValidation validation) {
    assertThat(validation).isInstanceOf(CertificateValidation.Valid.class);
    return (CertificateValidation.Valid) validation;
  }

  private static CertificateValidation.Invalid invalid(CertificateValidation validation) {
    assertThat(validation).isInstanceOf(CertificateValidation.Invalid.class);
    return (CertificateValidation.Invalid) validation;
  }
}
