package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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
 * STIR/SHAKEN end to end: SIPp calls carrying Identity headers signed at test time, the real proxy
 * verifying them (config {@code stir-lab.yaml}: one trunk per on-failure choice, certificates over
 * plain HTTP on loopback), a SIPp UAS checking the verstat, verdict and Reason headers it receives,
 * and the audit log.
 *
 * <p>The test PKI and its certificate server are a {@link LabPki}; the "slow" certificate server,
 * on 127.0.0.7 so that its breaker is not the good server's, accepts connections and never answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StirIT {

  /* Source addresses, one per trunk of stir-lab.yaml. */
  private static final String CONTINUE = "127.0.0.3";
  private static final String REJECT = "127.0.0.4";
  private static final String REASON = "127.0.0.5";
  private static final String FAIL_CLOSED = "127.0.0.6";
  private static final String STALL_HOST = "127.0.0.7";
  private static final String PEER = "127.0.0.8";

  private static final String INVALID_REASON = "^ ?STIR;cause=438;text=.Invalid Identity Header.$";

  private Path dir;
  private StirLab lab;
  private LabProxy proxy;
  private LabPki pki;
  private StalledServer stalledServer;

  /** Caller number → what its audit line must say. */
  private final Map<String, Expected> expected = new HashMap<>();

  /** The origids of the headers that must verify. */
  private final Set<String> validOrigids = new HashSet<>();

  /** What one call's audit line must carry: verstat, and the failure and code when it failed. */
  private record Expected(String verstat, String failure, int code) {}

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    stalledServer = new StalledServer(InetAddress.getByName(STALL_HOST));
    lab =
        StirLab.start(
            "StirIT", "stir-lab", dir, Map.of("STALL_PORT", String.valueOf(stalledServer.port())));
    pki = lab.pki;
    proxy = lab.proxy;
  }

  @AfterAll
  void stop() throws IOException {
    if (lab != null) {
      lab.close();
    }
    if (stalledServer != null) {
      stalledServer.close();
    }
  }

  // --- the calls -------------------------------------------------------------------------------

  @Test
  @Order(1)
  void validSignedCalls_arriveWithVerstatPassedOnThePai_andOneCertificateFetch() throws Exception {
    List<String> callers = List.of("41446681811", "41446681812", "41446681813");
    Path csv = StirCalls.csv(dir, "valid", callers, this::validIdentity);
    passes(callers);

    try (Sipp uas = uas("P-Asserted-Identity", "verstat=TN-Validation-Passed[;>]", null, null, 3)) {
      runUac(CONTINUE, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE), csv, 3);
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
    assertThat(pki.certificateRequests()).as("one fetch, then the cache").isEqualTo(1);
    assertThat(proxy.counter("stir.tn-validation-passed")).isEqualTo(3);
  }

  @Test
  @Order(2)
  void validSignedCallFromUntrustedPeer_arrivesWithVerstatPassedOnTheFrom() throws Exception {
    List<String> callers = List.of("41446681814");
    Path csv = StirCalls.csv(dir, "peer", callers, this::validIdentity);
    passes(callers);

    try (Sipp uas = uas("From", "verstat=TN-Validation-Passed[;>]", null, null, 1)) {
      runUac(PEER, StirCalls.uac(dir, StirCalls.NO_PAI_LINE, StirCalls.IDENTITY_LINE), csv, 1);
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
  }

  @Test
  @Order(3)
  void tamperedCall_onReject_isRejected438() throws Exception {
    List<String> callers = List.of("41446681821");
    Path csv = StirCalls.csv(dir, "tampered-reject", callers, this::tamperedIdentity);
    fails(callers);
    long forwarded = proxy.counter("forwarded.request");

    Path scenario =
        Scenarios.render("stir-call/uac-rejected.xml", Map.of("expect_code", "438"), dir);
    runUac(REJECT, scenario, csv, 1);

    assertThat(proxy.counter("answered.438")).isEqualTo(1);
    assertThat(proxy.counter("forwarded.request")).isEqualTo(forwarded);
  }

  @Test
  @Order(4)
  void tamperedCall_onContinue_arrivesLabelledFailedWithVerdictHeader() throws Exception {
    List<String> callers = List.of("41446681822");
    Path csv = StirCalls.csv(dir, "tampered-continue", callers, this::tamperedIdentity);
    fails(callers);

    try (Sipp uas =
        uas(
            "P-Asserted-Identity",
            "verstat=TN-Validation-Failed[;>]",
            "^ ?label;score=50;reasons=stir-failed$",
            null,
            1)) {
      runUac(CONTINUE, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE), csv, 1);
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
  }

  @Test
  @Order(5)
  void tamperedCall_onContinueWithReason_carriesTheRfc9410Reason() throws Exception {
    List<String> callers = List.of("41446681823");
    Path csv = StirCalls.csv(dir, "tampered-reason", callers, this::tamperedIdentity);
    fails(callers);

    try (Sipp uas =
        uas(
            "P-Asserted-Identity",
            "verstat=TN-Validation-Failed[;>]",
            "^ ?label;score=50;reasons=stir-failed$",
            INVALID_REASON,
            1)) {
      runUac(REASON, StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE), csv, 1);
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
  }

  /**
   * Calls whose certificate server never answers wait for the fetch timeout (2 s) off the event
   * loop; meanwhile, calls that need no fetch (a cached certificate, no Identity header) are
   * answered: all of them complete before any stalled call is decided. Then the stalled calls get
   * their trunk's on-indeterminate action, fail-closed: 436 Bad Identity Info.
   */
  @Test
  @Order(6)
  void slowCertificateServer_doesNotDelayUnrelatedCalls() throws Exception {
    List<String> stalledCallers = List.of("41446681831", "41446681832", "41446681833");
    List<String> signedCallers =
        List.of("41446681841", "41446681842", "41446681843", "41446681844", "41446681845");
    List<String> unsignedCallers =
        List.of("41446681851", "41446681852", "41446681853", "41446681854", "41446681855");
    AtomicInteger stalledRow = new AtomicInteger();
    Path stalledCsv =
        StirCalls.csv(
            dir,
            "stalled",
            stalledCallers,
            caller ->
                identity(
                    "http://"
                        + STALL_HOST
                        + ":"
                        + stalledServer.port()
                        + "/sp-"
                        + stalledRow.incrementAndGet()
                        + ".pem",
                    caller,
                    false));
    Path signedCsv = StirCalls.csv(dir, "cached", signedCallers, this::validIdentity);
    Path unsignedCsv = StirCalls.csv(dir, "unsigned", unsignedCallers, caller -> ";;;");
    for (String caller : stalledCallers) {
      expected.put(caller, new Expected("No-TN-Validation", "certificate-unavailable", 436));
    }
    passes(signedCallers);
    for (String caller : unsignedCallers) {
      expected.put(caller, new Expected("No-TN-Validation", null, 0));
    }
    long misses = proxy.counter("stir.fetch.miss");
    long absorbed = proxy.counter("invite.retransmission.absorbed");
    Path rejected =
        Scenarios.render("stir-call/uac-rejected.xml", Map.of("expect_code", "436"), dir);

    try (Sipp uas =
            uas(
                "P-Asserted-Identity",
                "verstat=(TN-Validation-Passed|No-TN-Validation)[;>]",
                null,
                null,
                10);
        Sipp stalled = uac(FAIL_CLOSED, rejected, stalledCsv, 3, "10")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> proxy.counter("stir.fetch.miss") >= misses + 3);

      try (Sipp signed =
              uac(
                  CONTINUE,
                  StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE),
                  signedCsv,
                  5,
                  "50");
          Sipp unsigned =
              uac(
                  CONTINUE,
                  StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.NO_IDENTITY_LINE),
                  unsignedCsv,
                  5,
                  "50")) {
        assertThat(signed.await(Duration.ofSeconds(30))).as(signed.describe()).isZero();
        assertThat(unsigned.await(Duration.ofSeconds(30))).as(unsigned.describe()).isZero();
      }
      assertThat(proxy.counter("stir.indeterminate"))
          .as("no stalled call decided while the unrelated ones went through")
          .isZero();
      assertThat(stalled.isRunning()).as("the stalled calls are still pending").isTrue();

      assertThat(stalled.await(Duration.ofSeconds(30))).as(stalled.describe()).isZero();
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
    assertThat(proxy.counter("stir.indeterminate")).isEqualTo(3);
    assertThat(proxy.counter("answered.436")).isEqualTo(3);
    assertThat(proxy.counter("invite.retransmission.absorbed"))
        .as("the stalled INVITEs' retransmissions were absorbed while pending")
        .isGreaterThan(absorbed);
    assertThat(stalledServer.connections()).isPositive();
  }

  @Test
  @Order(7)
  void auditLog_carriesTheStirFieldsOfEveryCall() throws Exception {
    List<JsonNode> audit = proxy.auditRecords(expected.size());
    assertThat(audit).hasSize(expected.size());
    Set<String> seen = new HashSet<>();
    for (JsonNode line : audit) {
      String from = line.get("from").asText();
      String caller = from.substring(from.indexOf('+') + 1, from.indexOf('@'));
      Expected want = expected.get(caller);
      assertThat(want).as("audit line of an unexpected call: %s", line).isNotNull();
      seen.add(caller);
      JsonNode stir = line.get("stir");
      assertThat(stir).as("stir object of %s", caller).isNotNull();
      assertThat(stir.get("verstat").asText()).as(caller).isEqualTo(want.verstat());
      if (want.failure() == null) {
        assertThat(stir.has("failure")).as(caller).isFalse();
      } else {
        assertThat(stir.get("failure").asText()).as(caller).isEqualTo(want.failure());
        assertThat(stir.get("code").asInt()).as(caller).isEqualTo(want.code());
      }
      if (want.verstat().startsWith("TN-Validation-Passed")) {
        assertThat(stir.get("attest").asText()).isEqualTo("A");
        assertThat(stir.get("spc").asText()).isEqualTo(TestPki.SPC);
        assertThat(stir.get("x5u").asText()).isEqualTo(pki.x5u());
        assertThat(validOrigids).contains(stir.get("origid").asText());
      }
    }
    assertThat(seen).isEqualTo(expected.keySet());
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void passes(List<String> callers) {
    for (String caller : callers) {
      expected.put(caller, new Expected("TN-Validation-Passed", null, 0));
    }
  }

  private void fails(List<String> callers) {
    for (String caller : callers) {
      expected.put(caller, new Expected("TN-Validation-Failed", "bad-signature", 438));
    }
  }

  private String validIdentity(String caller) {
    return identity(pki.x5u(), caller, false);
  }

  private String tamperedIdentity(String caller) {
    return identity(pki.x5u(), caller, true);
  }

  /** A fresh header: iat now, a new origid. */
  private String identity(String x5u, String caller, boolean tampered) {
    String origid = UUID.randomUUID().toString();
    String identity = pki.identity(Attestation.A, x5u, caller, StirCalls.CALLEE, origid);
    if (!tampered) {
      validOrigids.add(origid);
      return identity;
    }
    return StirCalls.tamper(identity);
  }

  /**
   * A UAS for {@code calls} calls that checks {@code verstatHeader} against {@code verstatRegexp},
   * and the verdict and Reason headers against theirs ({@code null}: the header must be absent).
   */
  private Sipp uas(
      String verstatHeader,
      String verstatRegexp,
      String verdictRegexp,
      String reasonRegexp,
      int calls)
      throws IOException {
    Path scenario =
        Scenarios.render(
            "stir-call/uas.xml",
            Map.of(
                "verstat_header", verstatHeader,
                "verstat_regexp", verstatRegexp,
                "verdict_regexp", verdictRegexp == null ? "." : verdictRegexp,
                "verdict_check", verdictRegexp == null ? "check_it_inverse" : "check_it",
                "reason_regexp", reasonRegexp == null ? "." : reasonRegexp,
                "reason_check", reasonRegexp == null ? "check_it_inverse" : "check_it"),
            dir);
    return proxy.uas("u1", "-sf", scenario.toString(), "-m", String.valueOf(calls));
  }

  private Sipp uac(String sourceIp, Path scenario, Path csv, int calls, String rate)
      throws IOException {
    return proxy.uac(
        sourceIp,
        "u1",
        "-sf",
        scenario.toString(),
        "-inf",
        csv.toString(),
        "-m",
        String.valueOf(calls),
        "-r",
        rate);
  }

  private void runUac(String sourceIp, Path scenario, Path csv, int calls) throws Exception {
    try (Sipp uac = uac(sourceIp, scenario, csv, calls, "10")) {
      assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
    }
  }
}
