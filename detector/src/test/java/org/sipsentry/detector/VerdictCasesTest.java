package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * Table-driven verdicts: one readable file per call under {@code
 * src/test/resources/verdicts/cases/} (format in the README.md there), one test per file, named
 * after it. Each file holds the call (trunk, STIR/SHAKEN outcome, the INVITE's headers) and the
 * verdict it must get. Run with {@code -Dgolden.update=true} to rewrite every file's {@code
 * expect:} section from the current output, then review the diff.
 */
class VerdictCasesTest {

  private static final Path CASES = Path.of("src/test/resources/verdicts/cases");

  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private static final String EXPECT = "expect:";

  private static final String X5U = "https://certs.example.net/sp.pem";

  /** A certificate URL whose certificate the (fake) validator refuses: 437. */
  private static final String UNTRUSTED_X5U = "https://untrusted.example.net/sp.pem";

  /** A certificate URL whose server does not answer: verification is indeterminate. */
  private static final String UNREACHABLE_X5U = "https://down.example.net/sp.pem";

  private static final Instant NOW = TestPki.NOW;

  private static final Trunk CARRIER = Calls.CARRIER;
  private static final Trunk PEER = Calls.PEER;

  /** An international transit carrier inside the trust domain. */
  private static final Trunk TRANSIT = Calls.TRUSTED_TRANSIT;

  /** A trusted carrier whose calls are verified when signed; attestation B at least. */
  private static final Trunk VERIFY =
      new Trunk(
          "verify",
          List.of(Cidr.parse("10.1.0.0/16")),
          true,
          new StirSettings(
              StirSettings.Mode.VERIFY,
              StirSettings.OnFailure.CONTINUE_WITH_REASON,
              StirSettings.OnIndeterminate.FAIL_OPEN,
              Map.of(),
              true),
          false,
          Set.of(),
          Optional.empty(),
          Optional.of(Attestation.B));

  /** A trusted carrier that must sign: failures and indeterminate verifications are rejected. */
  private static final Trunk REQUIRE =
      new Trunk(
          "require",
          List.of(Cidr.parse("10.2.0.0/16")),
          true,
          new StirSettings(
              StirSettings.Mode.REQUIRE,
              StirSettings.OnFailure.REJECT,
              StirSettings.OnIndeterminate.FAIL_CLOSED,
              Map.of(StirFailure.STALE_DATE, new SipStatus(403, "Stale Date Header")),
              false));

  /** An untrusted peer with its own thresholds: label 10, anonymise 20, block 40. */
  private static final Trunk STRICT =
      new Trunk(
          "strict",
          List.of(Cidr.parse("10.3.0.0/16")),
          false,
          StirSettings.OFF,
          false,
          Set.of(),
          Optional.of(new Thresholds(10, Optional.of(20), 40)));

  private static final Map<String, Trunk> TRUNKS = trunks();

  /** The source of a case's INVITE unless it names one: an address of its trunk. */
  private static final Map<String, String> SOURCES =
      Map.of(
          "carrier", "192.0.2.10",
          "peer", "198.51.100.10",
          "transit", "203.0.113.10",
          "verify", "10.1.0.10",
          "require", "10.2.0.10",
          "strict", "10.3.0.10",
          "default", "233.252.0.10");

  private static final StiCertificateValidator VALIDATOR =
      new StiCertificateValidator(
          TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());

