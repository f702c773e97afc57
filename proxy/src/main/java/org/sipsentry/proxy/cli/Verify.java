package org.sipsentry.proxy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.IdentityHeader;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirResult;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.ChainParse;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TrustAnchors;
import org.sipsentry.sip.stir.cert.X5uCertificates;
import org.sipsentry.sip.stir.fetch.AddressClass;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchListener;
import org.sipsentry.sip.stir.fetch.FetchSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sipsentry verify}: verifies the Identity header(s) of one call without a proxy and prints
 * the outcome as one JSON object. Exit 0 when verification passed, 1 when it failed, 2 on bad
 * usage.
 */
@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Verify the STIR/SHAKEN Identity header(s) of one call without a proxy and print the"
          + " outcome as one JSON object.",
      "Exit 0: passed; 1: failed; 2: bad usage.",
    },
    footer = {
      "",
      "The JSON object has the fields: verstat (TN-Validation-Passed, TN-Validation-Failed, or"
          + " No-TN-Validation when there was no Identity header or the certificate could not be"
          + " obtained), code and reason (200 OK on a pass, else the SIP response RFC 8224 and the"
          + " MAN rules give the failure), attest, spc, origid (on a pass; else null), x5u (the"
          + " info URL of the SHAKEN header, when it could be read), failure (a stable id such as"
          + " bad-signature; null on a pass), detail (why), indeterminate (true when the outcome"
          + " says nothing about the call: the certificate server failed) and provider (the ES256"
          + " provider used).",
    })
final class Verify implements Callable<Integer> {

  static final int EXIT_FAILED = 1;

  /** The port an http URL without one implies. */
  private static final int HTTP_PORT = 80;

