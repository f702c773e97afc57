package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdicts of the first checks, end to end: SIPp calls with chosen identities through the proxy
 * (config {@code lab.yaml}: 127.0.0.2 is a trusted carrier, label at 30, block at 70, anonymous
 * callers blocked with 433); the UAS checks what the proxy forwarded, and the last test checks that
 * the audit log names each reason for exactly the calls that should carry it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerdictIT {

  private static final String UNTRUSTED = "127.0.0.1";
  private static final String TRUSTED = "127.0.0.2";

  private Path dir;
  private LabProxy proxy;

  /** From user → the reasons its call must carry, in the audit log and the verdict header. */
  private final List<Map.Entry<String, List<String>>> expectedReasons = new ArrayList<>();

  @BeforeAll
  void startProxy(@TempDir Path dir) throws Exception {
    this.dir = dir;
    proxy = LabProxy.start("lab", dir);
  }

  @AfterAll
  void stopProxy() {
    proxy.close();
  }

  @Test
  @Order(1)
  void validCaller_isForwardedWithoutVerdictHeader() throws Exception {
    call(UNTRUSTED, "identity-call/uac.xml", "+41446681801", "", null, false);
    expectedReasons.add(Map.entry("+41446681801", List.of()));
  }

  @Test
  @Order(2)
  void fromPaiMismatchFromUntrustedSource_arrivesLabelledWithoutPai() throws Exception {
    // RFC 3325 §5: a PAI from outside the trust domain is ignored and removed, so the
    // mismatch itself is not a finding, but the untrusted PAI is.
    call(
        UNTRUSTED,
        "identity-call/uac-with-pai.xml",
        "+41446681802",
        "+41791234567",
        "label;score=30;reasons=untrusted-pai",
        false);
    expectedReasons.add(Map.entry("+41446681802", List.of("untrusted-pai")));
  }

  @Test
  @Order(3)
  void fromPaiMismatchFromTrustedCarrier_arrivesLabelledWithPai() throws Exception {
    call(
        TRUSTED,
        "identity-call/uac-with-pai.xml",
        "+41446681803",
        "+41791234567",
        "label;score=60;reasons=from-pai-mismatch",
        true);
    expectedReasons.add(Map.entry("+41446681803", List.of("from-pai-mismatch")));
  }

  @Test
  @Order(4)
  void invalidCallerNumber_arrivesLabelled() throws Exception {
    call(
        UNTRUSTED,
        "identity-call/uac.xml",
        "+41000",
        "",
        "label;score=40;reasons=invalid-cli",
        false);
    expectedReasons.add(Map.entry("+41000", List.of("invalid-cli")));
  }

  @Test
  @Order(5)
  void anonymousCaller_isBlockedWithConfiguredCode_andItsAckAbsorbed() throws Exception {
    long forwardedBefore = proxy.counter("forwarded.request");
    blockedCall("anonymous", "Privacy: id", "433");
    assertThat(proxy.counter("absorbed.ack")).isEqualTo(1);
    assertThat(proxy.counter("forwarded.request")).isEqualTo(forwardedBefore);
    expectedReasons.add(Map.entry("anonymous", List.of("anonymous-caller")));
  }

  @Test
  @Order(6)
  void scoreAtBlockThreshold_isBlockedWithDefault608() throws Exception {
    // untrusted PAI (30) + invalid CLI (40) = 70 = the lab's block threshold.
    Path scenario =
        Scenarios.render(
            "blocked-call/uac.xml",
            Map.of(
                "from_user", "+41000",
                "extra_header", "P-Asserted-Identity: <sip:+41791234567@127.0.0.1;user=phone>",
                "expect_code", "608"),
            dir);
    runUac(UNTRUSTED, scenario);
    assertThat(proxy.counter("absorbed.ack")).isEqualTo(2);
    expectedReasons.add(Map.entry("+41000", List.of("invalid-cli", "untrusted-pai")));
  }

  @Test
  @Order(7)
  void auditLog_namesEachReasonForExactlyTheCallsThatCarryIt() throws Exception {
    List<JsonNode> audit = proxy.auditRecords(expectedReasons.size());
    assertThat(audit).hasSize(expectedReasons.size());
    for (int i = 0; i < audit.size(); i++) {
      JsonNode line = audit.get(i);
      Map.Entry<String, List<String>> expected = expectedReasons.get(i);
      assertThat(line.get("from").asText()).as("audit line %d", i).contains(expected.getKey());
      List<String> reasons = new ArrayList<>();
      line.at("/verdict/reasons").forEach(reason -> reasons.add(reason.asText()));
      assertThat(reasons).as("reasons of %s", expected.getKey()).isEqualTo(expected.getValue());
    }
  }

  /**
   * One call through the proxy to a UAS that checks the verdict header ({@code null}: must be
   * absent) and whether P-Asserted-Identity arrived.
   */
  private void call(
      String sourceIp,
      String uacTemplate,
      String fromUser,
      String paiUser,
      String expectedVerdict,
      boolean paiForwarded)
      throws Exception {
    Path uasScenario =
        Scenarios.render(
            "identity-call/uas.xml",
            Map.of(
                "verdict_regexp",
                expectedVerdict == null ? "." : "^ ?" + expectedVerdict + "$",
                "verdict_check",
                expectedVerdict == null ? "check_it_inverse" : "check_it",
                "pai_check",
                paiForwarded ? "check_it" : "check_it_inverse"),
            dir);
    Path uacScenario =
        Scenarios.render(uacTemplate, Map.of("from_user", fromUser, "pai_user", paiUser), dir);
    try (Sipp uas = proxy.uas("u1", "-sf", uasScenario.toString(), "-m", "1")) {
      runUac(sourceIp, uacScenario);
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
  }

  private void blockedCall(String fromUser, String extraHeader, String expectedCode)
      throws Exception {
    Path scenario =
        Scenarios.render(
            "blocked-call/uac.xml",
            Map.of("from_user", fromUser, "extra_header", extraHeader, "expect_code", expectedCode),
            dir);
    runUac(UNTRUSTED, scenario);
  }

  private void runUac(String sourceIp, Path scenario) throws Exception {
    Sipp uac = proxy.uac(sourceIp, "u1", "-sf", scenario.toString(), "-m", "1");
    assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
  }
}
