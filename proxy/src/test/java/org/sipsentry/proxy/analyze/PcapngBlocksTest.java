package org.sipsentry.proxy.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pcapng blocks written here byte by byte, in either byte order. */
class PcapngBlocksTest {

  private final List<CapturedFrame> frames = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private final CaptureSink sink =
      new CaptureSink() {
        @Override
        public void frame(CapturedFrame frame) {
          frames.add(frame);
        }

        @Override
        public void problem(long packet, String message) {
          problems.add(packet + ": " + message);
        }
      };

  /** Builds a pcapng file block by block. */
  private static final class Writer {
    private final ByteOrder order;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer(ByteOrder order) {
      this.order = order;
      ByteBuffer body = buffer(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0);
      block(0x0A0D0D0A, body.putLong(-1).array());
    }

    ByteBuffer buffer(int size) {
      return ByteBuffer.allocate(size).order(order);
    }

    Writer block(int type, byte[] body) {
      int padded = (body.length + 3) & ~3;
      ByteBuffer block = buffer(12 + padded);
      block.putInt(type).putInt(12 + padded).put(body).position(8 + padded).putInt(12 + padded);
      out.writeBytes(block.array());
      return this;
    }

    /** An interface description; {@code tsresol} < 0 for none. */
    Writer iface(int linkType, int tsresol) {
      ByteBuffer body = buffer(tsresol < 0 ? 8 : 20);
      body.putShort((short) linkType).putShort((short) 0).putInt(65535);
      if (tsresol >= 0) {
        body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        body.putShort((short) 0).putShort((short) 0);
      }
      return block(1, body.array());
    }

    Writer enhanced(int iface, long timestamp, byte[] data) {
      ByteBuffer body = buffer(20 + data.length);
      body.putInt(iface).putInt((int) (timestamp >>> 32)).putInt((int) timestamp);
      body.putInt(data.length).putInt(data.length).put(data);
      return block(6, body.array());
    }

    Writer simple(byte[] data) {
      return block(3, buffer(4 + data.length).putInt(data.length).put(data).array());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private long read(byte[] file) throws IOException {
    return PcapngBlocks.read(new ByteArrayInputStream(file), sink);
  }

  @Test
  void read_bigEndianWithNanosecondResolution_givesFramesAndInstants() throws IOException {
    byte[] file =
        new Writer(ByteOrder.BIG_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_LINUX_SLL, 9)
            .enhanced(0, 1_700_000_000_123_456_789L, new byte[] {1, 2, 3})
            .simple(new byte[] {4, 5})
            .bytes();

    assertThat(read(file)).isEqualTo(2);

    assertThat(problems).isEmpty();
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
    assertThat(frames.get(0).linkType()).isEqualTo(PacketDecoder.LINKTYPE_LINUX_SLL);
    assertThat(frames.get(0).data()).containsExactly(1, 2, 3);
    // A simple packet block has no timestamp: it takes its predecessor's.
    assertThat(frames.get(1).number()).isEqualTo(2);
    assertThat(frames.get(1).time()).isEqualTo(frames.get(0).time());
    assertThat(frames.get(1).data()).containsExactly(4, 5);
  }

  @Test
  void read_littleEndianDefaultResolution_isMicroseconds() throws IOException {
    byte[] file =
        new Writer(ByteOrder.LITTLE_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_ETHERNET, -1)
            .enhanced(0, 1_700_000_000_000_001L, new byte[] {9})
            .bytes();

    read(file);

    assertThat(frames).singleElement();
    assertThat(frames.get(0).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 1_000));
  }

  @Test
  void read_packetOnUndescribedInterface_reportedAndSkipped() throws IOException {
    byte[] file =
        new Writer(ByteOrder.LITTLE_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_ETHERNET, -1)
            .enhanced(3, 0, new byte[] {1})
            .enhanced(0, 0, new byte[] {2})
            .bytes();

    assertThat(read(file)).isEqualTo(2);

    assertThat(problems).containsExactly("1: packet on interface 3, which was never described");
    assertThat(frames).singleElement().extracting(CapturedFrame::number).isEqualTo(2L);
  }

  @Test
  void read_impossibleBlockLength_reportedAndReadingStops() throws IOException {
    byte[] good =
        new Writer(ByteOrder.LITTLE_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_ETHERNET, -1)
            .enhanced(0, 0, new byte[] {1})
            .bytes();
    ByteBuffer bad = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(7);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(good);
    file.writeBytes(bad.array());

    assertThat(read(file.toByteArray())).isEqualTo(1);

    assertThat(problems).containsExactly("2: corrupt block (type 6): length 7");
  }

  @Test
  void read_secondSectionInOtherByteOrder_isReadToo() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(
        new Writer(ByteOrder.LITTLE_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_ETHERNET, -1)
            .enhanced(0, 0, new byte[] {1})
            .bytes());
    file.writeBytes(
        new Writer(ByteOrder.BIG_ENDIAN)
            .iface(PacketDecoder.LINKTYPE_RAW, -1)
            .enhanced(0, 0, new byte[] {2})
            .bytes());

    assertThat(read(file.toByteArray())).isEqualTo(2);

    assertThat(problems).isEmpty();
    assertThat(frames.get(1).linkType()).isEqualTo(PacketDecoder.LINKTYPE_RAW);
    assertThat(frames.get(1).number()).isEqualTo(2);
  }
}
