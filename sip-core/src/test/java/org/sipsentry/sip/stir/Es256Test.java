package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.sip.stir.cert.TestPki;

class Es256Test {

  /** The order n of P-256. */
  private static final BigInteger N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static final byte[] INPUT =
      "eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9".getBytes(StandardCharsets.US_ASCII);

  private static final Map<String, Es256> PROVIDERS =
      Map.of(
          "AmazonCorrettoCryptoProvider", single(Es256.defaultCandidates().get(0)),
          "BouncyCastle", single(new Es256.Candidate("BouncyCastle", BouncyCastleProvider::new)),
          "SunEC", single(new Es256.Candidate("SunEC", () -> Security.getProvider("SunEC"))));

  private static final Map<String, String> JCA_NAMES =
      Map.of(
          "AmazonCorrettoCryptoProvider",
          "AmazonCorrettoCryptoProvider",
          "BouncyCastle",
          "BC",
          "SunEC",
          "SunEC");

  private static final KeyPair KEYS = TestPki.ecKeyPair();

  static Stream<Arguments> providerPairs() {
    return PROVIDERS.keySet().stream()
        .flatMap(
            signer -> PROVIDERS.keySet().stream().map(verifier -> Arguments.of(signer, verifier)));
  }

  static Stream<String> providers() {
    return PROVIDERS.keySet().stream();
  }

