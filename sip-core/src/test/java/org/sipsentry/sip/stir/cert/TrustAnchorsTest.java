package org.sipsentry.sip.stir.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorsTest {

  @TempDir Path dir;

  @Test
  void load_pemCrtAndDerCerFiles_readsEveryCertificateSkippingOtherAndHiddenFiles()
      throws Exception {
    TestPki.writePem(dir.resolve("b.pem"), TestPki.pem(TestPki.root().certificate()));
    TestPki.writePem(
        dir.resolve("a.CRT"),
        TestPki.pem(
            TestPki.otherRoot().root().certificate(), TestPki.intermediate().certificate()));
    Files.write(dir.resolve("c.cer"), TestPki.root().certificate().getEncoded());
    Files.writeString(dir.resolve("README.md"), "not a certificate");
    Files.writeString(dir.resolve(".hidden.pem"), "not a certificate either");
    Files.createDirectory(dir.resolve("sub.pem"));

    TrustAnchors anchors = TrustAnchors.load(dir);

    assertThat(anchors.certificates()).hasSize(4);
    assertThat(anchors.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("a.CRT", "b.pem", "c.cer");
  }

  @Test
  void load_moreRootsInOneFileThanAChainMayHold_isAccepted() {
    var roots = new java.security.cert.X509Certificate[CertificateChain.MAX_CERTIFICATES + 2];
    java.util.Arrays.fill(roots, TestPki.root().certificate());
    TestPki.writePem(dir.resolve("bundle.pem"), TestPki.pem(roots));

    assertThat(TrustAnchors.load(dir).certificates()).hasSize(roots.length);
  }

  @Test
  void load_noCertificateFile_throwsNamingTheDirectory() throws Exception {
    Files.writeString(dir.resolve("README"), "x");

    assertThatThrownBy(() -> TrustAnchors.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining(".pem");
  }

  @Test
  void load_malformedFile_throwsNamingTheFile() throws Exception {
    TestPki.writePem(dir.resolve("good.pem"), TestPki.pem(TestPki.root().certificate()));
    Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");

    assertThatThrownBy(() -> TrustAnchors.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.pem");
  }

  @Test
  void load_notADirectory_throws() {
    Path file =
        TestPki.writePem(dir.resolve("root.pem"), TestPki.pem(TestPki.root().certificate()));

    assertThatThrownBy(() -> TrustAnchors.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> TrustAnchors.load(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_noCertificates_throws() {
    assertThatThrownBy(() -> new TrustAnchors(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
