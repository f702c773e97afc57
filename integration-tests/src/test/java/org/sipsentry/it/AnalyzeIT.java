package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.analyze.AnalysedCall;
import org.sipsentry.proxy.analyze.CaptureAnalysis;
import org.sipsentry.proxy.config.ConfigLoader;
import org.sipsentry.sip.stir.Attestation;

/**
 * {@code sipsentry analyze} against the live proxy: SIPp calls over UDP and TCP, from a trusted and
 * an untrusted source, go through the proxy while {@code tshark -i lo} records what arrives at its
 * port; the analysis of that capture, under the proxy's own config, must give every INVITE the
 * verdict (action, reasons, trunk, source) the proxy wrote in its audit log.
 *
 * <p>The same with signed calls on STIR/SHAKEN-verifying trunks, analysed with {@code --cert DIR}
 * holding what the x5u URL served: the verstat of each INVITE is the audit log's too.
 *
 * <p>Needs tshark (Debian {@code tshark}) and the right to capture on lo (root or CAP_NET_RAW);
 * skipped, saying why, when either is missing.
 */
class AnalyzeIT {

  private static final String UNTRUSTED = "127.0.0.1";
  private static final String TRUSTED = "127.0.0.2";

  @Test
  void analyzeOfACapture_givesEveryInviteTheVerdictOfTheAuditLog(@TempDir Path dir)
      throws Exception {
    Path capture = dir.resolve("lab.pcapng");
    try (LabProxy proxy = LabProxy.start("lab", dir);
        Sipp udpUas = proxy.uas("u1", "-sn", "uas");
        Sipp tcpUas = proxy.uas("t1", "-sn", "uas")) {
      Process tshark = startCapture(capture, proxy.port, dir);
      try {
        call(proxy, UNTRUSTED, "u1", "identity-call/uac.xml", "+41446681801", "", dir);
        call(
            proxy,
            UNTRUSTED,
            "u1",
            "identity-call/uac-with-pai.xml",
            "+41446681802",
            "+41791234567",
            dir);
        call(
            proxy,
            TRUSTED,
            "u1",
            "identity-call/uac-with-pai.xml",
            "+41446681803",
            "+41791234567",
            dir);
        blockedCall(proxy, dir);
        call(
            proxy,
            UNTRUSTED,
            "t1",
            "identity-call/uac-with-pai.xml",
            "+41446681805",
            "+41791234567",
            dir);
        call(proxy, TRUSTED, "t1", "identity-call/uac.xml", "+41000", "", dir);
        // Let the last packets reach the capture file.
        Thread.sleep(1000);
      } finally {
        stopCapture(tshark);
      }
      List<JsonNode> audit = proxy.auditRecords(6);
      assertThat(audit).hasSize(6);

      List<AnalysedCall> analysed = analyse(dir.resolve("lab.yaml"), capture, Optional.empty());

      assertThat(analysed).hasSize(6);
      assertThat(verdictsOfAnalysis(analysed)).isEqualTo(verdictsOfAuditLog(audit));
      // The calls were chosen so that the verdicts differ: the comparison can fail.
      assertThat(verdictsOfAuditLog(audit).values())
          .anyMatch(v -> v.startsWith("allow [] default udp:"))
          .anyMatch(v -> v.startsWith("label [untrusted-pai] default udp:"))
          .anyMatch(v -> v.startsWith("label [from-pai-mismatch] carrier udp:"))
          .anyMatch(v -> v.startsWith("block [anonymous-caller] default udp:"))
          .anyMatch(v -> v.startsWith("label [untrusted-pai] default tcp:"))
          .anyMatch(v -> v.startsWith("label [invalid-cli] carrier tcp:"));
    }
  }

