package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * {@code sipsentry sign} through {@link Main#execute}; its output is checked with {@code sipsentry
 * verify}, so each test is a round trip through both commands.
 */
class SignTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String X5U = "https://cert.sp.example.net/sti/sp-1234.pem";
  private static final long IAT = TestPki.NOW.getEpochSecond() - 3;

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  Path key;
  Path chain;
  Path anchor;

  @BeforeEach
  void writePki() {
    key =
        TestPki.writePem(dir.resolve("sp-key.pem"), TestPki.pem(TestPki.endEntity().privateKey()));
    chain =
        TestPki.writePem(
            dir.resolve("chain.pem"),
            TestPki.pem(TestPki.endEntity().certificate(), TestPki.intermediate().certificate()));
    anchor = TestPki.writePem(dir.resolve("root.pem"), TestPki.pem(TestPki.root().certificate()));
  }

  @Test
  void sign_oneHeader_printsIdentityThatVerifyPasses() throws Exception {
    int code =
        run(
            "sign",
            "--key",
            key.toString(),
            "--x5u",
            X5U,
            "--attest",
            "B",
            "--orig",
            "+33612345678",
            "--dest",
            "+33987654321",
            "--iat",
            Long.toString(IAT),
            "--origid",
            "call-1");

    assertThat(code).isZero();
    assertThat(err.toString()).isEmpty();
    String identity = out.toString().strip();
    assertThat(identity).endsWith(";info=<" + X5U + ">;alg=ES256;ppt=shaken");

    JsonNode report = verify(identity, "+33612345678", "+33987654321");
    assertThat(report.get("code").asInt()).isEqualTo(200);
    assertThat(report.get("attest").asText()).isEqualTo("B");
    assertThat(report.get("origid").asText()).isEqualTo("call-1");
    assertThat(report.get("spc").asText()).isEqualTo(TestPki.SPC);
  }

  @Test
  void sign_severalDest_signsThemAllInOrder() throws Exception {
    run(
        "sign",
        "--key",
        key.toString(),
        "--x5u",
        X5U,
        "--orig",
        "33612345678",
        "--dest",
        "33987654321",
        "--dest",
        "33111111111",
        "--iat",
        Long.toString(IAT));

    String identity = out.toString().strip();
    assertThat(claims(identity).get("dest").get("tn"))
        .extracting(JsonNode::asText)
        .containsExactly("33987654321", "33111111111");
    assertThat(verify(identity, "33612345678", "33111111111").get("code").asInt()).isEqualTo(200);
  }

  @Test
  void sign_withoutIatAndOrigid_usesNowAndARandomUuid() throws Exception {
    long before = Instant.now().getEpochSecond();
    run("sign", "--key", key.toString(), "--x5u", X5U, "--orig", "1", "--dest", "2");
    long after = Instant.now().getEpochSecond();

    JsonNode claims = claims(out.toString().strip());
    assertThat(claims.get("attest").asText()).isEqualTo("A");
    assertThat(claims.get("iat").asLong()).isBetween(before, after);
    String origid = claims.get("origid").asText();
    assertThat(UUID.fromString(origid).toString()).isEqualTo(origid);
  }

  @Test
  void sign_csv_writesSippInjectionFileWhoseRowsVerify() throws Exception {
    Path file = dir.resolve("calls.csv");

    int code =
        run(
            "sign",
            "--key",
            key.toString(),
            "--x5u",
            X5U,
            "--attest",
            "C",
            "--csv",
            "5",
            "--orig-range",
            "0041446680998-0041446681000",
            "--dest",
            "+41446681800",
            "--iat",
            Long.toString(IAT),
            "--out",
            file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).isEmpty();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("SEQUENTIAL");
    List<String> origs = new ArrayList<>();
    Set<String> origids = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      // SIPp splits on ';': orig, dest, then the Identity value in four fields.
      String[] fields = line.split(";", -1);
      assertThat(fields).hasSize(6);
      assertThat(fields[1]).isEqualTo("41446681800");
      assertThat(fields[3]).isEqualTo("info=<" + X5U + ">");
      String identity = String.join(";", fields[2], fields[3], fields[4], fields[5]);
      JsonNode report = verify(identity, "+" + fields[0], "+" + fields[1]);
      assertThat(report.get("code").asInt()).as(line).isEqualTo(200);
      assertThat(report.get("attest").asText()).isEqualTo("C");
      origs.add(fields[0]);
      origids.add(report.get("origid").asText());
    }
    assertThat(origs)
        .containsExactly(
            "0041446680998", "0041446680999", "0041446681000", "0041446680998", "0041446680999");
    assertThat(origids).hasSize(5);
  }

  @Test
  void sign_csvWithoutOut_writesToStandardOutput() {
    int code =
        run(
            "sign",
            "--key",
            key.toString(),
            "--x5u",
            X5U,
            "--csv",
            "2",
            "--orig-range",
            "41446680000",
            "--dest",
            "41446681800");

    assertThat(code).isZero();
    assertThat(out.toString().lines()).hasSize(3).first().isEqualTo("SEQUENTIAL");
    assertThat(out.toString().lines().skip(1)).allMatch(line -> line.startsWith("41446680000;"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attest W        | --attest W                 | --attest must be A, B or C, not W",
        "orig not a TN   | --orig alice               | --orig \"alice\" is not a telephone number",
        "dest not a TN   | --dest 12ab                | --dest \"12ab\" is not a telephone number",
        "x5u not http(s) | --x5u ftp://h/c.pem        | is not an absolute http or https URL",
        "x5u not a URL   | --x5u https://h/a<b>.pem   | is not a URL",
        "negative iat    | --iat -5                   | --iat must not be negative",
        "out without csv | --out x.csv                | --out needs --csv",
      })
  void sign_badArgument_exits2WithMessage(String name, String option, String message) {
    List<String> args =
        new ArrayList<>(
            List.of("sign", "--key", key.toString(), "--x5u", X5U, "--orig", "1", "--dest", "2"));
    String[] parts = option.split(" ", 2);
    int existing = args.indexOf(parts[0]);
    if (existing >= 0) {
      args.set(existing + 1, parts[1]);
    } else {
      args.addAll(List.of(parts));
    }

    assertThat(run(args.toArray(String[]::new))).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "range backwards  | --orig-range 200-100     | START is after END",
        "range widths     | --orig-range 99-100      | START and END must have as many digits",
        "range not a TN   | --orig-range a-b         | is not a telephone number",
        "x5u with ;       | --x5u https://h/a;b.pem  | must not contain ';'",
        "csv zero         | --csv 0                  | --csv must be at least 1",
      })
  void sign_badCsvArgument_exits2WithMessage(String name, String option, String message) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sign",
                "--key",
                key.toString(),
                "--x5u",
                X5U,
                "--csv",
                "3",
                "--orig-range",
                "100-200",
                "--dest",
                "2"));
    String[] parts = option.split(" ", 2);
    args.set(args.indexOf(parts[0]) + 1, parts[1]);

    assertThat(run(args.toArray(String[]::new))).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains(message);
  }

  @Test
  void sign_csvWithOrig_exits2() {
    int code =
        run(
            "sign",
            "--key",
            key.toString(),
            "--x5u",
            X5U,
            "--csv",
            "3",
            "--orig",
            "1",
            "--dest",
            "2");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--csv takes --orig-range, not --orig");
  }

  @Test
  void sign_missingKeyFile_exits2NamingIt() {
    Path missing = dir.resolve("nokey.pem");

    int code = run("sign", "--key", missing.toString(), "--x5u", X5U, "--orig", "1", "--dest", "2");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--key: cannot read " + missing + ": file not found");
  }

  @Test
  void sign_keyFileWithoutKey_exits2() throws Exception {
    int code = run("sign", "--key", chain.toString(), "--x5u", X5U, "--orig", "1", "--dest", "2");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains(chain.toString());
  }

  @Test
  void sign_rsaKey_exits2() {
    Path rsa =
        TestPki.writePem(dir.resolve("rsa.pem"), TestPki.pem(TestPki.rsaEndEntity().privateKey()));

    int code = run("sign", "--key", rsa.toString(), "--x5u", X5U, "--orig", "1", "--dest", "2");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("P-256");
  }

  @Test
  void sign_withoutOrig_exits2() {
    assertThat(run("sign", "--key", key.toString(), "--x5u", X5U, "--dest", "2"))
        .isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("missing --orig");
  }

  @Test
  void sign_help_documentsTheCsvFieldLayout() {
    assertThat(run("sign", "--help")).isZero();
    assertThat(out.toString())
        .contains("orig;dest;JWS;info=<URL>;alg=ES256;ppt=shaken")
        .contains("Identity: [field2];[field3];[field4];[field5]");
  }

  private JsonNode verify(String identity, String from, String to) throws Exception {
    StringWriter verifyOut = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "verify",
              "--identity",
              identity,
              "--from",
              from,
              "--to",
              to,
              "--at",
              Long.toString(IAT + 2),
              "--trust-anchor",
              anchor.toString(),
              "--cert",
              chain.toString(),
              "--strict"
            },
            new PrintWriter(verifyOut, true),
            new PrintWriter(err, true));
    JsonNode report = JSON.readTree(verifyOut.toString());
    assertThat(code).as(report.toString()).isZero();
    return report;
  }

  private static JsonNode claims(String identity) throws Exception {
    String payload = identity.substring(0, identity.indexOf(';')).split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload));
  }

  int run(String... args) {
    return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
