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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.analyze.AnalysedCall;
import org.sipsentry.proxy.analyze.CaptureAnalysis;
import org.sipsentry.proxy.config.ConfigLoader;

/**
 * {@code sipsentry analyze} against the live proxy: SIPp calls over UDP and TCP, from a trusted and
 * an untrusted source, go through the proxy while {@code tshark -i lo} records what arrives at its
 * port; the analysis of that capture, under the proxy's own config, must give every INVITE the
 * verdict (action, reasons, trunk, source) the proxy wrote in its audit log.
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

      List<AnalysedCall> analysed = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      CaptureAnalysis.Summary summary;
      try (CaptureAnalysis analysis =
          CaptureAnalysis.create(
              ConfigLoader.load(dir.resolve("lab.yaml")),
              Optional.empty(),
              Optional.empty(),
              analysed::add,
              (file, packet, message) -> problems.add("packet " + packet + ": " + message))) {
        summary = analysis.analyse(capture);
      }

      assertThat(problems).isEmpty();
      assertThat(summary.invites()).isEqualTo(6);
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
