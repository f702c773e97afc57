package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.SipResponses;

/**
 * A graceful stop finishes the decisions in flight. A SIPp call carries an Identity header whose
 * certificate server accepts the connection and never answers, so the proxy's verdict waits for the
 * fetch timeout (5 s); the stop starts while it waits. With a drain time longer than that, the
 * INVITE still reaches the next hop (labelled No-TN-Validation, the trunk failing open) and its
 * audit line is written; with none, the stop reports it abandoned. While it drains, the proxy still
 * relays the responses of calls forwarded before the stop, and answers a new call 503.
 */
class GracefulStopIT {

  private static final String CARRIER = "127.0.0.3";
  private static final String STALL_HOST = "127.0.0.7";
  private static final String CALLER = "41446681830";

  @TempDir Path dir;

  private LabPki pki;
  private StalledServer stalled;
  private DatagramSocket nextHop;
  private SipSentry sentry;
  private Path audit;
  private int port;

  @BeforeEach
  void start() throws Exception {
    pki = LabPki.start("GracefulStopIT", dir);
    stalled = new StalledServer(InetAddress.getByName(STALL_HOST));
    nextHop = new DatagramSocket(new InetSocketAddress("127.0.0.1", Ports.free()));
    nextHop.setSoTimeout(10_000);
    port = Ports.free();
    audit = dir.resolve("audit.jsonl");
    Map<String, String> values = new HashMap<>();
    values.put("PROXY_PORT", String.valueOf(port));
    values.put("NEXT_HOP_PORT", String.valueOf(nextHop.getLocalPort()));
    values.put("TRUST_ANCHORS", pki.anchors().toString());
    values.put("STALL_PORT", String.valueOf(stalled.port()));
    values.put("AUDIT_LOG", audit.toString());
    Path config =
        Scenarios.fill(
            Path.of("target/test-classes/graceful-stop/sipsentry.yaml"),
            values,
            dir.resolve("sipsentry.yaml"),
            StandardCharsets.UTF_8);
    sentry = SipSentry.start(config, UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws IOException {
    if (sentry != null) {
      sentry.close();
    }
    nextHop.close();
    stalled.close();
    pki.close();
  }

  @Test
  void stop_decisionInFlight_finishedForwardedAndAudited() throws Exception {
    try (Sipp uac = signedCall()) {
      awaitDecisionInFlight(uac);

      SipSentry.Stopped stopped = sentry.stop(Duration.ofSeconds(10));

      assertThat(stopped.pending()).isEqualTo(1);
      assertThat(stopped.drained()).isTrue();
      assertThat(stopped.abandoned()).isZero();
      assertThat(stopped.auditSynced()).isTrue();
      assertThat(stopped.auditWritten()).isEqualTo(1);
    }
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    nextHop.receive(packet);
    String forwarded =
        new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
    assertThat(forwarded).startsWith("INVITE ").contains("verstat=No-TN-Validation");

    List<String> lines = Files.readAllLines(audit);
    assertThat(Files.readString(audit)).endsWith("\n");
    assertThat(lines).hasSize(1);
    JsonNode record = new ObjectMapper().readTree(lines.get(0));
    assertThat(record.path("stir").path("indeterminate").asBoolean()).isTrue();
    assertThat(record.path("verdict").path("action").asText()).isNotEmpty();
  }

  @Test
  void stop_noDrainTime_decisionReportedAbandoned() throws Exception {
    try (Sipp uac = signedCall()) {
      awaitDecisionInFlight(uac);

      SipSentry.Stopped stopped = sentry.stop(Duration.ZERO);

      assertThat(stopped.pending()).isEqualTo(1);
      assertThat(stopped.drained()).isFalse();
      assertThat(stopped.abandoned()).isEqualTo(1);
    }
  }

  @Test
  void stop_duringTheDrain_newCallGets503AndAnEarlierCallsResponseIsStillRelayed()
      throws Exception {
    try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      caller.setSoTimeout(10_000);
      // A call forwarded before the stop: no Identity, from the default trunk, decided at once.
      byte[] early = earlyInvite(caller.getLocalPort());
      caller.send(
          new DatagramPacket(early, early.length, new InetSocketAddress("127.0.0.1", port)));
      byte[] forwarded = receive(nextHop);
      assertThat(text(forwarded)).startsWith("INVITE ").contains("Call-ID: early-1@127.0.0.1");

      try (Sipp uac = signedCall()) {
        awaitDecisionInFlight(uac);
        CompletableFuture<SipSentry.Stopped> stop = stopInTheBackground(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(sentry::stopping);

        // The next hop answers the early call: the proxy still reads, and relays it.
        byte[] ok =
            SipResponses.response(HeaderIndex.scan(forwarded), 200, "OK", "uas1", List.of())
                .orElseThrow();
        nextHop.send(new DatagramPacket(ok, ok.length, new InetSocketAddress("127.0.0.1", port)));
        String relayed = text(receive(caller));
        assertThat(relayed)
            .startsWith("SIP/2.0 200 OK\r\n")
            .contains("Call-ID: early-1@127.0.0.1")
            .contains("branch=z9hG4bK-early1");
        assertThat(relayed.split("\r\nVia: ", -1)).as(relayed).hasSize(2);

        // A new call is turned away with 503 (SIPp expects it, and ACKs it).
        Path scenario =
            Scenarios.render(
                "blocked-call/uac.xml",
                Map.of("from_user", "late", "extra_header", "Privacy: none", "expect_code", "503"),
                dir);
        try (Sipp late =
            Sipp.start(
                dir.resolve("sipp-late"),
                "127.0.0.1:" + port,
                "-sf",
                scenario.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                String.valueOf(Ports.free()),
                "-t",
                "u1",
                "-m",
                "1",
                "-timeout",
                "20s")) {
          assertThat(late.await(Duration.ofSeconds(30))).as(late.describe()).isZero();
        }
        SipSentry.Stopped stopped = stop.get(30, TimeUnit.SECONDS);
        assertThat(stopped.pending()).isEqualTo(1);
        assertThat(stopped.drained()).isTrue();
      }
    }
    assertThat(sentry.stats().get("rejected.stopping")).isEqualTo(1);
    assertThat(sentry.stats().get("forwarded.response")).isEqualTo(1);
  }

  private CompletableFuture<SipSentry.Stopped> stopInTheBackground(Duration drain) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sentry.stop(drain);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  /** An initial INVITE without Identity from the test's own socket, on the default trunk. */
  private byte[] earlyInvite(int callerPort) {
    String invite =
        "INVITE sip:+41446681801@127.0.0.1:"
            + port
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + callerPort
            + ";branch=z9hG4bK-early1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:+41446681800@127.0.0.1>;tag=e1\r\n"
            + "To: <sip:+41446681801@127.0.0.1>\r\n"
            + "Call-ID: early-1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:early@127.0.0.1:"
            + callerPort
            + ">\r\n"
            + "Content-Length: 0\r\n\r\n";
    return invite.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    socket.receive(packet);
    return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
  }

  private static String text(byte[] message) {
    return new String(message, StandardCharsets.ISO_8859_1);
  }

  private Sipp signedCall() throws IOException {
    String x5u = "http://" + STALL_HOST + ":" + stalled.port() + "/sp.pem";
    String identity =
        pki.identity(Attestation.A, x5u, CALLER, StirCalls.CALLEE, UUID.randomUUID().toString());
    Path csv = StirCalls.csv(dir, "stalled", List.of(CALLER), caller -> identity);
    return Sipp.start(
        dir.resolve("sipp"),
        "127.0.0.1:" + port,
        "-sf",
        StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE).toString(),
        "-inf",
        csv.toString(),
        "-i",
        CARRIER,
        "-p",
        String.valueOf(Ports.free()),
        "-t",
        "u1",
        "-m",
        "1",
        "-timeout",
        "30s");
  }

  /** Until the proxy has the INVITE and waits on the certificate server. */
  private void awaitDecisionInFlight(Sipp uac) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(stalled.connections()).as(uac.describe()).isPositive();
              assertThat(sentry.inFlight()).isEqualTo(1);
            });
  }
}
