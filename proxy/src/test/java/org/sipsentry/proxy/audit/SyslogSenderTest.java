package org.sipsentry.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.proxy.audit.AuditLogTest.call;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;

/** The syslog copy, received on a real UDP socket and parsed as RFC 5424. */
class SyslogSenderTest {

  /**
   * RFC 5424 §6: {@code <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
   * STRUCTURED-DATA SP MSG}; the MSG here is raw bytes (BOM and UTF-8).
   */
  static final Pattern SYSLOG =
      Pattern.compile(
          "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?Z)"
              + " ([\\x21-\\x7e]{1,255}) ([\\x21-\\x7e]{1,48}) ([\\x21-\\x7e]{1,128})"
              + " ([\\x21-\\x7e]{1,32}) (-) ",
          Pattern.DOTALL);

  static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @TempDir Path dir;

  final ProxyStats stats = new ProxyStats();
  final DatagramSocket receiver = receiver();

  private static DatagramSocket receiver() {
    try {
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      socket.setSoTimeout(5000);
      return socket;
    } catch (java.net.SocketException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  final int port = receiver.getLocalPort();

  AuditSettings withSyslog(int facility, String appName, int maxBytes) {
    return AuditSettings.DEFAULTS.withSyslog(
        Optional.of(
            new AuditSettings.Syslog(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                facility,
                appName,
                maxBytes)));
  }

  byte[] receive() throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
    receiver.receive(packet);
    return Arrays.copyOf(packet.getData(), packet.getLength());
  }

  @Test
  void record_syslogConfigured_oneRfc5424DatagramWithTheFileLine() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AuditLog audit =
        AuditLog.open(
            file, withSyslog(16, "sipsentry-test", 2048), stats, java.time.Clock.systemUTC());

    audit.record(
        new AuditRecord(
            Instant.parse("2025-03-01T12:00:00.123456789Z"), call("call-7"), AuditLogTest.allow()));
    byte[] datagram = receive();
    audit.close();

    String ascii = new String(datagram, StandardCharsets.ISO_8859_1);
    Matcher m = SYSLOG.matcher(ascii);
    assertThat(m.lookingAt()).as(ascii).isTrue();
    assertThat(m.group(1)).as("PRI: local0 (16) * 8 + informational (6)").isEqualTo("134");
    assertThat(m.group(2)).isEqualTo("2025-03-01T12:00:00.123456Z");
    assertThat(m.group(4)).isEqualTo("sipsentry-test");
    assertThat(m.group(5)).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    assertThat(m.group(6)).isEqualTo("audit");
    byte[] msg = Arrays.copyOfRange(datagram, m.end(), datagram.length);
    assertThat(Arrays.copyOf(msg, 3)).isEqualTo(BOM);
    String json = new String(msg, 3, msg.length - 3, StandardCharsets.UTF_8);
    assertThat(json + "\n").isEqualTo(Files.readString(file));
    assertThat(AuditLogTest.JSON.readTree(json).get("call-id").asText()).isEqualTo("call-7");
    assertThat(stats.get("audit.syslog.sent")).isEqualTo(1);
    assertThat(stats.get("audit.syslog.truncated")).isZero();
  }

  @Test
  void record_longerThanMaxMessageBytes_cutAtACharacterBoundaryAndCounted() throws Exception {
    String evidence = "≠".repeat(400);
    Verdict verdict =
        new Verdict(
            Action.LABEL,
            60,
            List.of("from-pai-mismatch"),
            Optional.empty(),
            List.of(new Finding("from-pai-mismatch", 60, evidence)));
    AuditLog audit =
        AuditLog.open(
            dir.resolve("audit.jsonl"),
            withSyslog(1, "sipsentry", AuditSettings.Syslog.MIN_MESSAGE_BYTES),
            stats,
            java.time.Clock.systemUTC());

    for (int i = 0; i < 3; i++) {
      audit.record(new AuditRecord(Instant.now(), call("call-" + i), verdict));
    }
    List<byte[]> datagrams = List.of(receive(), receive(), receive());
    audit.close();

    for (byte[] datagram : datagrams) {
      assertThat(datagram.length).isLessThanOrEqualTo(AuditSettings.Syslog.MIN_MESSAGE_BYTES);
      Matcher m = SYSLOG.matcher(new String(datagram, StandardCharsets.ISO_8859_1));
      assertThat(m.lookingAt()).isTrue();
      assertThat(m.group(1)).as("user (1) * 8 + 6").isEqualTo("14");
      byte[] msg = Arrays.copyOfRange(datagram, m.end() + 3, datagram.length);
      assertThat(strictUtf8(msg)).startsWith("{\"time\":");
    }
    assertThat(stats.get("audit.syslog.truncated")).isEqualTo(3);
    assertThat(stats.get("audit.written")).isEqualTo(3);
  }

  /** Decodes, failing on any malformed or cut-off sequence. */
  static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  @Test
  void record_nobodyListening_countedAsSentOrFailedAndTheFileStillWritten() throws Exception {
    receiver.close();
    Path file = dir.resolve("audit.jsonl");
    AuditLog audit =
        AuditLog.open(file, withSyslog(16, "sipsentry", 2048), stats, java.time.Clock.systemUTC());

    audit.record(new AuditRecord(Instant.now(), call("call-1"), AuditLogTest.allow()));
    audit.close();

    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(stats.get("audit.syslog.sent") + stats.get("audit.syslog.failed")).isEqualTo(1);
  }
}
