package org.sipsentry.proxy.analyze;

import io.pkts.Pcap;
import io.pkts.frame.PcapGlobalHeader;
import io.pkts.packet.PCapPacket;
import io.pkts.packet.Packet;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Reads a capture file, pcap or pcapng (told apart by their first four bytes), and hands each
 * packet record to a {@link CaptureSink}. Classic pcap is read by pkts.io's {@link Pcap}; pcapng,
 * which pkts does not read, by {@link PcapngBlocks}.
 *
 * <p>A damaged file is read as far as it can be: each problem goes to the sink with the number of
 * the packet it concerns. pkts ends a pcap file silently at a record header cut short, so the bytes
 * it consumed are counted against the file's size to report that too.
 */
public final class CaptureFile {

  private static final int PCAP_HEADER = 24;
  private static final int PCAP_RECORD_HEADER = 16;

  /**
   * pkts 3.0.18 expects the little-endian nanosecond magic as {@code 4d 3c b2 a2} (a typo for
   * {@code 4d 3c b2 a1}, which tcpdump writes); the header is rewritten to what pkts expects.
   */
  private static final int NSEC_LITTLE_ENDIAN = 0x4d3cb2a1;

  private CaptureFile() {}

  /**
   * Reads every packet record of {@code file}.
   *
   * @return the number of packet records read
   * @throws CaptureFormatException when the file is neither pcap nor pcapng
   * @throws IOException when the file cannot be read
   */
  public static long read(Path file, CaptureSink sink) throws IOException, CaptureFormatException {
    long size = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      in.mark(4);
      byte[] magic = in.readNBytes(4);
      in.reset();
      if (magic.length < 4) {
        throw new CaptureFormatException("empty or shorter than a capture file header");
      }
      int value =
          ((magic[0] & 0xFF) << 24)
              | ((magic[1] & 0xFF) << 16)
              | ((magic[2] & 0xFF) << 8)
              | (magic[3] & 0xFF);
      if (value == PcapngBlocks.SECTION_HEADER) {
        return PcapngBlocks.read(in, sink);
      }
      if (!isPcap(magic)) {
        throw new CaptureFormatException(
            "not a pcap or pcapng file (starts with " + HexFormat.of().formatHex(magic) + ")");
      }
      if (size < PCAP_HEADER) {
        throw new CaptureFormatException("truncated pcap file header (" + size + " bytes)");
      }
      InputStream pcap = in;
      if (value == NSEC_LITTLE_ENDIAN) {
        in.skipNBytes(4);
        pcap =
            new SequenceInputStream(
                new ByteArrayInputStream(PcapGlobalHeader.MAGIC_NSEC_SWAPPED), in);
      }
      return readPcap(pcap, size, sink);
    }
  }

  private static boolean isPcap(byte[] magic) {
    return matches(magic, PcapGlobalHeader.MAGIC_BIG_ENDIAN)
        || matches(magic, PcapGlobalHeader.MAGIC_LITTLE_ENDIAN)
        || matches(magic, PcapGlobalHeader.MAGIC_NSEC)
        || matches(magic, new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1});
  }

  private static boolean matches(byte[] magic, byte[] expected) {
    return java.util.Arrays.equals(magic, 0, 4, expected, 0, 4);
  }

  private static long readPcap(InputStream in, long size, CaptureSink sink) throws IOException {
    Pcap pcap = Pcap.openStream(in);
    PcapGlobalHeader header = pcap.getPcapHeader();
    int linkType = header.getDataLinkType();
    long unitsPerSecond = header.timestampsInNs() ? 1_000_000_000L : 1_000_000L;
    long[] count = {0};
    long[] consumed = {PCAP_HEADER};
    try {
      pcap.loop(
          packet -> {
            long number = ++count[0];
            PCapPacket record = (PCapPacket) packet;
            byte[] data = payload(record);
            consumed[0] += PCAP_RECORD_HEADER + data.length;
            long arrival = record.getArrivalTime();
            Instant time =
                Instant.ofEpochSecond(
                    Math.floorDiv(arrival, unitsPerSecond),
                    Math.floorMod(arrival, unitsPerSecond) * (1_000_000_000L / unitsPerSecond));
            if (data.length < record.getCapturedLength()) {
              sink.problem(
                  number,
                  "truncated: record of "
                      + record.getCapturedLength()
                      + " bytes has only "
                      + data.length);
            }
            sink.frame(new CapturedFrame(number, time, linkType, data, record.getTotalLength()));
            return true;
          });
    } catch (IOException | RuntimeException e) {
      // pkts stops at the first record it cannot frame: a length beyond the file, or garbage.
      String what =
          e instanceof IndexOutOfBoundsException ? "truncated record" : "unreadable record";
      sink.problem(count[0] + 1, what + ", rest of file skipped: " + why(e));
      return count[0];
    }
    if (consumed[0] < size) {
      sink.problem(
          count[0] + 1,
          "truncated: " + (size - consumed[0]) + " bytes at the end are not a whole record");
    }
    return count[0];
  }

  private static byte[] payload(Packet record) {
    io.pkts.buffer.Buffer payload = record.getPayload();
    return payload == null ? new byte[0] : payload.getArray();
  }

  static String why(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
