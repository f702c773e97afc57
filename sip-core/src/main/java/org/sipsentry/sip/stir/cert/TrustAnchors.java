package org.sipsentry.sip.stir.cert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The STI-CA root certificates we trust (ATIS-1000080 §6.3.6: the STI-PA's list of approved
 * STI-CAs). Loaded once at configuration time; never on a SIP event loop.
 *
 * @param certificates the root certificates, not empty
 * @param files the files they were loaded from, sorted (empty when built with {@link #of})
 */
public record TrustAnchors(List<X509Certificate> certificates, List<Path> files) {

  /** File name endings read by {@link #load}; other files (a README, say) are skipped. */
  public static final List<String> EXTENSIONS = List.of(".pem", ".crt", ".cer");

  public TrustAnchors {
    certificates = List.copyOf(certificates);
    files = List.copyOf(files);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors");
    }
  }

  /** Trust anchors from certificates already in memory. */
  public static TrustAnchors of(X509Certificate... certificates) {
    return new TrustAnchors(List.of(certificates), List.of());
  }

  /**
   * Loads every {@code *.pem}, {@code *.crt} and {@code *.cer} file in {@code directory} (not
   * recursively; hidden files skipped). Each file holds one or more PEM {@code CERTIFICATE} blocks
   * or one DER certificate.
   *
   * @throws IllegalArgumentException naming the directory or file, when the directory holds no such
   *     file or a file holds no certificate or a malformed one
   * @throws UncheckedIOException naming the directory or file, when it cannot be read
   */
  public static TrustAnchors load(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("trust anchors: " + directory + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .filter(Files::isRegularFile)
              .filter(TrustAnchors::isCertificateFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("trust anchors: cannot list " + directory, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "trust anchors: " + directory + " has no " + String.join("/", EXTENSIONS) + " file");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Path file : files) {
      certificates.addAll(read(file));
    }
    return new TrustAnchors(certificates, files);
  }

  private static List<X509Certificate> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("trust anchors: cannot read " + file, e);
    }
    // A trust-anchor file may hold more roots than a chain holds certificates: no bound here.
    ChainParse parsed = CertificateChain.parse(bytes, Integer.MAX_VALUE);
    if (parsed instanceof CertificateValidation.Invalid invalid) {
      throw new IllegalArgumentException("trust anchors: " + file + ": " + invalid.detail());
    }
    return ((CertificateChain) parsed).certificates();
  }

  private static boolean isCertificateFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
  }
}
