package org.sipsentry.proxy.analyze;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.ChainParse;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;

/**
 * Certificates served from a directory instead of fetched: {@code sipsentry analyze --cert DIR}. An
 * x5u URL maps to the file named by its last path segment ({@code
 * https://cert.example.net/sti/sp1.pem} → {@code DIR/sp1.pem}); query and fragment are ignored. The
 * file holds what the URL would serve (PEM: end-entity first, then intermediates) and is validated
 * against the config's STI-CA roots and CRLs at the given instant, as a fetched one would be. A URL
 * with no such file is answered like an HTTP 404: {@link StirFailure#CERTIFICATE_UNAVAILABLE}, not
 * indeterminate.
 *
 * <p>Files are read on the calling thread (a command-line tool; never use this on an event loop)
 * and kept, parsed, for the life of the instance; at most {@value #MAX_FILES} of them.
 */
public final class DirectoryCertificates implements CertificateSource {

  /** Distinct files kept parsed. */
  static final int MAX_FILES = 10_000;

  private final Path directory;
  private final StiCertificateValidator validator;
  private final Map<String, ChainParse> chains = new HashMap<>();

  public DirectoryCertificates(Path directory, StiCertificateValidator validator) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  @Override
  public synchronized CompletionStage<CertificateValidation> certificate(String x5u, Instant now) {
    Optional<String> name = fileName(x5u);
    if (name.isEmpty()) {
      return done(
          new CertificateValidation.Invalid(
              StirFailure.CERTIFICATE_UNAVAILABLE,
              "x5u " + x5u + " names no file (no last path segment)"));
    }
    ChainParse parsed = chains.get(name.get());
    if (parsed == null) {
      parsed = read(x5u, name.get());
      if (chains.size() < MAX_FILES) {
        chains.put(name.get(), parsed);
      }
    }
    if (parsed instanceof CertificateValidation.Invalid invalid) {
      return done(invalid);
    }
    return done(validator.validate((CertificateChain) parsed, now));
  }

  /** The last path segment of {@code x5u}, if it is a usable file name. */
  static Optional<String> fileName(String x5u) {
    String path;
    try {
      path = new URI(x5u).getPath();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("\\")) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  private ChainParse read(String x5u, String name) {
    Path file = directory.resolve(name);
    if (!Files.isRegularFile(file)) {
      return new CertificateValidation.Invalid(
          StirFailure.CERTIFICATE_UNAVAILABLE, "x5u " + x5u + ": no file " + file);
    }
    try {
      return CertificateChain.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      return new CertificateValidation.Invalid(
          StirFailure.CERTIFICATE_UNAVAILABLE, "x5u " + x5u + ": cannot read " + file + ": " + e);
    }
  }

  private static CompletionStage<CertificateValidation> done(CertificateValidation validation) {
    return CompletableFuture.completedFuture(validation);
  }
}