  @Test
  void shared_onLinuxX8664_isTheCorrettoProvider() {
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    Es256 shared = Es256.shared();
    if (os.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      assertThat(shared.providerName())
          .as(shared.skipped().toString())
          .isEqualTo("AmazonCorrettoCryptoProvider");
      assertThat(shared.skipped()).isEmpty();
    } else {
      assertThat(shared.providerName()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0} signs, {1} verifies")
  @MethodSource("providerPairs")
  void verify_signatureFromAnotherProvider_verifies(String signerName, String verifierName) {
    Es256 signer = PROVIDERS.get(signerName);
    Es256 verifier = PROVIDERS.get(verifierName);
    assertThat(List.of(signer.providerName(), verifier.providerName()))
        .containsExactly(JCA_NAMES.get(signerName), JCA_NAMES.get(verifierName));
    for (int i = 0; i < 40; i++) {
      byte[] input = (i + ".payload").getBytes(StandardCharsets.US_ASCII);
      byte[] signature = signer.sign(KEYS.getPrivate(), input);

      assertThat(signature).hasSize(Es256.SIGNATURE_LENGTH);
      assertThat(verifier.verify(KEYS.getPublic(), input, signature)).isTrue();
      assertThat(
              verifier.verify(
                  KEYS.getPublic(),
                  (i + ".pay1oad").getBytes(StandardCharsets.US_ASCII),
                  signature))
          .isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void verify_keyObjectOfAnotherProvider_isConverted(String name) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair bcKeys = generator.generateKeyPair();
    Es256 es256 = PROVIDERS.get(name);

    byte[] signature = es256.sign(bcKeys.getPrivate(), INPUT);

    assertThat(es256.verify(bcKeys.getPublic(), INPUT, signature)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void verify_signatureOutOfRangeOrZero_isFalseNotAnException(String name) {
    Es256 es256 = PROVIDERS.get(name);
    byte[] zeros = new byte[64];
    byte[] ones = new byte[64];
    Arrays.fill(ones, (byte) 0xff);
    byte[] rIsN = concat(unsigned32(N), unsigned32(BigInteger.ONE));
    byte[] sIsN = concat(unsigned32(BigInteger.ONE), unsigned32(N));
    byte[] valid = es256.sign(KEYS.getPrivate(), INPUT);
    byte[] rZero = valid.clone();
    Arrays.fill(rZero, 0, 32, (byte) 0);

    for (byte[] bad : List.of(zeros, ones, rIsN, sIsN, rZero)) {
      assertThat(es256.verify(KEYS.getPublic(), INPUT, bad)).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 65, 70, 72})
  void verify_signatureNot64Bytes_isFalse(int length) {
    assertThat(Es256.shared().verify(KEYS.getPublic(), INPUT, new byte[length])).isFalse();
  }

  @Test
  void verify_derSignatureOfTheRightInput_isFalse() {
    byte[] raw = Es256.shared().sign(KEYS.getPrivate(), INPUT);

    assertThat(Es256.shared().verify(KEYS.getPublic(), INPUT, Es256.rawToDer(raw))).isFalse();
  }

  @Test
  void verify_highSVariantOfAValidSignature_verifies() {
    // ECDSA signatures are malleable: (r, n - s) is valid too. JWS does not forbid it; the
    // signing input, not the signature bytes, is what the verifier binds to the call.
    byte[] raw = Es256.shared().sign(KEYS.getPrivate(), INPUT);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
    byte[] flipped = concat(Arrays.copyOfRange(raw, 0, 32), unsigned32(N.subtract(s)));

    assertThat(Es256.shared().verify(KEYS.getPublic(), INPUT, flipped)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void verifyAndSign_keyOnAnotherCurve_areRefused(String name) {
    KeyPair p384 = TestPki.keyPair("EC", new ECGenParameterSpec("secp384r1"));
    Es256 es256 = PROVIDERS.get(name);

    assertThatThrownBy(() -> es256.verify(p384.getPublic(), INPUT, new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> es256.sign(p384.getPrivate(), INPUT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_rsaKey_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024); // refused whatever its size; small keeps the test fast
    KeyPair rsa = generator.generateKeyPair();

    assertThatThrownBy(() -> Es256.shared().verify(rsa.getPublic(), INPUT, new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Es256.isP256(rsa.getPublic())).isFalse();
    assertThat(Es256.isP256(KEYS.getPublic())).isTrue();
  }

  @Test
  void constructor_failingFirstCandidate_isSkippedAndRecorded() {
    Es256 es256 =
        new Es256(
            List.of(
                new Es256.Candidate(
                    "Broken",
                    () -> {
                      throw new IllegalStateException("native library did not load");
                    }),
                new Es256.Candidate(
                    "Linkage",
                    () -> {
                      throw new UnsatisfiedLinkError("libamazonCorrettoCryptoProvider.so");
                    }),
                new Es256.Candidate("Empty", () -> new Provider("Empty", "1", "no algorithms") {}),
                new Es256.Candidate("BouncyCastle", BouncyCastleProvider::new)));

    assertThat(es256.providerName()).isEqualTo("BC");
    assertThat(es256.skipped()).hasSize(3);
    assertThat(es256.skipped().get(0))
        .startsWith("Broken: ")
        .contains("native library did not load");
    assertThat(es256.skipped().get(1)).startsWith("Linkage: ").contains("UnsatisfiedLinkError");
    assertThat(es256.skipped().get(2)).startsWith("Empty: ").contains("NoSuchAlgorithmException");
    byte[] signature = es256.sign(KEYS.getPrivate(), INPUT);
    assertThat(Es256.shared().verify(KEYS.getPublic(), INPUT, signature)).isTrue();
  }

  @Test
  void constructor_noUsableCandidate_throwsNamingEveryReason() {
    assertThatThrownBy(
            () ->
                new Es256(
                    List.of(
                        new Es256.Candidate(
                            "A",
                            () -> {
                              throw new IllegalStateException("a failed");
                            }),
                        new Es256.Candidate("B", () -> new Provider("B", "1", "none") {}))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a failed")
        .hasMessageContaining("B: ");
  }

  @Test
  void rawToDer_leadingZerosAreDroppedAndHighBitsPadded() {
    byte[] raw = new byte[64];
    raw[2] = 0x01; // r = 0x0001... : two leading zero bytes dropped
    raw[31] = 0x7f;
    raw[32] = (byte) 0x80; // s has its high bit set: a 0x00 pad keeps it positive
    raw[63] = 0x01;

    byte[] der = Es256.rawToDer(raw);

    assertThat(HexFormat.of().formatHex(der))
        .isEqualTo(
            "3043"
                + "021e"
                + "01"
                + "00".repeat(28)
                + "7f"
                + "0221"
                + "0080"
                + "00".repeat(30)
                + "01");
    assertThat(Es256.derToRaw(der)).isEqualTo(raw);
  }

  @Test
  void rawToDer_zeroValues_areOneZeroByte() {
    assertThat(HexFormat.of().formatHex(Es256.rawToDer(new byte[64])))
        .isEqualTo("3006020100020100");
    assertThat(Es256.derToRaw(HexFormat.of().parseHex("3006020100020100"))).isEqualTo(new byte[64]);
  }

  @Test
  void rawToDer_randomValues_matchBouncyCastleDerAndRoundTrip() throws IOException {
    Random random = new Random(0x5eed);
    for (int i = 0; i < 5_000; i++) {
      byte[] raw = new byte[64];
      random.nextBytes(raw);
      // Bias towards the edge cases: leading zero bytes and high bits.
      int zeros = random.nextInt(4);
      for (int k = 0; k < zeros; k++) {
        raw[k] = 0;
        raw[32 + k] = 0;
      }
      if (random.nextBoolean()) {
        raw[zeros] |= (byte) 0x80;
      }
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
      byte[] expected =
          new DERSequence(
                  new org.bouncycastle.asn1.ASN1Encodable[] {
                    new ASN1Integer(r), new ASN1Integer(s)
                  })
              .getEncoded();

      byte[] der = Es256.rawToDer(raw);

      assertThat(der).isEqualTo(expected);
      assertThat(Es256.derToRaw(der)).isEqualTo(raw);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "3006020100020100ff",
        "3007020100020100",
        "3106020100020100",
        "3006030100020100",
        "3006020100030100",
        "30060200020100",
        "300402000201",
        "3006020101020300",
        "3026"
            + "0221"
            + "01"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "020101",
        "3027"
            + "0222"
            + "0000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "020101",
      })
  void derToRaw_notAnEcdsaSignature_throwsIllegalArgument(String hex) {
    byte[] der = HexFormat.of().parseHex(hex);

    assertThatThrownBy(() -> Es256.derToRaw(der)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawToDer_wrongLength_throws() {
    assertThatThrownBy(() -> Es256.rawToDer(new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Es256 single(Es256.Candidate candidate) {
    return new Es256(List.of(candidate));
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
