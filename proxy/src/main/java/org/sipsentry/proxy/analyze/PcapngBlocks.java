package org.sipsentry.proxy.analyze;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packet records of a pcapng file (draft-ietf-opsawg-pcapng): section headers, interface
 * descriptions (link type, {@code if_tsresol}, {@code if_tsoffset}) and enhanced, simple and
 * obsolete packet blocks; other blocks are skipped. pkts.io reads only the classic pcap format, so
 * this is the one container SipSentry reads itself; the frames it yields are decoded by pkts as
 * those of a pcap file are.
 *
 * <p>Damage is reported per packet through the sink: a block whose trailing length disagrees with
 * its leading one, or a packet naming an unknown interface, is reported and reading goes on; a
 * block that runs past the end of the file (a truncated capture) or whose length is impossible ends
 * the reading, since nothing after it can be found.
 */
final class PcapngBlocks {

  static final int SECTION_HEADER = 0x0A0D0D0A;
  private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final int INTERFACE_DESCRIPTION = 1;
  private static final int OBSOLETE_PACKET = 2;
  private static final int SIMPLE_PACKET = 3;
  private static final int ENHANCED_PACKET = 6;

  private static final int OPTION_END = 0;
  private static final int IF_TSRESOL = 9;
  private static final int IF_TSOFFSET = 14;

  /** A block larger than this is taken for damage: SIP packets are far smaller (jumbo frames). */
  static final int MAX_BLOCK_BYTES = 1 << 20;

  private final InputStream in;
  private final CaptureSink sink;
  private ByteOrder order = ByteOrder.BIG_ENDIAN;
  private final List<Interface> interfaces = new ArrayList<>();
  private long packets;

  /** The time of the last packet, for a simple packet block, which has none. */
  private Instant lastTime = Instant.EPOCH;

  private PcapngBlocks(InputStream in, CaptureSink sink) {
    this.in = in;
    this.sink = sink;
  }

  /**
   * Reads every block of {@code in}, which starts with a section header block.
   *
   * @return the number of packet records seen
   */
  static long read(InputStream in, CaptureSink sink) throws IOException {
    PcapngBlocks reader = new PcapngBlocks(in, sink);
    reader.readAll();
    return reader.packets;
  }