  static final String PASSED = "TN-Validation-Passed";
  static final String FAILED = "TN-Validation-Failed";
  static final String NO_VALIDATION = "No-TN-Validation";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--identity",
      paramLabel = "HEADER",
      description =
          "An Identity header field value; repeat for several headers. None at all verifies a"
              + " call without Identity (428).")
  List<String> identities = new ArrayList<>();

  @Option(
      names = "--from",
      required = true,
      paramLabel = "TN",
      description =
          "The calling number: the trusted P-Asserted-Identity user part, else the From user"
              + " part, as the INVITE carries it.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "TN",
      description = "The called number: the To user part (else the Request-URI's).")
  String to;

  @Option(
      names = "--at",
      paramLabel = "EPOCH_SECONDS",
      description = "Verify as at this instant (default: now).")
  Long at;

  @Option(
      names = "--date",
      paramLabel = "RFC1123",
      description = "The INVITE's Date header, e.g. 'Sun, 01 Mar 2026 12:00:00 GMT'.")
  String date;

  @Option(
      names = "--trust-anchor",
      paramLabel = "PEM",
      description =
          "An STI-CA root: a PEM file (up to 8 certificates) or a directory of *.pem/*.crt/*.cer"
              + " files; repeat for more. Without any, no certificate is trusted.")
  List<Path> trustAnchors = new ArrayList<>();

  @Option(
      names = "--cert",
      paramLabel = "PEM",
      description =
          "Use this file as the content of the x5u URL (end-entity, then intermediates) instead of"
              + " fetching it. Without --cert the x5u URL is fetched as the proxy would: https on"
              + " port 443 or 8443, public addresses only, within 2 s.")
  Path cert;

  @Option(
      names = "--strict",
      description =
          "The French MAN rules: the alg parameter is required and other Identity parameters"
              + " than info, alg and ppt are refused.")
  boolean strict;

  @Option(
      names = "--allow-http",
      description = "Allow fetching an http:// x5u (lab only; default: https only).")
  boolean allowHttp;

  @Option(
      names = "--allow-loopback",
      description = "Allow fetching from a loopback address such as 127.0.0.1 (lab only).")
  boolean allowLoopback;

  @Option(
      names = "--allow-port",
      paramLabel = "PORT",
      description =
          "Also allow fetching from this port (default: 443 and 8443, and 80 with --allow-http);"
              + " repeat for more.")
  List<Integer> allowPorts = new ArrayList<>();

  @Option(
      names = "--attestation-indicator",
      paramLabel = "A|B|C",
      description = "Compact form only: the P-Attestation-Indicator to rebuild the claims with.")
  String attestationIndicator;

  @Option(
      names = "--origination-id",
      paramLabel = "ID",
      description = "Compact form only: the P-Origination-Id to rebuild the claims with.")
  String originationId;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * The printed outcome; field order is the JSON order.
   *
   * @param verstat the 3GPP TS 24.229 verstat value the proxy would label the call with
   * @param code 200 on a pass, else the SIP response code of the failure
   * @param reason the reason phrase going with {@code code}
   * @param attest the attestation level, on a pass
   * @param spc the signing certificate's Service Provider Code, on a pass
   * @param origid the PASSporT's origid, on a pass
   * @param x5u the SHAKEN header's info URL, when it could be read
   * @param failure the {@link StirFailure#id()}, on a failure
   * @param detail why it failed, on a failure
   * @param indeterminate whether the failure is the certificate server's, not the call's
   * @param provider the ES256 provider that checked the signature
   */
  record Report(
      String verstat,
      int code,
      String reason,
      String attest,
      String spc,
      String origid,
      String x5u,
      String failure,
      String detail,
      boolean indeterminate,
      String provider) {

    static Report of(StirOutcome outcome, Optional<String> x5u, String provider) {
      if (outcome instanceof StirOutcome.Pass pass) {
        return new Report(
            PASSED,
            200,
            "OK",
            pass.attest().name(),
            pass.spc(),
            pass.origid(),
            pass.x5u(),
            null,
            null,
            false,
            provider);
      }
      StirOutcome.Fail fail = (StirOutcome.Fail) outcome;
      StirFailure failure = fail.failure();
      boolean unvalidated = failure == StirFailure.NO_IDENTITY || fail.indeterminate();
      return new Report(
          unvalidated ? NO_VALIDATION : FAILED,
          failure.code(),
          failure.reason(),
          null,
          null,
          null,
          x5u.orElse(null),
          failure.id(),
          fail.detail(),
          fail.indeterminate(),
          provider);
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    StirRequest request;
    StiCertificateValidator validator;
    CertificateChain chain;
    FetchSettings fetchSettings;
    try {
      request = request();
      validator = validator();
      chain = cert == null ? null : chain("--cert", cert);
      fetchSettings = fetchSettings();
    } catch (IllegalArgumentException e) {
      err.println("sipsentry verify: " + e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    Es256 es256 = Es256.shared();
    boolean fetch = chain == null && validator != null;
    try (CertificateFetcher fetcher =
        fetch ? new CertificateFetcher(fetchSettings, FetchListener.NONE) : null) {
      CertificateSource certificates;
      if (validator == null) {
        certificates = (x5u, now) -> CompletableFuture.completedFuture(untrusted());
      } else if (chain != null) {
        // The file stands in for whatever URL the header names.
        certificates =
            (x5u, now) -> CompletableFuture.completedFuture(validator.validate(chain, now));
      } else {
        certificates = new X5uCertificates(fetcher, validator, 1);
      }
      StirVerifier verifier =
          new StirVerifier(strict ? StirPolicy.MAN : StirPolicy.DEFAULT, certificates, es256);
      // A command-line tool may wait: the fetcher completes the stage within its own timeout.
      StirOutcome outcome = verifier.verify(request).toCompletableFuture().join();
      Report report = Report.of(outcome, infoOf(request.identityHeaders()), es256.providerName());
      spec.commandLine().getOut().println(JSON.writeValueAsString(report));
      return outcome instanceof StirOutcome.Pass ? 0 : EXIT_FAILED;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  private StirRequest request() {
    Instant now = at == null ? Instant.now() : Instant.ofEpochSecond(at);
    Optional<Instant> dateHeader = Optional.empty();
    if (date != null) {
      dateHeader = StirRequest.parseDate(date);
      if (dateHeader.isEmpty()) {
        throw new IllegalArgumentException(
            "--date \""
                + date
                + "\" is not an RFC 1123 date such as 'Sun, 01 Mar 2026 12:00:00 GMT'");
      }
    }
    Optional<Attestation> indicator = Optional.empty();
    if (attestationIndicator != null) {
      indicator = Attestation.of(attestationIndicator);
      if (indicator.isEmpty()) {
        throw new IllegalArgumentException(
            "--attestation-indicator must be A, B or C, not " + attestationIndicator);
      }
    }
    return new StirRequest(
        identities, from, to, dateHeader, now, indicator, Optional.ofNullable(originationId));
  }

  /** The validator for the given trust anchors, or null when there are none. */
  private StiCertificateValidator validator() {
    if (trustAnchors.isEmpty()) {
      return null;
    }
    List<X509Certificate> roots = new ArrayList<>();
    for (Path anchor : trustAnchors) {
      if (Files.isDirectory(anchor)) {
        try {
          roots.addAll(TrustAnchors.load(anchor).certificates());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("--trust-anchor " + e.getMessage(), e);
        }
      } else {
        roots.addAll(chain("--trust-anchor", anchor).certificates());
      }
    }
    return new StiCertificateValidator(
        TrustAnchors.of(roots.toArray(X509Certificate[]::new)), RevocationLists.none());
  }

  /**
   * The fetch policy: the proxy's defaults (https on 443/8443, public addresses only, 2 s), opened
   * up only as far as the lab flags say.
   */
  private FetchSettings fetchSettings() {
    Set<Integer> ports = new TreeSet<>(FetchSettings.defaults().allowedPorts());
    if (allowHttp) {
      ports.add(HTTP_PORT);
    }
    for (int port : allowPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--allow-port " + port + " is not a port (1-65535)");
      }
      ports.add(port);
    }
    return FetchSettings.builder()
        .allowHttp(allowHttp)
        .allowedPorts(ports)
        .allowedAddressClasses(
            allowLoopback ? EnumSet.of(AddressClass.LOOPBACK) : EnumSet.noneOf(AddressClass.class))
        .build();
  }

  private static CertificateValidation untrusted() {
    return new CertificateValidation.Invalid(
        StirFailure.CERTIFICATE_UNTRUSTED, "no --trust-anchor given: no certificate is trusted");
  }

  private static CertificateChain chain(String option, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file + ": " + why(e), e);
    }
    ChainParse parsed = CertificateChain.parse(bytes);
    if (parsed instanceof CertificateValidation.Invalid invalid) {
      throw new IllegalArgumentException(option + " " + file + ": " + invalid.detail());
    }
    return (CertificateChain) parsed;
  }

  /** A short reason for a failed read: the file name alone is what most IOExceptions say. */
  static String why(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "file not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The info URL of the SHAKEN header, when one can be selected. */
  private static Optional<String> infoOf(List<String> identityHeaders) {
    if (IdentityHeader.selectShaken(identityHeaders) instanceof StirResult.Ok<IdentityHeader> ok) {
      return Optional.of(ok.value().info());
    }
    return Optional.empty();
  }
}
