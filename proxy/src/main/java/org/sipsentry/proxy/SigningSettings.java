package org.sipsentry.proxy;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Objects;
import org.sipsentry.sip.stir.Es256;

/**
 * How the admin endpoint signs PASSporTs for other switches ({@code POST /stir/v1/signing}): the
 * {@code stir.signing} section of the config file, loaded (the key is read when the file is).
 *
 * @param keyFile the PEM file the key was read from (absolute), for logs and reload reports
 * @param key the EC P-256 private key
 * @param x5u the URL of the certificate that verifies the signatures: JOSE {@code x5u} and the
 *     Identity header's {@code info}
 */
public record SigningSettings(Path keyFile, PrivateKey key, String x5u) {

  public SigningSettings {
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(x5u, "x5u");
    if (!Es256.isP256(key)) {
      throw new IllegalArgumentException(keyFile + " does not hold an EC P-256 private key");
    }
  }

  /** No key material in logs. */
  @Override
  public String toString() {
    return "SigningSettings[keyFile=" + keyFile + ", x5u=" + x5u + "]";
  }
}
