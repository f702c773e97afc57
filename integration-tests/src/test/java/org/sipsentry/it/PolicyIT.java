package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * The operator's policy end to end: real SIPp calls from three trunks told apart by source address
 * (config {@code policy-lab.yaml}: 127.0.0.10 the international transit carrier, 127.0.0.11 the
 * trusted domestic carrier, 127.0.0.1 the default trunk) through the real proxy, with a bank's
 * protected numbers, the mobile roaming exception, a rate limit, PASSporT replay detection and an
 * anonymise rule. The UAS checks the identities it receives; each call's audit line must explain
 * its verdict with every finding and its evidence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyIT {

  /* Source addresses, one per trunk of policy-lab.yaml. */
  private static final String TRANSIT = "127.0.0.10";
  private static final String CARRIER = "127.0.0.11";
  private static final String DEFAULT = "127.0.0.1";

  /** The bank's service line: the callee of every call. */

  /** In the bank's branch range: only from the carrier, with attestation A. */
  private static final String BANK = "41446681899";

  private static final String MOBILE = "41791234567";
  private static final String RATE_CALLER = "41225551234";
  private static final String REPLAY_CALLER = "41315551234";

  /** Too short for the Swiss plan: invalid-cli, which the lab anonymises. */
  private static final String INVALID = "41000";

  /** policy-lab.yaml's rate.per-caller. */
  private static final int PER_CALLER = 10;

  private static final String UNSIGNED = ";;;";

  private Path dir;
  private StirLab lab;
  private LabPki pki;
  private LabProxy proxy;

  /** How many initial INVITEs the proxy has judged so far: its audit lines. */
  private int calls;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Files.copy(
        Path.of("target/test-classes/config/policy-lab-dno.txt"),
        dir.resolve("policy-lab-dno.txt"));
    lab = StirLab.start("PolicyIT", "policy-lab", dir, Map.of());
    pki = lab.pki;
    proxy = lab.proxy;
  }

  @AfterAll
  void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void bankNumberFromTransit_isBlocked608() throws Exception {
    Path scenario =
        Scenarios.render(
            "blocked-call/uac.xml",
            Map.of(
                "from_user",
                "+" + BANK,
                "extra_header",
                StirCalls.NO_IDENTITY_LINE,
                "expect_code",
                "608"),
            dir);
    calls++;
    run(proxy.uac(TRANSIT, "u1", "-sf", scenario.toString(), "-m", "1"));

    JsonNode line = single(auditOf(BANK));
    assertVerdict(line, "transit", "block", 100);
    assertThat(line.at("/verdict/code").asInt()).isEqualTo(608);
    assertFindings(
        line,
        Map.of(
            "domestic-cli-from-abroad",
            "From +" + BANK + " is a CH number on international trunk transit",
            "protected-number",
            "caller +"
                + BANK
                + " is +4144668* in policy-lab-dno.txt: trunk transit may not originate it"
                + " (allowed: carrier)",
            "stir-missing",
            "no Identity header"));
  }

  @Test
  @Order(2)
  void bankNumberFromCarrier_signedWithAttestationA_isAllowedWithVerstatPassed() throws Exception {
    calls++;
    Path csv = StirCalls.csv(dir, "bank-signed", List.of(BANK), caller -> identity(caller));
    try (Sipp uas =
        uas(
            "sip:\\+" + BANK + "@",
            "^ ?<tel:\\+" + BANK + ";verstat=TN-Validation-Passed>$",
            null)) {
      run(uac(CARRIER, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE), csv, 1));
      run(uas);
    }

    JsonNode line = single(auditOf(BANK).subList(1, 2));
    assertVerdict(line, "carrier", "allow", 0);
    assertFindings(
        line, Map.of("stir-attestation-a", "attestation A signed by SPC " + TestPki.SPC));
    assertThat(line.at("/stir/verstat").asText()).isEqualTo("TN-Validation-Passed");
    assertThat(line.at("/stir/attest").asText()).isEqualTo("A");
  }

  @Test
  @Order(3)
  void domesticMobileFromTransit_withRoamingException_isLabelledNotBlocked() throws Exception {
    calls++;
    Path csv = StirCalls.csv(dir, "mobile", List.of(MOBILE), caller -> UNSIGNED);
    try (Sipp uas =
        uas("sip:\\+" + MOBILE + "@", null, "^ ?label;score=10;reasons=stir-missing$")) {
      run(
          uac(
              TRANSIT,
              StirCalls.uac(dir, StirCalls.NO_PAI_LINE, StirCalls.NO_IDENTITY_LINE),
              csv,
              1));
      run(uas);
    }

    // Without the exception, domestic-cli-from-abroad (80) would block it, as it does the bank's
    // fixed-line number above.
    JsonNode line = single(auditOf(MOBILE));
    assertVerdict(line, "transit", "label", 10);
    assertFindings(line, Map.of("stir-missing", "no Identity header"));
  }

  @Test
  @Order(4)
  void oneCallerAt30CallsPerSecond_isRateExceededAfterTheThreshold() throws Exception {
    int total = PER_CALLER + 5;
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      rows.add(RATE_CALLER);
    }
    Path csv = StirCalls.csv(dir, "rate", rows, caller -> UNSIGNED);
    calls += total;
    // Every call completes: over the limit a call is labelled, not blocked.
    try (Sipp uas = proxy.uas("u1", "-sn", "uas", "-m", String.valueOf(total))) {
      Sipp uac =
          proxy.uac(
              DEFAULT,
              "u1",
              "-sf",
              StirCalls.uac(dir, StirCalls.NO_PAI_LINE, StirCalls.NO_IDENTITY_LINE).toString(),
              "-inf",
              csv.toString(),
              "-m",
              String.valueOf(total),
              "-r",
              "30");
      run(uac);
      run(uas);
    }

    // SIPp numbers its calls in the order it places them: Call-ID "<n>-<pid>@<ip>".
    List<JsonNode> lines = auditOf(RATE_CALLER);
    assertThat(lines).hasSize(total);
    for (JsonNode line : lines) {
      String callId = line.get("call-id").asText();
      int n = Integer.parseInt(callId.substring(0, callId.indexOf('-')));
      if (n <= PER_CALLER) {
        assertVerdict(line, "default", "allow", 0);
        assertFindings(line, Map.of());
      } else {
        assertVerdict(line, "default", "label", 50);
        assertFindings(
            line,
            Map.of(
                "rate-exceeded",
                "caller +"
                    + RATE_CALLER
                    + ": "
                    + n
                    + " calls in 60s (limit "
                    + PER_CALLER
                    + ") on trunk default"));
      }
    }
  }

  @Test
  @Order(5)
  void replayedIdentityOnANewCallId_isPassportReplay() throws Exception {
    String origid = UUID.randomUUID().toString();
    String identity =
        pki.identity(Attestation.A, pki.x5u(), REPLAY_CALLER, StirCalls.CALLEE, origid);
    Path csv = StirCalls.csv(dir, "replay", List.of(REPLAY_CALLER), caller -> identity);
    calls++;
    try (Sipp uas = uas("sip:\\+" + REPLAY_CALLER + "@", "verstat=TN-Validation-Passed", null)) {
      run(uac(CARRIER, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE), csv, 1));
      run(uas);
    }
    // The same header again, on SIPp's next Call-ID.
    Path rejected =
        Scenarios.render("stir-call/uac-rejected.xml", Map.of("expect_code", "608"), dir);
    calls++;
    run(uac(CARRIER, rejected, csv, 1));

    List<JsonNode> lines = auditOf(REPLAY_CALLER);
    assertThat(lines).hasSize(2);
    String firstCallId = lines.get(0).get("call-id").asText();
    assertThat(lines.get(1).get("call-id").asText()).isNotEqualTo(firstCallId);
    assertVerdict(lines.get(0), "carrier", "allow", 0);
    assertFindings(
        lines.get(0), Map.of("stir-attestation-a", "attestation A signed by SPC " + TestPki.SPC));
    JsonNode replay = lines.get(1);
    assertVerdict(replay, "carrier", "block", 80);
    assertThat(replay.at("/verdict/code").asInt()).isEqualTo(608);
    JsonNode finding = findings(replay).get("passport-replay");
    assertThat(finding).as("passport-replay finding in %s", replay).isNotNull();
    assertThat(finding.asText())
        .matches(
            "PASSporT \\(origid "
                + origid
                + ", iat \\d+\\) was first presented by Call-ID "
                + java.util.regex.Pattern.quote(firstCallId));
  }

  @Test
  @Order(6)
  void anonymiseRule_uasReceivesAnonymousFromAndNoPai() throws Exception {
    calls++;
    Path csv = StirCalls.csv(dir, "invalid", List.of(INVALID), caller -> UNSIGNED);
    try (Sipp uas =
        uas(
            "^ ?\"Anonymous\" <sip:anonymous@anonymous\\.invalid>;tag=",
            null,
            "^ ?anonymise;score=50;reasons=invalid-cli,stir-missing$")) {
      run(uac(CARRIER, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.NO_IDENTITY_LINE), csv, 1));
      run(uas);
    }

    JsonNode line = single(auditOf(INVALID));
    assertVerdict(line, "carrier", "anonymise", 50);
    assertThat(line.get("pai").get(0).asText()).contains("+" + INVALID);
    assertFindings(
        line,
        Map.of(
            "invalid-cli",
            "P-Asserted-Identity tel:+41000: \"+41000\" → +41000 is not a valid number for CH",
            "stir-missing",
            "no Identity header"));
  }

  @Test
  @Order(7)
  void auditLog_hasOneLinePerCall_eachNamingEveryFindingAsAReason() throws Exception {
    List<JsonNode> audit = proxy.auditRecords(calls);
    assertThat(audit).hasSize(calls);
    for (JsonNode line : audit) {
      List<String> reasons = new ArrayList<>();
      line.at("/verdict/reasons").forEach(reason -> reasons.add(reason.asText()));
      Map<String, JsonNode> findings = findings(line);
      assertThat(reasons).as("%s", line).containsExactlyInAnyOrderElementsOf(findings.keySet());
      assertThat(findings.values())
          .as("%s", line)
          .allMatch(evidence -> !evidence.asText().isBlank());
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The audit lines of the calls from {@code caller} so far, in the order they were written. */
  private List<JsonNode> auditOf(String caller) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (JsonNode line : proxy.auditRecords(calls)) {
      String from = line.get("from").asText();
      String pai = line.get("pai").isEmpty() ? "" : line.get("pai").get(0).asText();
      if (from.contains("+" + caller + "@") || pai.contains("+" + caller)) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static JsonNode single(List<JsonNode> lines) {
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private static JsonNode single(JsonNode array) {
    assertThat(array.size()).as("%s", array).isEqualTo(1);
    return array.get(0);
  }

  private static void assertVerdict(JsonNode line, String trunk, String action, int score) {
    assertThat(line.get("trunk").asText()).as("trunk of %s", line).isEqualTo(trunk);
    assertThat(line.at("/verdict/action").asText()).as("action of %s", line).isEqualTo(action);
    assertThat(line.at("/verdict/score").asInt()).as("score of %s", line).isEqualTo(score);
  }

  /** The line's findings, rule → evidence. */
  private static Map<String, JsonNode> findings(JsonNode line) {
    Map<String, JsonNode> findings = new LinkedHashMap<>();
    line.get("findings").forEach(f -> findings.put(f.get("rule").asText(), f.get("evidence")));
    return findings;
  }

  /** The line carries exactly these findings (rule → evidence), each with its rule's weight. */
  private static void assertFindings(JsonNode line, Map<String, String> expected) {
    Map<String, String> actual = new LinkedHashMap<>();
    findings(line).forEach((rule, evidence) -> actual.put(rule, evidence.asText()));
    assertThat(actual).as("findings of %s", line).isEqualTo(expected);
  }

  /** A fresh A-attested header for {@code caller}: iat now, a new origid. */
  private String identity(String caller) {
    return pki.identity(
        Attestation.A, pki.x5u(), caller, StirCalls.CALLEE, UUID.randomUUID().toString());
  }

  /**
   * A UAS for one call whose From must match {@code fromRegexp}, and whose P-Asserted-Identity and
   * verdict header must match theirs ({@code null}: the header must be absent).
   */
  private Sipp uas(String fromRegexp, String paiRegexp, String verdictRegexp) throws IOException {
    Path scenario =
        Scenarios.render(
            "policy-call/uas.xml",
            Map.of(
                "from_regexp", xml(fromRegexp),
                "pai_regexp", paiRegexp == null ? "." : xml(paiRegexp),
                "pai_check", paiRegexp == null ? "check_it_inverse" : "check_it",
                "verdict_regexp", verdictRegexp == null ? "." : xml(verdictRegexp),
                "verdict_check", verdictRegexp == null ? "check_it_inverse" : "check_it"),
            dir,
            "policy-call-uas-" + UUID.randomUUID() + ".xml");
    return proxy.uas("u1", "-sf", scenario.toString(), "-m", "1");
  }

  /** {@code text} for an XML attribute value. */
  private static String xml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private Sipp uac(String sourceIp, Path scenario, Path csv, int calls) throws IOException {
    return proxy.uac(
        sourceIp,
        "u1",
        "-sf",
        scenario.toString(),
        "-inf",
        csv.toString(),
        "-m",
        String.valueOf(calls));
  }

  /** Waits for SIPp (generously: the machine may be loaded) and asserts every call succeeded. */
  private static void run(Sipp sipp) throws Exception {
    try (sipp) {
      assertThat(sipp.await(Duration.ofSeconds(60))).as(sipp.describe()).isZero();
    }
  }
}
