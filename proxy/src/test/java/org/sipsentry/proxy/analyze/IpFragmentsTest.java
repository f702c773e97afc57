package org.sipsentry.proxy.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.Transport;

/**
 * Fragmented UDP datagrams, IPv4 and IPv6, written here as raw IP frames (link type 101) and
 * decoded through {@link PacketDecoder} as a capture's would be.
 */
class IpFragmentsTest {

  private static final byte[] PAYLOAD =
      ("INVITE sip:bob@example.com SIP/2.0\r\nX-Filler: " + "x".repeat(3000) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final IpFragments fragments = new IpFragments();
  private long number;

  private static byte[] udp(byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length)
        .putShort((short) 5060)
        .putShort((short) 5070)
        .putShort((short) (8 + payload.length))
        .putShort((short) 0)
        .put(payload)
        .array();
  }

  /** IPv4 fragments of {@code datagram} (a UDP header and payload) cut at multiples of 8. */
  private static List<byte[]> ipv4Fragments(byte[] datagram, int size) throws Exception {
    List<byte[]> packets = new ArrayList<>();
    for (int offset = 0; offset < datagram.length; offset += size) {
      int length = Math.min(size, datagram.length - offset);
      boolean more = offset + length < datagram.length;
      ByteBuffer ip = ByteBuffer.allocate(20 + length);
      ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + length)).putShort((short) 77);
      ip.putShort((short) ((more ? 0x2000 : 0) | (offset / 8))).put((byte) 64).put((byte) 17);
      ip.putShort((short) 0);
      ip.put(InetAddress.getByName("192.0.2.1").getAddress());
      ip.put(InetAddress.getByName("192.0.2.2").getAddress());
      ip.put(datagram, offset, length);
      packets.add(ip.array());
    }
    return packets;
  }

  private static List<byte[]> ipv6Fragments(byte[] datagram, int size) throws Exception {
    List<byte[]> packets = new ArrayList<>();
    for (int offset = 0; offset < datagram.length; offset += size) {
      int length = Math.min(size, datagram.length - offset);
      boolean more = offset + length < datagram.length;
      ByteBuffer ip = ByteBuffer.allocate(40 + 8 + length);
      ip.putInt(0x60000000).putShort((short) (8 + length)).put((byte) 44).put((byte) 64);
      ip.put(InetAddress.getByName("2001:db8::1").getAddress());
      ip.put(InetAddress.getByName("2001:db8::2").getAddress());
      ip.put((byte) 17).put((byte) 0).putShort((short) (offset | (more ? 1 : 0))).putInt(0xCAFE);
      ip.put(datagram, offset, length);
      packets.add(ip.array());
    }
    return packets;
  }

  private PacketDecoder.Result decode(byte[] rawIp) {
    return PacketDecoder.decode(
        new CapturedFrame(++number, Instant.EPOCH, PacketDecoder.LINKTYPE_RAW, rawIp, rawIp.length),
        fragments);
  }

  @Test
  void ipv4_fragmentsOutOfOrder_reassembledIntoTheDatagram() throws Exception {
    List<byte[]> parts = ipv4Fragments(udp(PAYLOAD), 1480);

    assertThat(parts).hasSize(3);
    assertThat(decode(parts.get(2))).isInstanceOf(PacketDecoder.Skipped.class);
    assertThat(decode(parts.get(0))).isInstanceOf(PacketDecoder.Skipped.class);
    PacketDecoder.Result whole = decode(parts.get(1));

    assertThat(whole).isInstanceOf(PacketDecoder.Decoded.class);
    Segment segment = ((PacketDecoder.Decoded) whole).segment();
    assertThat(segment.transport()).isEqualTo(Transport.UDP);
    assertThat(segment.packet()).isEqualTo(3);
    assertThat(segment.source().getPort()).isEqualTo(5060);
    assertThat(segment.payload()).isEqualTo(PAYLOAD);
    assertThat(fragments.incomplete()).isZero();
  }

  @Test
  void ipv6_fragments_reassembledWithoutTheFragmentHeader() throws Exception {
    List<byte[]> parts = ipv6Fragments(udp(PAYLOAD), 1232);

    assertThat(decode(parts.get(0))).isInstanceOf(PacketDecoder.Skipped.class);
    assertThat(decode(parts.get(1))).isInstanceOf(PacketDecoder.Skipped.class);
    PacketDecoder.Result whole = decode(parts.get(2));

    assertThat(whole).isInstanceOf(PacketDecoder.Decoded.class);
    Segment segment = ((PacketDecoder.Decoded) whole).segment();
    assertThat(segment.source().getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(segment.payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void ipv4_fragmentMissing_datagramCountedIncomplete() throws Exception {
    List<byte[]> parts = ipv4Fragments(udp(PAYLOAD), 1480);

    decode(parts.get(0));
    decode(parts.get(2));

    assertThat(fragments.incomplete()).isEqualTo(1);
  }
}
