package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.SigningSettings;
import org.sipsentry.sip.stir.cert.TestPki;

/** {@code stir.signing}: the key and x5u of the STIR REST API's signing service. */
class StirSigningConfigTest {

  private static final String X5U = "https://certs.example.net/sp.pem";

  @TempDir Path dir;

  private Path p256Key;

  @BeforeEach
  void keys() {
    p256Key =
        TestPki.writePem(dir.resolve("sp-key.pem"), TestPki.pem(TestPki.ecKeyPair().getPrivate()));
  }

  /** {@code stir:} is line 6, {@code signing:} line 7, {@code key:} line 8, {@code x5u:} line 9. */
  private static String signing(Object key, String x5u) {
    return minimal() + "stir:\n  signing:\n    key: " + key + "\n    x5u: " + x5u + "\n";
  }

  @Test
  void load_signingWithP256Key_loadsKeyAndX5u() throws Exception {
    ProxySettings settings = ConfigLoader.load(write(dir, signing(p256Key, X5U)));

    SigningSettings signing = settings.stirSigning().orElseThrow();
    assertThat(signing.keyFile()).isEqualTo(p256Key);
    assertThat(signing.x5u()).isEqualTo(X5U);
    assertThat(signing.key().getAlgorithm()).isEqualTo("EC");
    assertThat(signing.toString()).doesNotContain("key=").contains(p256Key.toString());
    // Signing needs no trust anchors: verification stays off.
    assertThat(settings.stir()).isEmpty();
  }

  @Test
  void load_withoutSigning_hasNoSigningService() throws Exception {
    assertThat(ConfigLoader.load(write(dir, minimal())).stirSigning()).isEmpty();
  }

  @Test
  void load_missingKeyFile_namesFileLineAndKey() throws Exception {
    Path missing = dir.resolve("nope.pem");

    assertError(signing(missing, X5U), 8, "stir.signing.key", "\"" + missing + "\" is not a file");
  }

  @Test
  void load_keyFileWithoutKey_namesFileLineAndKey() throws Exception {
    Path cert =
        TestPki.writePem(dir.resolve("cert.pem"), TestPki.pem(TestPki.root().certificate()));

    assertError(
        signing(cert, X5U),
        8,
        "stir.signing.key",
        "\"" + cert + "\" cannot be used (" + cert + ": no PRIVATE KEY or EC PRIVATE KEY block)");
  }

  @Test
  void load_p384Key_isRefusedAsNotP256() throws Exception {
    Path p384 =
        TestPki.writePem(
            dir.resolve("p384.pem"),
            TestPki.pem(TestPki.keyPair("EC", new ECGenParameterSpec("secp384r1")).getPrivate()));

    assertError(
        signing(p384, X5U),
        8,
        "stir.signing.key",
        "\"" + p384 + "\" holds a EC key that is not EC P-256");
  }

  @Test
  void load_rsaKey_isRefusedAsNotP256() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path file =
        TestPki.writePem(dir.resolve("rsa.pem"), TestPki.pem(rsa.generateKeyPair().getPrivate()));

    assertError(
        signing(file, X5U),
        8,
        "stir.signing.key",
        "\"" + file + "\" holds a RSA key that is not EC P-256");
  }

  @Test
  void load_x5uNotAnHttpUrl_namesLineAndKey() throws Exception {
    assertError(
        signing(p256Key, "ftp://certs.example.net/sp.pem"),
        9,
        "stir.signing.x5u",
        "\"ftp://certs.example.net/sp.pem\" is not an http(s) URL");
  }

  @Test
  void load_signingWithoutX5u_isAMissingKey() throws Exception {
    Path file = write(dir, minimal() + "stir:\n  signing:\n    key: " + p256Key + "\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e).isNotNull();
    assertThat(e.keyPath()).isEqualTo("stir.signing.x5u");
    assertThat(e.getMessage()).startsWith(file + " line 7: stir.signing.x5u: ");
  }

  private void assertError(String yaml, int line, String key, String problem) throws Exception {
    Path file = write(dir, yaml);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e).isNotNull();
    String expected = ConfigFile.expected(key).orElseThrow();
    assertThat(e.getMessage())
        .isEqualTo(file + " line " + line + ": " + key + ": " + problem + "; expected " + expected);
    assertThat(e.line()).isEqualTo(OptionalInt.of(line));
    assertThat(e.keyPath()).isEqualTo(key);
    assertThat(Files.exists(file)).isTrue();
  }
}
