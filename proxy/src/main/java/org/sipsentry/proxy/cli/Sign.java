package org.sipsentry.proxy.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sipsentry sign}: the lab signer. Prints one Identity header value, or writes a SIPp
 * injection file of signed calls. Exit 0 on success, 2 on bad usage (unreadable or non-P-256 key,
 * bad attestation, number or URL), 1 when the output file cannot be written.
 */
@Command(
    name = "sign",
    sortOptions = false,
    description = {
      "Sign a SHAKEN PASSporT (ES256) and print its Identity header value, or write a SIPp"
          + " injection file of signed calls (--csv).",
      "",
      "One header: sign --key KEY.pem --x5u URL [--attest A|B|C] --orig TN",
      "                 --dest TN [--dest TN...] [--iat EPOCH] [--origid ID]",
      "SIPp file:  sign --key KEY.pem --x5u URL [--attest A|B|C] --csv N",
      "                 --orig-range START[-END] --dest TN [--out FILE]",
      "",
    },
    footer = {
      "",
      "The SIPp injection file (--csv) starts with the line SEQUENTIAL, then one line per call:",
      "",
      "  orig;dest;JWS;info=<URL>;alg=ES256;ppt=shaken",
      "",
      "that is orig;dest;identity, SIPp splitting the Identity value at its ';' into four"
          + " fields. A scenario puts it back together as",
      "",
      "  Identity: [field2];[field3];[field4];[field5]",
      "",
      "[field0] is the calling number (digits, cycling through --orig-range), [field1] the first"
          + " --dest. Each line has its own origid (a random UUID) and iat (the time it was"
          + " signed, or --iat): generate the file just before the run, since verifiers accept"
          + " an iat for 60 s by default. The x5u URL must not contain ';'.",
    })
final class Sign implements Callable<Integer> {

