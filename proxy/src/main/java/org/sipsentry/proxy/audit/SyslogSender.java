package org.sipsentry.proxy.audit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sipsentry.proxy.ProxyStats;

/**
 * Sends audit records as RFC 5424 syslog messages over UDP (RFC 5426), one message per datagram:
 * {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID audit - BOM JSON}, severity informational. Used
 * by the audit writer thread only: a blocking send never reaches an event loop. A message longer
 * than the configured maximum is cut at a UTF-8 character boundary and counted in {@code
 * audit.syslog.truncated}; a send that fails is counted in {@code audit.syslog.failed} and not
 * retried (the file has the record).
 */
final class SyslogSender implements AutoCloseable {

  /** RFC 5424 §6.2.1 severity 6: informational messages. */
  private static final int INFORMATIONAL = 6;

  /** RFC 5424 §6.4: a MSG in UTF-8 starts with the byte order mark. */
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** RFC 5424 §6.2.3: TIME-SECFRAC has at most six digits; always UTC here. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** RFC 5424 §6.2.4: HOSTNAME is at most 255 printable US-ASCII characters. */
  private static final int MAX_HOSTNAME = 255;

  private final AuditSettings.Syslog settings;
  private final ProxyStats stats;
  private final DatagramSocket socket;
  private final String hostname;
  private final byte[] buffer;

  SyslogSender(AuditSettings.Syslog settings, ProxyStats stats) throws SocketException {
    this.settings = settings;
    this.stats = stats;
    this.socket = new DatagramSocket();
    this.hostname = localHostname();
    this.buffer = new byte[settings.maxMessageBytes()];
  }

  /** Sends {@code json} (one record, without its line end) stamped {@code time}. */
  void send(Instant time, byte[] json, int offset, int length) {
    int size = format(time, json, offset, length);
    try {
      socket.send(new DatagramPacket(buffer, size, settings.address()));
      stats.increment("audit.syslog.sent");
    } catch (IOException e) {
      stats.increment("audit.syslog.failed");
    }
  }

  /** Writes the datagram into {@link #buffer}; returns its length. */
  int format(Instant time, byte[] json, int offset, int length) {
    String header =
        "<"
            + (settings.facility() * 8 + INFORMATIONAL)
            + ">1 "
            + TIMESTAMP.format(time)
            + " "
            + hostname
            + " "
            + settings.appName()
            + " "
            + ProcessHandle.current().pid()
            + " audit - ";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, buffer, 0, head.length);
    System.arraycopy(BOM, 0, buffer, head.length, BOM.length);
    int room = buffer.length - head.length - BOM.length;
    int cut = length;
    if (length > room) {
      cut = room;
      // Never end inside a multi-byte UTF-8 sequence: back up to the start of the character.
      while (cut > 0 && (json[offset + cut] & 0xC0) == 0x80) {
        cut--;
      }
      stats.increment("audit.syslog.truncated");
    }
    System.arraycopy(json, offset, buffer, head.length + BOM.length, cut);
    return head.length + BOM.length + cut;
  }

  byte[] buffer() {
    return buffer;
  }

  @Override
  public void close() {
    socket.close();
  }

  /**
   * The kernel's host name, read from /proc (no DNS lookup); {@code -} (RFC 5424's NILVALUE) when
   * it cannot be read.
   */
  private static String localHostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      StringBuilder printable = new StringBuilder();
      for (char c : name.toCharArray()) {
        if (c >= 0x21 && c <= 0x7e && printable.length() < MAX_HOSTNAME) {
          printable.append(c);
        }
      }
      return printable.isEmpty() ? "-" : printable.toString();
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }
}
