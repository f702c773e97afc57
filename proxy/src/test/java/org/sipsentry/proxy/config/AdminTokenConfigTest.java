package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.BearerToken;
import org.sipsentry.proxy.ProxySettings;

/** {@code admin.token-file}: read at load time, refused when missing, empty or world-readable. */
class AdminTokenConfigTest {

  @TempDir Path dir;

  private static String withTokenFile(String path) {
    return minimal() + "admin:\n  listen: 127.0.0.1:8080\n  token-file: " + path + "\n";
  }

  private Path tokenFile(String content, String permissions) throws Exception {
    Path file = dir.resolve("admin.token");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private ConfigException fail(String yaml) throws Exception {
    Path file = write(dir, yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e).as("ConfigException").isNotNull();
    return e;
  }

  @Test
  void load_tokenFileWithTrailingNewline_tokenWithoutIt() throws Exception {
    tokenFile("s3cr3t-token\n", "rw-------");

    ProxySettings settings = ConfigLoader.load(write(dir, withTokenFile("admin.token")));

    BearerToken token = settings.adminToken().orElseThrow();
    assertThat(token.file()).isEqualTo(dir.resolve("admin.token"));
    assertThat(token.accepts("Bearer s3cr3t-token")).isTrue();
    assertThat(token.accepts("Bearer s3cr3t-toke")).isFalse();
    assertThat(token.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void load_withoutTokenFile_noToken() throws Exception {
    assertThat(ConfigLoader.load(write(dir, minimal())).adminToken()).isEmpty();
  }

  @Test
  void load_missingTokenFile_namesFileLineAndKey() throws Exception {
    ConfigException e = fail(withTokenFile("nowhere.token"));

    assertThat(e.getMessage())
        .startsWith(
            dir.resolve("sipsentry.yaml")
                + " line 8: admin.token-file: cannot read "
                + dir.resolve("nowhere.token")
                + ": there is no such file; expected a file only its owner can read");
  }

  @Test
  void load_emptyTokenFile_refused() throws Exception {
    tokenFile("\n", "rw-------");

    ConfigException e = fail(withTokenFile("admin.token"));

    assertThat(e.getMessage())
        .contains(" line 8: admin.token-file: " + dir.resolve("admin.token") + " is empty;");
  }

  @Test
  void load_worldReadableTokenFile_refused() throws Exception {
    tokenFile("s3cr3t\n", "rw-r--r--");

    ConfigException e = fail(withTokenFile("admin.token"));

    assertThat(e.getMessage())
        .contains(
            " line 8: admin.token-file: "
                + dir.resolve("admin.token")
                + " can be read by every user (rw-r--r--); expected a file only its owner can"
                + " read (e.g. chmod 600)");
  }

  @Test
  void load_tokenWithASpace_refused() throws Exception {
    tokenFile("two words\n", "rw-r-----");

    ConfigException e = fail(withTokenFile("admin.token"));

    assertThat(e.getMessage())
        .contains(" line 8: admin.token-file: the token has white space or a control");
  }
}