  private void readAll() throws IOException {
    byte[] head = new byte[8];
    while (true) {
      int got = in.readNBytes(head, 0, 8);
      if (got == 0) {
        return;
      }
      if (got < 8) {
        sink.problem(packets + 1, "truncated: " + got + " bytes of a block header at the end");
        return;
      }
      int type = ByteBuffer.wrap(head, 0, 4).order(order).getInt();
      if (type == SECTION_HEADER) {
        // The byte order of a section is given by its own header: peek at the magic.
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
          sink.problem(packets + 1, "truncated: section header block cut short");
          return;
        }
        if (ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt() == BYTE_ORDER_MAGIC) {
          order = ByteOrder.BIG_ENDIAN;
        } else if (ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt()
            == BYTE_ORDER_MAGIC) {
          order = ByteOrder.LITTLE_ENDIAN;
        } else {
          sink.problem(packets + 1, "corrupt section header: no byte-order magic");
          return;
        }
        int length = ByteBuffer.wrap(head, 4, 4).order(order).getInt();
        if (!plausible(length, 28)) {
          sink.problem(packets + 1, "corrupt section header: block length " + length);
          return;
        }
        if (!skipBody(length - 12, length)) {
          return;
        }
        interfaces.clear();
        continue;
      }
      int length = ByteBuffer.wrap(head, 4, 4).order(order).getInt();
      if (!plausible(length, 12)) {
        sink.problem(
            packets + 1,
            "corrupt block (type " + type + "): length " + Integer.toUnsignedString(length));
        return;
      }
      byte[] body = in.readNBytes(length - 8);
      boolean isPacket =
          type == ENHANCED_PACKET || type == SIMPLE_PACKET || type == OBSOLETE_PACKET;
      if (body.length < length - 8) {
        sink.problem(
            packets + 1,
            "truncated: block of "
                + length
                + " bytes has only "
                + (body.length + 8)
                + " in the file");
        return;
      }
      ByteBuffer block = ByteBuffer.wrap(body).order(order);
      if (block.getInt(body.length - 4) != length) {
        sink.problem(isPacket ? packets + 1 : packets, "corrupt block: trailing length differs");
      }
      switch (type) {
        case INTERFACE_DESCRIPTION -> interfaces.add(Interface.of(block, body.length - 4));
        case ENHANCED_PACKET -> enhanced(block, body.length - 4);
        case SIMPLE_PACKET -> simple(block, body.length - 4);
        case OBSOLETE_PACKET -> obsolete(block, body.length - 4);
        default -> {
          // Name resolution, statistics, custom blocks: nothing a verdict needs.
        }
      }
    }
  }

  private static boolean plausible(int length, int minimum) {
    return length >= minimum && length % 4 == 0 && length <= MAX_BLOCK_BYTES;
  }

  private boolean skipBody(int bytes, int length) throws IOException {
    long skipped = in.skip(bytes);
    while (skipped < bytes) {
      if (in.read() < 0) {
        sink.problem(packets + 1, "truncated: section header block of " + length + " bytes");
        return false;
      }
      skipped++;
    }
    return true;
  }

  private void enhanced(ByteBuffer block, int end) {
    long number = ++packets;
    if (end < 20) {
      sink.problem(number, "corrupt enhanced packet block: " + end + " bytes of body");
      return;
    }
    int id = block.getInt(0);
    long timestamp = ((long) block.getInt(4) << 32) | (block.getInt(8) & 0xFFFFFFFFL);
    long captured = block.getInt(12) & 0xFFFFFFFFL;
    long original = block.getInt(16) & 0xFFFFFFFFL;
    emit(number, id, timestamp, 20, captured, original, block, end);
  }

  private void obsolete(ByteBuffer block, int end) {
    long number = ++packets;
    if (end < 20) {
      sink.problem(number, "corrupt packet block: " + end + " bytes of body");
      return;
    }
    int id = block.getShort(0) & 0xFFFF;
    long timestamp = ((long) block.getInt(4) << 32) | (block.getInt(8) & 0xFFFFFFFFL);
    long captured = block.getInt(12) & 0xFFFFFFFFL;
    long original = block.getInt(16) & 0xFFFFFFFFL;
    emit(number, id, timestamp, 20, captured, original, block, end);
  }

  /** A simple packet block has no timestamp: it gets its predecessor's (or the epoch). */
  private void simple(ByteBuffer block, int end) {
    long number = ++packets;
    if (end < 4) {
      sink.problem(number, "corrupt simple packet block");
      return;
    }
    long original = block.getInt(0) & 0xFFFFFFFFL;
    long captured = Math.min(original, end - 4L);
    emit(number, 0, -1, 4, captured, original, block, end);
  }

  private void emit(
      long number,
      int interfaceId,
      long timestamp,
      int offset,
      long captured,
      long original,
      ByteBuffer block,
      int end) {
    if (interfaceId < 0 || interfaceId >= interfaces.size()) {
      sink.problem(number, "packet on interface " + interfaceId + ", which was never described");
      return;
    }
    if (captured > end - offset) {
      sink.problem(
          number,
          "corrupt packet block: captured length "
              + captured
              + " exceeds the block ("
              + (end - offset)
              + " bytes)");
      return;
    }
    Interface link = interfaces.get(interfaceId);
    Instant time = timestamp < 0 ? lastTime : link.instant(timestamp);
    lastTime = time;
    byte[] data = new byte[(int) captured];
    block.get(offset, data);
    sink.frame(new CapturedFrame(number, time, link.linkType, data, original));
  }

  /**
   * One interface description: its link type and how to turn its timestamps into instants.
   *
   * @param linkType the LINKTYPE_ value
   * @param unitsPerSecond timestamp units per second ({@code if_tsresol}, default 10^6)
   * @param offsetSeconds {@code if_tsoffset}
   */
  private record Interface(int linkType, long unitsPerSecond, long offsetSeconds) {

    static Interface of(ByteBuffer block, int end) {
      int linkType = block.getShort(0) & 0xFFFF;
      long units = 1_000_000;
      long offset = 0;
      int at = 8;
      while (at + 4 <= end) {
        int code = block.getShort(at) & 0xFFFF;
        int length = block.getShort(at + 2) & 0xFFFF;
        if (code == OPTION_END || at + 4 + length > end) {
          break;
        }
        if (code == IF_TSRESOL && length >= 1) {
          int resolution = block.get(at + 4) & 0xFF;
          int exponent = resolution & 0x7F;
          if ((resolution & 0x80) == 0 && exponent <= 18) {
            units = pow(10, exponent);
          } else if ((resolution & 0x80) != 0 && exponent <= 62) {
            units = 1L << exponent;
          }
        } else if (code == IF_TSOFFSET && length >= 8) {
          offset = block.getLong(at + 4);
        }
        at += 4 + ((length + 3) & ~3);
      }
      return new Interface(linkType, units, offset);
    }

    Instant instant(long timestamp) {
      long seconds = Long.divideUnsigned(timestamp, unitsPerSecond);
      long rest = Long.remainderUnsigned(timestamp, unitsPerSecond);
      long nanos =
          unitsPerSecond <= 1_000_000_000L
              ? rest * (1_000_000_000L / unitsPerSecond)
              : rest / (unitsPerSecond / 1_000_000_000L);
      return Instant.ofEpochSecond(seconds + offsetSeconds, nanos);
    }

    private static long pow(long base, int exponent) {
      long result = 1;
      for (int i = 0; i < exponent; i++) {
        result *= base;
      }
      return result;
    }
  }
}
