package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RFC 4475 torture message, sent over UDP to the running proxy: none may take it down, the
 * parser-invalid requests that can be answered get a 4xx/5xx naming the defect, and a real call
 * still goes through afterwards.
 */
class TortureIT {

  private static final Path MESSAGES = Path.of("target/test-classes/rfc4475");

  /**
   * RFC 4475 §3.1.2 and §3.3: malformed requests the proxy must answer itself (to the source
   * address, since their Via cannot be trusted), and with which code; -1 for no answer.
   */
  private static final Map<String, Integer> ANSWERED =
      Map.of(
          "badinv01.dat", 400,
          "insuf.dat", -1, // no Call-ID, From or To: nothing to build a response from; dropped
          "multi01.dat", 400,
          "badvers.dat", 505,
          "mismatch01.dat", 400,
          "clerr.dat", 400,
          "ncl.dat", 400);

  @Test
  void tortureMessages_overUdp_neverStopTheProxy_andTheNextCallSucceeds(@TempDir Path dir)
      throws Exception {
    try (LabProxy proxy = LabProxy.start("lab", dir);
        DatagramSocket socket =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(250);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", proxy.port);
      Map<String, String> answers = new LinkedHashMap<>();
      List<Path> files;
      try (Stream<Path> list = Files.list(MESSAGES)) {
        files = list.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
      }
      assertThat(files).hasSize(49);
      for (Path file : files) {
        byte[] message = Files.readAllBytes(file);
        socket.send(new DatagramPacket(message, message.length, target));
        answers.put(file.getFileName().toString(), firstStatusLine(socket));
      }

      List<String> wrong = new ArrayList<>();
      ANSWERED.forEach(
          (name, code) -> {
            String got = answers.get(name);
            boolean ok = code < 0 ? got.isEmpty() : got.startsWith("SIP/2.0 " + code + " ");
            if (!ok) {
              wrong.add(
                  name + " expected " + (code < 0 ? "no answer" : code) + " got '" + got + "'");
            }
          });
      assertThat(wrong).as("answers: %s", answers).isEmpty();
      // Well-formed requests the proxy refuses to forward are answered to their Via's sent-by
      // (RFC 3261 §18.2.2), a host that is not us: count them instead.
      assertThat(proxy.counter("rejected.too_many_hops")).as("zeromf.dat: 483").isEqualTo(1);
      assertThat(proxy.counter("rejected.bad_extension")).as("bext01.dat: 420").isEqualTo(1);
      assertThat(proxy.counter("internal_error")).isZero();

      // The proxy still carries a real call.
      try (Sipp uas = proxy.uas("u1", "-sn", "uas")) {
        Sipp uac = proxy.uac("127.0.0.1", "u1", "-sn", "uac", "-m", "3");
        assertThat(uac.await(Duration.ofSeconds(45))).as(uac.describe()).isZero();
      }
    }
  }

  /**
   * The status line of the first response the proxy sends back to our socket, or "" if none arrives
   * within the socket timeout. Only responses we generate come back here: the torture messages'
   * Vias name other hosts, so forwarded traffic goes elsewhere.
   */
  private static String firstStatusLine(DatagramSocket socket) throws Exception {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return "";
    }
    String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n");
    return end < 0 ? text : text.substring(0, end);
  }
}