  /** The first line of a SIPp injection file: rows are used in order, one per call. */
  static final String SIPP_ORDER = "SEQUENTIAL";

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY.pem",
      description = "The EC P-256 private key (PKCS#8 PRIVATE KEY or SEC 1 EC PRIVATE KEY PEM).")
  Path key;

  @Option(
      names = "--x5u",
      required = true,
      paramLabel = "URL",
      description = "The certificate URL (JOSE x5u and the Identity info parameter).")
  String x5u;

  @Option(
      names = "--attest",
      paramLabel = "A|B|C",
      defaultValue = "A",
      description = "The attestation level (default: ${DEFAULT-VALUE}).")
  String attest;

  @Option(
      names = "--orig",
      paramLabel = "TN",
      description = "The calling number (one-header mode), e.g. +33612345678.")
  String orig;

  @Option(
      names = "--dest",
      required = true,
      paramLabel = "TN",
      description = "A called number; repeat for several dest.tn entries.")
  List<String> dest;

  @Option(
      names = "--iat",
      paramLabel = "EPOCH",
      description = "The issued-at time in seconds since 1970 (default: now).")
  Long iat;

  @Option(
      names = "--origid",
      paramLabel = "ID",
      description = "The origination id (one-header mode; default: a random UUID).")
  String origid;

  @Option(
      names = "--csv",
      paramLabel = "N",
      description = "Write a SIPp injection file of N signed calls instead of one header.")
  Integer csv;

  @Option(
      names = "--orig-range",
      paramLabel = "START[-END]",
      description =
          "The calling numbers of --csv rows, cycled through in order, e.g."
              + " 41446680000-41446689999 (START and END of equal length).")
  String origRange;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where --csv writes (default: standard output).")
  Path out;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Signing signing;
    try {
      signing = parse();
    } catch (IllegalArgumentException e) {
      err.println("sipsentry sign: " + e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    if (csv == null) {
      spec.commandLine().getOut().println(signing.identity(signing.firstOrig(), origidOrRandom()));
      return 0;
    }
    try {
      if (out == null) {
        PrintWriter stdout = spec.commandLine().getOut();
        writeCsv(signing, stdout);
        stdout.flush();
      } else {
        try (Writer file = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
          writeCsv(signing, new BufferedWriter(file));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      err.println("sipsentry sign: cannot write " + out + ": " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
    return 0;
  }

  /** What to sign with, checked. */
  private record Signing(
      PassportSigner signer,
      Attestation attest,
      List<CanonicalTn> dest,
      Optional<Instant> iat,
      OrigRange origs) {

    CanonicalTn firstOrig() {
      return origs.at(0);
    }

    String identity(CanonicalTn orig, String origid) {
      return signer.identity(attest, orig, dest, iat.orElseGet(Sign::nowSeconds), origid);
    }
  }

  private Signing parse() {
    if (csv == null) {
      refuse(origRange != null, "--orig-range needs --csv (use --orig for one header)");
      refuse(out != null, "--out needs --csv");
      refuse(orig == null, "missing --orig TN");
    } else {
      refuse(csv < 1, "--csv must be at least 1, not " + csv);
      refuse(orig != null, "--csv takes --orig-range, not --orig");
      refuse(origid != null, "--csv makes a fresh origid per row: drop --origid");
      refuse(origRange == null, "--csv needs --orig-range START[-END]");
      refuse(x5u.indexOf(';') >= 0, "--x5u must not contain ';' with --csv (SIPp's separator)");
    }
    Attestation attestation =
        Attestation.of(attest)
            .orElseThrow(
                () -> new IllegalArgumentException("--attest must be A, B or C, not " + attest));
    checkUrl(x5u);
    List<CanonicalTn> dests = new ArrayList<>(dest.size());
    for (String tn : dest) {
      dests.add(tn("--dest", tn));
    }
    OrigRange origs =
        csv == null ? OrigRange.single(tn("--orig", orig)) : OrigRange.parse(origRange);
    refuse(iat != null && iat < 0, "--iat must not be negative: " + iat);
    PrivateKey privateKey;
    try {
      privateKey = PassportSigner.readPrivateKey(key);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(
          "--key: cannot read " + key + ": " + Verify.why(e.getCause()), e);
    }
    PassportSigner signer;
    try {
      signer = new PassportSigner(privateKey, x5u, Es256.shared());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--key " + key + ": " + e.getMessage(), e);
    }
    return new Signing(
        signer, attestation, dests, Optional.ofNullable(iat).map(Instant::ofEpochSecond), origs);
  }

  private void writeCsv(Signing signing, Writer writer) throws IOException {
    writer.write(SIPP_ORDER);
    writer.write('\n');
    String firstDest = signing.dest().get(0).digits();
    for (int row = 0; row < csv; row++) {
      CanonicalTn from = signing.origs().at(row);
      writer.write(from.digits());
      writer.write(';');
      writer.write(firstDest);
      writer.write(';');
      writer.write(signing.identity(from, UUID.randomUUID().toString()));
      writer.write('\n');
    }
    writer.flush();
  }

  private String origidOrRandom() {
    return origid != null ? origid : UUID.randomUUID().toString();
  }

  private static Instant nowSeconds() {
    return Instant.ofEpochSecond(Instant.now().getEpochSecond());
  }

  static CanonicalTn tn(String option, String value) {
    return CanonicalTn.parse(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    option + " \"" + value + "\" is not a telephone number (1-20 digits)"));
  }

  /**
   * The x5u goes into the JOSE header and between {@code <>} in the Identity header: an absolute
   * http(s) URL without spaces or angle brackets.
   */
  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--x5u \"" + url + "\" is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    refuse(
        scheme == null
            || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
            || uri.getHost() == null,
        "--x5u \"" + url + "\" is not an absolute http or https URL");
  }

  private static void refuse(boolean condition, String message) {
    if (condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Calling numbers {@code start..end}, inclusive, each written with as many digits as {@code
   * start} (leading zeros kept).
   */
  record OrigRange(BigInteger start, BigInteger size, int width) {

    static OrigRange single(CanonicalTn tn) {
      return new OrigRange(new BigInteger(tn.digits()), BigInteger.ONE, tn.digits().length());
    }

    static OrigRange parse(String range) {
      int dash = range.indexOf('-');
      String from = dash < 0 ? range : range.substring(0, dash);
      String to = dash < 0 ? range : range.substring(dash + 1);
      CanonicalTn first = tn("--orig-range start", from);
      CanonicalTn last = tn("--orig-range end", to);
      refuse(
          first.digits().length() != last.digits().length(),
          "--orig-range "
              + range
              + ": START and END must have as many digits ("
              + first
              + ", "
              + last
              + ")");
      BigInteger start = new BigInteger(first.digits());
      BigInteger end = new BigInteger(last.digits());
      refuse(start.compareTo(end) > 0, "--orig-range " + range + ": START is after END");
      return new OrigRange(start, end.subtract(start).add(BigInteger.ONE), first.digits().length());
    }

    /** The number of row {@code index}: the range, cycled. */
    CanonicalTn at(long index) {
      BigInteger n = start.add(BigInteger.valueOf(index).mod(size));
      String digits = n.toString();
      if (digits.length() < width) {
        digits = "0".repeat(width - digits.length()) + digits;
      }
      return new CanonicalTn(digits);
    }
  }
}