  private static final CertificateSource CERTIFICATES =
      (x5u, now) -> {
        if (x5u.equals(UNREACHABLE_X5U)) {
          return CompletableFuture.failedFuture(
              new IOException("connect timed out: down.example.net"));
        }
        if (x5u.equals(UNTRUSTED_X5U)) {
          return CompletableFuture.completedFuture(
              new CertificateValidation.Invalid(
                  StirFailure.CERTIFICATE_UNTRUSTED, "certificate chain ends at an unknown root"));
        }
        return CompletableFuture.completedFuture(
            VALIDATOR.validate(
                CertificateChain.of(
                    TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
                now));
      };

  private static final StirVerifier VERIFIER =
      new StirVerifier(StirPolicy.DEFAULT, CERTIFICATES, Es256.shared());

  @TestFactory
  Stream<DynamicTest> inspect_case_matchesExpectedVerdict() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(CASES)) {
      files = listing.filter(file -> file.toString().endsWith(".case")).sorted().toList();
    }
    assertThat(files).as("case files in %s", CASES).isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString().replace(".case", ""),
                    file.toUri(),
                    () -> check(file)));
  }

  private static void check(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Case parsed = Case.parse(file, text);
    Verdict verdict = inspect(parsed);
    String actual = render(verdict);
    if (UPDATE) {
      Files.writeString(
          file, parsed.input().stripTrailing() + "\n\n" + actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual)
        .as("verdict of %s (rewrite with -Dgolden.update=true)", file.getFileName())
        .isEqualTo(parsed.expected());
  }

  private static Verdict inspect(Case c) {
    Detector detector =
        Detector.of(
            settings(c.signersDenied()), Optional.of(VERIFIER), Clock.fixed(NOW, ZoneOffset.UTC));
    CompletableFuture<Verdict> stage = detector.inspect(c.call()).toCompletableFuture();
    assertThat(stage).as("verdict ready at once (certificates answer at once)").isDone();
    return stage.join();
  }

  /** The settings every case runs under; README.md lists them. */
  private static DetectorSettings settings(Set<String> signersDenied) {
    Map<String, RuleSettings> rules = new LinkedHashMap<>();
    rules.put(
        "invalid-cli",
        new RuleSettings(
            true,
            40,
            Optional.empty(),
            Optional.of(new SipStatus(604, "Does Not Exist Anywhere"))));
    rules.put("neighbour-spoofing", RuleSettings.weighted(20));
    CheckOptions options =
        new CheckOptions(
            true,
            List.of(new NamedList("bank.txt", protectedNumbers())),
            new CallerList(
                List.of(new NamedList("deny.txt", list("41901", true))),
                Set.of(),
                List.of(Cidr.parse("198.51.100.66/32")),
                List.of(Pattern.compile("friendly-scanner", Pattern.CASE_INSENSITIVE))),
            new CallerList(
                List.of(new NamedList("allow.txt", list("41313246111", false))),
                Set.of(),
                List.of(),
                List.of()),
            CheckOptions.DEFAULT_NEIGHBOUR_DIGITS,
            Set.of(),
            signersDenied);
    return new DetectorSettings(
        List.of(Calls.HOME_REGION),
        List.copyOf(TRUNKS.values()),
        rules,
        30,
        80,
        SipStatus.REJECTED,
        options);
  }

  /**
   * {@code +41800800800} never originates calls; {@code +41612670000} only from the carrier and
   * verify trunks, signed with attestation A.
   */
  private static NumberList protectedNumbers() {
    NumberList.Builder builder = NumberList.builder();
    builder.add("41800800800", false, NumberRule.NEVER_ORIGINATES);
    builder.add(
        "41612670000",
        false,
        new NumberRule(Set.of("carrier", "verify"), Optional.of(Attestation.A)));
    return builder.build();
  }

  private static NumberList list(String digits, boolean prefix) {
    NumberList.Builder builder = NumberList.builder();
    builder.add(digits, prefix, NumberRule.NEVER_ORIGINATES);
    return builder.build();
  }

  private static Map<String, Trunk> trunks() {
    Map<String, Trunk> trunks = new LinkedHashMap<>();
    for (Trunk trunk : List.of(CARRIER, PEER, TRANSIT, VERIFY, REQUIRE, STRICT)) {
      trunks.put(trunk.name(), trunk);
    }
    return trunks;
  }

  /** The {@code expect:} section for {@code verdict}, as stored in the case files. */
  static String render(Verdict verdict) {
    StringBuilder out = new StringBuilder(EXPECT).append('\n');
    out.append("action: ").append(verdict.action().id()).append('\n');
    out.append("score: ").append(verdict.score()).append('\n');
    out.append("reasons: ")
        .append(verdict.reasons().isEmpty() ? "-" : String.join(", ", verdict.reasons()))
        .append('\n');
    out.append("response: ")
        .append(verdict.response().map(s -> s.code() + " " + s.reason()).orElse("-"))
        .append('\n');
    out.append("verstat: ").append(verdict.stir().map(StirSummary::verstat).orElse("-"));
    verdict
        .stir()
        .flatMap(StirSummary::reasonHeaderValue)
        .ifPresent(reason -> out.append(" + Reason: ").append(reason));
    out.append('\n');
    out.append("evidence:").append(verdict.findings().isEmpty() ? " -" : "").append('\n');
    for (Finding finding : verdict.findings()) {
      out.append("  ")
          .append(finding.ruleId())
          .append(' ')
          .append(finding.weight())
          .append(": ")
          .append(finding.evidence())
          .append('\n');
    }
    return out.toString();
  }

  /**
   * One case file.
   *
   * @param input the file up to its {@code expect:} line, kept as written
   * @param expected the file from its {@code expect:} line on
   * @param call the call it describes
   * @param signersDenied the SPCs {@code signer-denied} refuses in this case
   */
  private record Case(String input, String expected, CallContext call, Set<String> signersDenied) {

    private static final Pattern EXPECT_LINE =
        Pattern.compile("^" + EXPECT + "$", Pattern.MULTILINE);

    private static final Set<String> SETTINGS_KEYS =
        Set.of("trunk", "stir", "source", "signers-denied");

    private static final Set<String> HEADERS =
        Set.of(
            "from",
            "to",
            "p-asserted-identity",
            "p-preferred-identity",
            "privacy",
            "user-agent",
            "call-id",
            "date");

    static Case parse(Path file, String text) {
      java.util.regex.Matcher expect = EXPECT_LINE.matcher(text);
      int expectAt;
      if (expect.find()) {
        expectAt = expect.start();
      } else if (UPDATE) {
        text = text.endsWith("\n") ? text : text + "\n";
        expectAt = text.length();
      } else {
        throw new IllegalArgumentException(
            file.getFileName() + ": no \"expect:\" line; write one or run -Dgolden.update=true");
      }
      String input = text.substring(0, expectAt);
      String expected = text.substring(expectAt);

      Map<String, String> settings = new LinkedHashMap<>();
      String requestUri = "sip:+41797654321@proxy.example";
      Map<String, List<String>> headers = new LinkedHashMap<>();
      boolean inHeaders = false;
      String[] lines = input.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        String where = file.getFileName() + " line " + (i + 1);
        if (line.startsWith("#")) {
          continue;
        }
        if (line.isEmpty()) {
          inHeaders = inHeaders || !settings.isEmpty();
          continue;
        }
        if (line.startsWith("INVITE ")) {
          String[] parts = line.split(" ");
          if (parts.length != 3 || !parts[2].equals("SIP/2.0")) {
            throw new IllegalArgumentException(
                where + ": \"" + line + "\" is not a request line; expected INVITE <uri> SIP/2.0");
          }
          requestUri = parts[1];
          inHeaders = true;
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException(
              where + ": \"" + line + "\" is not a \"key: value\" line");
        }
        String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        if (!inHeaders) {
          if (!SETTINGS_KEYS.contains(key)) {
            throw new IllegalArgumentException(
                where + ": \"" + key + "\" is not a setting; expected one of " + SETTINGS_KEYS);
          }
          settings.put(key, value);
        } else {
          if (!HEADERS.contains(key)) {
            throw new IllegalArgumentException(
                where + ": header \"" + key + "\" is not read; expected one of " + HEADERS);
          }
          headers.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
      }

      String trunkName = settings.getOrDefault("trunk", "");
      Trunk trunk = "default".equals(trunkName) ? Trunk.DEFAULT : TRUNKS.get(trunkName);
      if (trunk == null) {
        throw new IllegalArgumentException(
            file.getFileName()
                + ": trunk \""
                + trunkName
                + "\" is not known; expected default or one of "
                + TRUNKS.keySet());
      }
      NameAddress from = Calls.address(nameAddr(single(file, headers, "from", null)));
      NameAddress to =
          Calls.address(nameAddr(single(file, headers, "to", "<sip:+41797654321@proxy.example>")));
      List<NameAddress> pai = addresses(headers.get("p-asserted-identity"));
      List<NameAddress> ppi = addresses(headers.get("p-preferred-identity"));
      List<String> privacy = new ArrayList<>();
      for (String value : headers.getOrDefault("privacy", List.of())) {
        for (String priv : value.split(";")) {
          if (!priv.isBlank()) {
            privacy.add(priv.strip().toLowerCase(Locale.ROOT));
          }
        }
      }
      String source = settings.getOrDefault("source", SOURCES.get(trunk.name()));
      List<String> identity =
          identityHeaders(file, settings.getOrDefault("stir", "none"), trunk, from, pai, to);
      Set<String> signersDenied =
          settings.containsKey("signers-denied")
              ? Set.copyOf(Arrays.asList(settings.get("signers-denied").split("\\s*,\\s*")))
              : Set.of();
      CallContext call =
          new CallContext(
              single(file, headers, "call-id", "case-1@test"),
              new InetSocketAddress(source, 5060),
              Transport.UDP,
              trunk,
              requestUri,
              from,
              to,
              pai,
              ppi,
              privacy,
              identity,
              single(file, headers, "user-agent", ""),
              List.of(),
              single(file, headers, "date", ""));
      return new Case(input, expected, call, signersDenied);
    }

    private static String single(
        Path file, Map<String, List<String>> headers, String name, String otherwise) {
      List<String> values = headers.get(name);
      if (values == null) {
        if (otherwise == null) {
          throw new IllegalArgumentException(file.getFileName() + ": no " + name + " header");
        }
        return otherwise;
      }
      if (values.size() != 1) {
        throw new IllegalArgumentException(
            file.getFileName() + ": " + values.size() + " " + name + " headers; expected one");
      }
      return values.get(0);
    }

    /** The name-addr or addr-spec of a From/To value without its header parameters (tag). */
    private static String nameAddr(String value) {
      int close = value.indexOf('>');
      if (close >= 0) {
        return value.substring(0, close + 1);
      }
      return value;
    }

    /** Comma-separated entries (RFC 3325 §9.1), commas inside {@code <>} or quotes kept. */
    private static List<NameAddress> addresses(List<String> values) {
      List<NameAddress> entries = new ArrayList<>();
      for (String value : values == null ? List.<String>of() : values) {
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
          char c = i < value.length() ? value.charAt(i) : ',';
          if (c == '"') {
            quoted = !quoted;
          } else if (!quoted && c == '<') {
            depth++;
          } else if (!quoted && c == '>') {
            depth--;
          } else if (!quoted && depth == 0 && c == ',') {
            String entry = value.substring(start, i).strip();
            if (!entry.isEmpty()) {
              entries.add(Calls.address(nameAddr(entry)));
            }
            start = i + 1;
          }
        }
      }
      return entries;
    }

    /**
     * The Identity headers of the {@code stir:} outcome: signed for the caller STIR binds to (the
     * trusted P-Asserted-Identity's number, tel URI first, else the From user) and the To user.
     */
    private static List<String> identityHeaders(
        Path file,
        String stir,
        Trunk trunk,
        NameAddress from,
        List<NameAddress> pai,
        NameAddress to) {
      String[] words = stir.split("\\s+");
      String where = file.getFileName() + ": stir: \"" + stir + "\"";
      switch (words[0]) {
        case "none":
          return List.of();
        case "passed":
          if (words.length != 2 || Attestation.of(words[1]).isEmpty()) {
            throw new IllegalArgumentException(where + ": expected passed A, passed B or passed C");
          }
          return List.of(sign(X5U, Attestation.of(words[1]).get(), trunk, from, pai, to, 2));
        case "failed":
          if (words.length != 2) {
            throw new IllegalArgumentException(where + ": expected failed 403, 437 or 438");
          }
          switch (words[1]) {
            case "403":
              return List.of(sign(X5U, Attestation.A, trunk, from, pai, to, 3600));
            case "437":
              return List.of(sign(UNTRUSTED_X5U, Attestation.A, trunk, from, pai, to, 2));
            case "438":
              return List.of(tamper(sign(X5U, Attestation.A, trunk, from, pai, to, 2)));
            default:
              throw new IllegalArgumentException(where + ": expected failed 403, 437 or 438");
          }
        case "indeterminate":
          return List.of(sign(UNREACHABLE_X5U, Attestation.A, trunk, from, pai, to, 2));
        default:
          throw new IllegalArgumentException(
              where + ": expected none, passed A|B|C, failed 403|437|438 or indeterminate");
      }
    }

    private static String sign(
        String x5u,
        Attestation attest,
        Trunk trunk,
        NameAddress from,
        List<NameAddress> pai,
        NameAddress to,
        long ageSeconds) {
      String caller = from.user();
      if (trunk.trusted()) {
        Optional<NameAddress> asserted =
            pai.stream()
                .filter(entry -> CanonicalTn.parse(entry.user()).isPresent())
                .min(
                    (a, b) ->
                        Boolean.compare(!"tel".equals(a.scheme()), !"tel".equals(b.scheme())));
        if (asserted.isPresent()) {
          caller = asserted.get().user();
        }
      }
      CanonicalTn orig =
          CanonicalTn.parse(caller)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "cannot sign for caller \""
                              + from.user()
                              + "\": not a telephone number"));
      CanonicalTn dest = CanonicalTn.parse(to.user()).orElseThrow();
      return new PassportSigner(TestPki.endEntity().privateKey(), x5u, Es256.shared())
          .identity(attest, orig, List.of(dest), NOW.minusSeconds(ageSeconds), "origid-case");
    }

    /** A signed header whose signature no longer verifies: one signature character changed. */
    private static String tamper(String identity) {
      int at = identity.indexOf(';') - 20;
      char c = identity.charAt(at);
      return identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);
    }
  }
}
