package org.sipsentry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.sip.ParseResult;
import org.sipsentry.sip.SipCodec;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Via;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.SipResponses;

/** A real SipSentry on loopback, between sockets the test plays caller and next hop with. */
class SipSentryTest {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  static final int TIMEOUT_MILLIS = 5_000;

  @RegisterExtension final NettyLeakCheck leaks = new NettyLeakCheck();

  @TempDir Path dir;

  @Test
  void start_udpRoundTrip_forwardsWithOurViaAndReturnsTheResponseWithout() throws Exception {
    int port = freePortForUdpAndTcp();
    Path auditLog = dir.resolve("audit.jsonl");
    try (DatagramSocket caller = udpSocket();
        DatagramSocket nextHop = udpSocket()) {
      SipSentry sentry = SipSentry.start(settings(port, nextHop.getLocalPort(), auditLog));
      try {
        assertThat(sentry.udpAddress()).contains(new InetSocketAddress(LOOPBACK, port));
        InetSocketAddress proxy = new InetSocketAddress(LOOPBACK, port);
        String options = request("OPTIONS", "UDP", caller.getLocalPort(), "u1");

        send(caller, options, proxy);
        DatagramPacket forwarded = receive(nextHop);

        SipMessage request = parse(forwarded);
        assertThat(forwarded.getSocketAddress()).isEqualTo(proxy);
        Via ours = request.vias().get(0);
        assertThat(ours.sentBy()).isEqualTo("127.0.0.1:" + port);
        assertThat(ours.branch()).startsWith("z9hG4bK-sS-");
        assertThat(request.vias().get(1).rport()).hasValue(caller.getLocalPort());
        assertThat(request.maxForwards()).hasValue(69);

        byte[] ok =
            SipResponses.response(HeaderIndex.scan(request.bytes()), 200, "OK", "uas1", List.of())
                .orElseThrow();
        nextHop.send(new DatagramPacket(ok, ok.length, proxy));
        SipMessage response = parse(receive(caller));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.vias()).hasSize(1);
        assertThat(response.vias().get(0).branch()).isEqualTo("z9hG4bK-u1");

        // An INVITE is judged and audited; close() writes the audit log out.
        send(caller, request("INVITE", "UDP", caller.getLocalPort(), "i1"), proxy);
        assertThat(parse(receive(nextHop)).method()).isEqualTo("INVITE");
        // Counted on the event loop just after the send: the packet may be here first.
        await()
            .atMost(Duration.ofMillis(TIMEOUT_MILLIS))
            .untilAsserted(
                () -> {
                  assertThat(sentry.stats().get("forwarded.response")).isEqualTo(1);
                  assertThat(sentry.stats().get("forwarded.request")).isEqualTo(2);
                });
      } finally {
        sentry.close();
      }
      assertThat(Files.readAllLines(auditLog))
          .singleElement()
          .asString()
          .contains("\"call-id\":\"call-i1@127.0.0.1\"");
    }
    assertPortsFree(port);
  }

  @Test
  void start_labelledInviteWithPrefixConfigured_uasReceivesPrefixedFrom() throws Exception {
    int port = freePortForUdpAndTcp();
    try (DatagramSocket caller = udpSocket();
        DatagramSocket nextHop = udpSocket()) {
      ProxySettings plain = settings(port, nextHop.getLocalPort(), dir.resolve("audit.jsonl"));
      ProxySettings prefixing =
          plain.toBuilder().displayNamePrefix(Optional.of("[SPOOF?] ")).build();
      SipSentry sentry = SipSentry.start(prefixing);
      try {
        InetSocketAddress proxy = new InetSocketAddress(LOOPBACK, port);
        // A P-Asserted-Identity from the untrusted default trunk: untrusted-pai, 30, a label.
        String pai = "P-Asserted-Identity: <sip:+41446681800@127.0.0.1>\r\nTo:";
        String named =
            request("INVITE", "UDP", caller.getLocalPort(), "n1")
                .replace("From: <", "From: \"Bank \\\"Z\\\"\" <")
                .replace("To:", pai);
        String unnamed = request("INVITE", "UDP", caller.getLocalPort(), "n2").replace("To:", pai);

        send(caller, named, proxy);
        DatagramPacket first = receive(nextHop);
        send(caller, unnamed, proxy);
        DatagramPacket second = receive(nextHop);

        String firstText =
            new String(first.getData(), 0, first.getLength(), StandardCharsets.UTF_8);
        assertThat(firstText)
            .contains(
                "\r\nFrom: \"[SPOOF?] Bank \\\"Z\\\"\" <sip:+41446681800@127.0.0.1;user=phone>;tag=fn1\r\n")
            .contains("\r\nX-SipSentry-Verdict: label;score=30;reasons=untrusted-pai\r\n")
            .doesNotContain("P-Asserted-Identity");
        SipMessage unnamedForwarded = parse(second);
        assertThat(unnamedForwarded.from().displayName()).isEqualTo("[SPOOF?] +41446681800");
        assertThat(unnamedForwarded.from().tag()).isEqualTo("fn2");
        assertThat(unnamedForwarded.from().user()).isEqualTo("+41446681800");
        await()
            .atMost(Duration.ofMillis(TIMEOUT_MILLIS))
            .untilAsserted(
                () -> assertThat(sentry.stats().get("labelled.display_name")).isEqualTo(2));
      } finally {
        sentry.close();
      }
    }
    assertPortsFree(port);
  }

  @Test
  void start_tcpRoundTrip_responseReturnsOnTheCallersConnection() throws Exception {
    int port = freePortForUdpAndTcp();
    try (ServerSocket nextHop = new ServerSocket(0, 10, LOOPBACK)) {
      nextHop.setSoTimeout(TIMEOUT_MILLIS);
      SipSentry sentry =
          SipSentry.start(settings(port, nextHop.getLocalPort(), dir.resolve("audit.jsonl")));
      try (Socket caller = new Socket(LOOPBACK, port)) {
        caller.setSoTimeout(TIMEOUT_MILLIS);
        caller
            .getOutputStream()
            .write(bytes(request("OPTIONS", "TCP", caller.getLocalPort(), "t1")));

        try (Socket upstream = nextHop.accept()) {
          upstream.setSoTimeout(TIMEOUT_MILLIS);
          SipMessage request = parse(readMessage(upstream.getInputStream()));
          Via ours = request.vias().get(0);
          assertThat(ours.transport()).isEqualTo("TCP");
          assertThat(ours.sentBy()).isEqualTo("127.0.0.1:" + port);
          assertThat(ours.parameters()).containsKey("i");

          byte[] ok =
              SipResponses.response(HeaderIndex.scan(request.bytes()), 200, "OK", "uas1", List.of())
                  .orElseThrow();
          upstream.getOutputStream().write(ok);

          SipMessage response = parse(readMessage(caller.getInputStream()));
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.vias()).hasSize(1);
          assertThat(response.vias().get(0).transport()).isEqualTo("TCP");
        }
      } finally {
        sentry.close();
      }
    }
    assertPortsFree(port);
  }

  @Test
  void start_tcpPortTaken_throwsNamingTheAddressAndReleasesTheUdpSocket() throws Exception {
    int port = freePortForUdpAndTcp();
    try (ServerSocket taken = new ServerSocket(port, 1, LOOPBACK)) {
      assertThatIOException()
          .isThrownBy(() -> SipSentry.start(settings(port, 5080, dir.resolve("audit.jsonl"))))
          .withMessageContaining("tcp 127.0.0.1:" + port);
    }
    assertPortsFree(port);
  }

  // --- helpers ---------------------------------------------------------------------------------

  static ProxySettings settings(int port, int nextHopPort, Path auditLog) {
    HostPort listen = new HostPort("127.0.0.1", port);
    return ProxySettings.builder(
            new HostPort("127.0.0.1", nextHopPort),
            new DetectorSettings("CH", List.of(), Map.of(), 30, 80, SipStatus.REJECTED))
        .listen(listen)
        .auditLog(auditLog)
        .build();
  }

  static String request(String method, String transport, int callerPort, String id) {
    String rport = "UDP".equals(transport) ? ";rport" : "";
    return method
        + " sip:+41446681801@127.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + transport
        + " 127.0.0.1:"
        + callerPort
        + rport
        + ";branch=z9hG4bK-"
        + id
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:+41446681800@127.0.0.1;user=phone>;tag=f"
        + id
        + "\r\n"
        + "To: <sip:+41446681801@127.0.0.1;user=phone>\r\n"
        + "Call-ID: call-"
        + id
        + "@127.0.0.1\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** A port free for both UDP and TCP on loopback just now. */
  static int freePortForUdpAndTcp() throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
          DatagramSocket udp =
              new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
        return tcp.getLocalPort();
      } catch (BindException e) {
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  /** Both listeners' ports can be bound again. */
  static void assertPortsFree(int port) throws IOException {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
        ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
      assertThat(udp.getLocalPort()).isEqualTo(port);
      assertThat(tcp.getLocalPort()).isEqualTo(port);
    }
  }

  static DatagramSocket udpSocket() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout(TIMEOUT_MILLIS);
    return socket;
  }

  static void send(DatagramSocket socket, String message, InetSocketAddress to) throws IOException {
    byte[] bytes = bytes(message);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  static DatagramPacket receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    socket.receive(packet);
    return packet;
  }

  /** One SIP message from a stream: the head up to the empty line, then Content-Length bytes. */
  static byte[] readMessage(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithEmptyLine(head.toByteArray())) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes");
      }
      head.write(b);
    }
    int length =
        HeaderIndex.scan(head.toByteArray())
            .first("Content-Length")
            .map(line -> Integer.parseInt(HeaderIndex.scan(head.toByteArray()).value(line)))
            .orElseThrow();
    head.write(in.readNBytes(length));
    return head.toByteArray();
  }

  static boolean endsWithEmptyLine(byte[] b) {
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  static SipMessage parse(DatagramPacket packet) {
    return parse(Arrays.copyOf(packet.getData(), packet.getLength()));
  }

  static SipMessage parse(byte[] bytes) {
    ParseResult result = SipCodec.parse(bytes, null);
    assertThat(result)
        .as("received:\n%s", new String(bytes, StandardCharsets.UTF_8))
        .isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).message();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