  @Test
  void analyzeWithCertDirOfASignedCallCapture_givesTheAuditLogsVerstat(@TempDir Path dir)
      throws Exception {
    Path capture = dir.resolve("stir.pcapng");
    try (LabPki pki = LabPki.start("AnalyzeIT", dir);
        LabProxy proxy =
            LabProxy.start(
                "stir-lab",
                dir,
                Map.of(
                    "TRUST_ANCHORS", pki.anchors().toString(),
                    "CERT_PORT", String.valueOf(pki.port()),
                    "STALL_PORT", String.valueOf(Ports.free())));
        Sipp uas = proxy.uas("u1", "-sn", "uas")) {
      List<String> callers = List.of("41446681831", "41446681832", "41446681833");
      Path valid =
          StirCalls.csv(
              dir, "valid", callers.subList(0, 2), caller -> identity(pki, caller, false));
      Path tampered =
          StirCalls.csv(
              dir, "tampered", callers.subList(2, 3), caller -> identity(pki, caller, true));
      Path signedUac = StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE);
      Path rejectedUac =
          Scenarios.render("stir-call/uac-rejected.xml", Map.of("expect_code", "438"), dir);
      Process tshark = startCapture(capture, proxy.port, dir);
      try {
        // 127.0.0.3 continues on failure, 127.0.0.4 rejects (stir-lab.yaml).
        runUac(proxy, "127.0.0.3", signedUac, valid, 2);
        runUac(proxy, "127.0.0.4", rejectedUac, tampered, 1);
        Thread.sleep(1000);
      } finally {
        stopCapture(tshark);
      }
      List<JsonNode> audit = proxy.auditRecords(3);
      assertThat(audit).hasSize(3);
      // What the x5u URL served, as a file named by its last path segment.
      Path certs = Files.createDirectories(dir.resolve("certs"));
      try (java.io.InputStream chain = java.net.URI.create(pki.x5u()).toURL().openStream()) {
        Files.write(certs.resolve("sp.pem"), chain.readAllBytes());
      }
      int fetches = pki.certificateRequests();

      List<AnalysedCall> analysed =
          analyse(dir.resolve("stir-lab.yaml"), capture, Optional.of(certs));

      assertThat(pki.certificateRequests())
          .as("served from --cert, not fetched")
          .isEqualTo(fetches);
      Map<String, String> expected = verdictsOfAuditLog(audit);
      Map<String, String> actual = verdictsOfAnalysis(analysed);
      for (JsonNode line : audit) {
        String callId = line.get("call-id").asText();
        expected.put(callId, expected.get(callId) + " " + line.at("/stir/verstat").asText());
      }
      for (AnalysedCall call : analysed) {
        String callId = call.call().callId();
        actual.put(
            callId, actual.get(callId) + " " + call.verdict().stir().orElseThrow().verstat());
      }
      assertThat(actual).isEqualTo(expected);
      assertThat(expected.values()).filteredOn(v -> v.endsWith(" TN-Validation-Passed")).hasSize(2);
      assertThat(expected.values())
          .filteredOn(v -> v.startsWith("block ") && v.endsWith(" TN-Validation-Failed"))
          .hasSize(1);
    }
  }

  /** The verdicts of {@code capture} under {@code config}; fails on any problem. */
  private static List<AnalysedCall> analyse(Path config, Path capture, Optional<Path> certs)
      throws Exception {
    List<AnalysedCall> analysed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (CaptureAnalysis analysis =
        CaptureAnalysis.create(
            ConfigLoader.load(config),
            Optional.empty(),
            certs,
            analysed::add,
            (file, packet, message) -> problems.add("packet " + packet + ": " + message))) {
      analysis.analyse(capture);
    }
    assertThat(problems).isEmpty();
    return analysed;
  }

  /** A fresh Identity header for {@code caller}, its signature damaged when {@code tampered}. */
  private static String identity(LabPki pki, String caller, boolean tampered) {
    String identity =
        pki.identity(
            Attestation.A, pki.x5u(), caller, StirCalls.CALLEE, UUID.randomUUID().toString());
    if (!tampered) {
      return identity;
    }
    // A byte of the signature, away from its last characters' padding bits (as StirIT does).
    int at = identity.indexOf(';') - 20;
    char c = identity.charAt(at);
    return identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);
  }

  private static void runUac(LabProxy proxy, String sourceIp, Path scenario, Path csv, int calls)
      throws Exception {
    try (Sipp uac =
        proxy.uac(
            sourceIp,
            "u1",
            "-sf",
            scenario.toString(),
            "-inf",
            csv.toString(),
            "-m",
            String.valueOf(calls),
            "-r",
            "10")) {
      assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
    }
  }

  /** Call-ID → "action reasons trunk source", as the audit log has them. */
  private static Map<String, String> verdictsOfAuditLog(List<JsonNode> audit) {
    Map<String, String> verdicts = new TreeMap<>();
    for (JsonNode line : audit) {
      List<String> reasons = new ArrayList<>();
      line.at("/verdict/reasons").forEach(reason -> reasons.add(reason.asText()));
      verdicts.put(
          line.get("call-id").asText(),
          line.at("/verdict/action").asText()
              + " "
              + reasons
              + " "
              + line.get("trunk").asText()
              + " "
              + line.get("source").asText());
    }
    return verdicts;
  }

  private static Map<String, String> verdictsOfAnalysis(List<AnalysedCall> analysed) {
    Map<String, String> verdicts = new TreeMap<>();
    for (AnalysedCall call : analysed) {
      verdicts.put(
          call.call().callId(),
          call.verdict().action().id()
              + " "
              + call.verdict().reasons()
              + " "
              + call.call().trunk().name()
              + " "
              + call.call().transport().viaToken().toLowerCase(java.util.Locale.ROOT)
              + ":"
              + call.call().source().getAddress().getHostAddress()
              + ":"
              + call.call().source().getPort());
    }
    return verdicts;
  }

  /**
   * Starts {@code tshark -i lo} on what is sent to the proxy's port (not what it forwards, which
   * would be analysed as calls of the proxy's own), and waits until it captures.
   */
  private static Process startCapture(Path file, int port, Path dir) throws Exception {
    Path log = dir.resolve("tshark.log");
    Process tshark;
    try {
      tshark =
          new ProcessBuilder("tshark", "-i", "lo", "-f", "dst port " + port, "-w", file.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      assumeTrue(false, "tshark cannot be started (Debian package tshark): " + e.getMessage());
      throw new AssertionError("unreachable");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      String output = Files.exists(log) ? Files.readString(log) : "";
      if (output.contains("Capturing on")) {
        // tshark says so just before the capture starts.
        Thread.sleep(500);
        return tshark;
      }
      if (!tshark.isAlive()) {
        assumeTrue(false, "tshark cannot capture on lo (needs root or CAP_NET_RAW): " + output);
      }
      Thread.sleep(50);
    }
    tshark.destroyForcibly();
    throw new AssertionError(
        "tshark did not start capturing within 15 s: " + Files.readString(log));
  }

  private static void stopCapture(Process tshark) throws InterruptedException {
    tshark.destroy();
    if (!tshark.waitFor(10, TimeUnit.SECONDS)) {
      tshark.destroyForcibly().waitFor();
    }
  }

  private static void call(
      LabProxy proxy,
      String sourceIp,
      String transport,
      String template,
      String fromUser,
      String paiUser,
      Path dir)
      throws Exception {
    Path scenario =
        Scenarios.render(template, Map.of("from_user", fromUser, "pai_user", paiUser), dir);
    Sipp uac = proxy.uac(sourceIp, transport, "-sf", scenario.toString(), "-m", "1");
    assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
  }

  private static void blockedCall(LabProxy proxy, Path dir) throws Exception {
    Path scenario =
        Scenarios.render(
            "blocked-call/uac.xml",
            Map.of("from_user", "anonymous", "extra_header", "Privacy: id", "expect_code", "433"),
            dir);
    Sipp uac = proxy.uac(UNTRUSTED, "u1", "-sf", scenario.toString(), "-m", "1");
    assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
  }
}
