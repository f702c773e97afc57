package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.cert.TestPki;

class PassportSignerTest {

  private static final String X5U = "https://cert.example.net/sti/sp.pem";
  private static final Instant IAT = Instant.ofEpochSecond(1772366398);
  private static final KeyPair KEYS = TestPki.ecKeyPair();

  /** The OID prime256v1 as {@code openssl ecparam -genkey} writes it before the key. */
  private static final String EC_PARAMETERS =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

  private final PassportSigner signer = new PassportSigner(KEYS.getPrivate(), X5U, Es256.shared());

  @Test
  void claims_areCanonicalJsonWithSortedKeysAndNoSpaces() {
    String claims =
        PassportSigner.claims(
            Attestation.A,
            tn("+33612345678"),
            List.of(tn("33987654321"), tn("+1 202 555 0143")),
            IAT,
            "4437c7eb-8f92-4a3a-9b1d-6e3c0f1d2a55");

    assertThat(claims)
        .isEqualTo(
            "{\"attest\":\"A\",\"dest\":{\"tn\":[\"33987654321\",\"12025550143\"]},"
                + "\"iat\":1772366398,\"orig\":{\"tn\":\"33612345678\"},"
                + "\"origid\":\"4437c7eb-8f92-4a3a-9b1d-6e3c0f1d2a55\"}");
  }

  @Test
  void passport_joseHeaderIsCanonicalJson() {
    String passport = signer.passport(Attestation.B, tn("1"), List.of(tn("2")), IAT, "o");

    String header = passport.substring(0, passport.indexOf('.'));
    assertThat(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\","
                + "\"x5u\":\"https://cert.example.net/sti/sp.pem\"}");
    assertThat(passport).doesNotContain("=").doesNotContain("+").doesNotContain("/");
  }

  @Test
  void identity_isFullFormWithInfoAlgAndPpt_andVerifies() {
    String identity = signer.identity(Attestation.C, tn("1"), List.of(tn("2")), IAT, "o");

    assertThat(identity).endsWith(";info=<" + X5U + ">;alg=ES256;ppt=shaken");
    IdentityHeader parsed =
        ((StirResult.Ok<IdentityHeader>) IdentityHeader.parse(identity)).value();
    Passport passport = ((StirResult.Ok<Passport>) Passport.decode(parsed)).value();
    assertThat(passport.claims().attest()).isEqualTo("C");
    assertThat(passport.header().x5u()).isEqualTo(X5U);
    byte[] signature = Base64.getUrlDecoder().decode(parsed.signature());
    assertThat(
            Es256.shared()
                .verify(
                    KEYS.getPublic(),
                    passport.signingInput().getBytes(StandardCharsets.US_ASCII),
                    signature))
        .isTrue();
  }

  @Test
  void signRaw_signsTheGivenPartsVerbatim() {
    String jws = signer.signRaw("e30", "e30");

    assertThat(jws).startsWith("e30.e30.");
    byte[] signature = Base64.getUrlDecoder().decode(jws.substring(8));
    assertThat(
            Es256.shared()
                .verify(KEYS.getPublic(), "e30.e30".getBytes(StandardCharsets.US_ASCII), signature))
        .isTrue();
  }

  @Test
  void constructor_rsaKey_isRefused() {
    PrivateKey rsa = TestPki.keyPair("RSA", null).getPrivate();

    assertThatThrownBy(() -> new PassportSigner(rsa, X5U, Es256.shared()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  @Test
  void readPrivateKey_pkcs8_readsTheKey(@TempDir Path dir) {
    Path file = TestPki.writePem(dir.resolve("key.pem"), TestPki.pem(KEYS.getPrivate()));

    assertThat(signsLikeTheKeyPair(PassportSigner.readPrivateKey(file))).isTrue();
  }

  @Test
  void readPrivateKey_sec1WithoutPublicKeyAfterEcParameters_readsTheKey(@TempDir Path dir)
      throws Exception {
    String sec1 = sec1(KEYS.getPrivate());
    assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path file = TestPki.writePem(dir.resolve("key.pem"), EC_PARAMETERS + sec1);

    assertThat(signsLikeTheKeyPair(PassportSigner.readPrivateKey(file))).isTrue();
  }

  @Test
  void readPrivateKey_opensslEcparamOutput_signsForItsPublicKey() throws Exception {
    Path key = resource("openssl-ec-private-key.pem");
    PublicKey publicKey;
    try (PEMParser parser =
        new PEMParser(Files.newBufferedReader(resource("openssl-ec-public-key.pem")))) {
      publicKey = new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) parser.readObject());
    }
    byte[] input = "x.y".getBytes(StandardCharsets.US_ASCII);

    byte[] signature = Es256.shared().sign(PassportSigner.readPrivateKey(key), input);

    assertThat(Es256.shared().verify(publicKey, input, signature)).isTrue();
  }

  @Test
  void parsePrivateKey_sec1AfterACertificateAndText_readsTheKey() throws Exception {
    String pem =
        "a comment line\n"
            + TestPki.pem(TestPki.endEntity().certificate())
            + sec1(KEYS.getPrivate()).replace("\n", "\r\n");

    assertThat(signsLikeTheKeyPair(PassportSigner.parsePrivateKey(new StringReader(pem)))).isTrue();
  }

  @Test
  void readPrivateKey_noKeyInFile_throwsNamingTheFile(@TempDir Path dir) {
    Path certOnly =
        TestPki.writePem(dir.resolve("cert.pem"), TestPki.pem(TestPki.root().certificate()));
    Path garbage =
        TestPki.writePem(
            dir.resolve("garbage.pem"),
            "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PassportSigner.readPrivateKey(certOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cert.pem")
        .hasMessageContaining("no PRIVATE KEY");
    assertThatThrownBy(() -> PassportSigner.readPrivateKey(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage.pem");
  }

  @Test
  void readPrivateKey_missingFile_throwsUncheckedIoNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> PassportSigner.readPrivateKey(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.pem");
    assertThat(Files.exists(missing)).isFalse();
  }

  private static Path resource(String name) throws Exception {
    return Path.of(PassportSignerTest.class.getResource("/stir/keys/" + name).toURI());
  }

  private static boolean signsLikeTheKeyPair(PrivateKey key) {
    byte[] input = "x.y".getBytes(StandardCharsets.US_ASCII);
    return Es256.shared().verify(KEYS.getPublic(), input, Es256.shared().sign(key, input));
  }

  /**
   * SEC 1 "EC PRIVATE KEY" PEM with the curve but without the optional public key (RFC 5915 §3), as
   * some tools write it; OpenSSL's shape, with the public key, is the resource file.
   */
  private static String sec1(PrivateKey key) throws Exception {
    ECPrivateKey sec1 =
        new ECPrivateKey(
            256,
            ((java.security.interfaces.ECPrivateKey) key).getS(),
            SECObjectIdentifiers.secp256r1);
    return TestPki.pemBlock("EC PRIVATE KEY", sec1.getEncoded());
  }

  private static CanonicalTn tn(String number) {
    return CanonicalTn.parse(number).orElseThrow();
  }
}
