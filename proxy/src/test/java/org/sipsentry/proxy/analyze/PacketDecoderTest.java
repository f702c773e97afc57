package org.sipsentry.proxy.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.Transport;

/**
 * The link types pkts does not decode itself, rewritten to Ethernet II by {@link PacketDecoder}:
 * the same IPv4 or IPv6 UDP datagram behind each link-layer header must come out the same.
 */
class PacketDecoderTest {

  private static final byte[] SIP =
      "OPTIONS sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static byte[] ipv4Udp() throws Exception {
    ByteBuffer ip = ByteBuffer.allocate(20 + 8 + SIP.length);
    ip.put((byte) 0x45).put((byte) 0).putShort((short) (28 + SIP.length)).putShort((short) 1);
    ip.putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0);
    ip.put(InetAddress.getByName("192.0.2.1").getAddress());
    ip.put(InetAddress.getByName("192.0.2.2").getAddress());
    ip.putShort((short) 5061).putShort((short) 5060).putShort((short) (8 + SIP.length));
    ip.putShort((short) 0).put(SIP);
    return ip.array();
  }

  private static byte[] ipv6Udp() throws Exception {
    ByteBuffer ip = ByteBuffer.allocate(40 + 8 + SIP.length);
    ip.putInt(0x60000000).putShort((short) (8 + SIP.length)).put((byte) 17).put((byte) 64);
    ip.put(InetAddress.getByName("2001:db8::1").getAddress());
    ip.put(InetAddress.getByName("2001:db8::2").getAddress());
    ip.putShort((short) 5061).putShort((short) 5060).putShort((short) (8 + SIP.length));
    ip.putShort((short) 0).put(SIP);
    return ip.array();
  }

  private static byte[] concat(byte[] header, byte[] packet) {
    return ByteBuffer.allocate(header.length + packet.length).put(header).put(packet).array();
  }

  private static Segment decode(int linkType, byte[] frame) {
    PacketDecoder.Result result =
        PacketDecoder.decode(
            new CapturedFrame(1, Instant.EPOCH, linkType, frame, frame.length), new IpFragments());
    assertThat(result).isInstanceOf(PacketDecoder.Decoded.class);
    return ((PacketDecoder.Decoded) result).segment();
  }

  private static void assertDatagram(Segment segment, String source) {
    assertThat(segment.transport()).isEqualTo(Transport.UDP);
    assertThat(segment.source().getAddress().getHostAddress()).isEqualTo(source);
    assertThat(segment.source().getPort()).isEqualTo(5061);
    assertThat(segment.destination().getPort()).isEqualTo(5060);
    assertThat(segment.payload()).isEqualTo(SIP);
  }

  @Test
  void decode_ethernetWith8021qTag_findsTheIpv4Datagram() throws Exception {
    byte[] ethernet =
        ByteBuffer.allocate(18)
            .put(new byte[12])
            .putShort((short) 0x8100)
            .putShort((short) 42)
            .putShort((short) 0x0800)
            .array();

    assertDatagram(
        decode(PacketDecoder.LINKTYPE_ETHERNET, concat(ethernet, ipv4Udp())), "192.0.2.1");
  }

  @Test
  void decode_linuxCookedIpv6_isIpv6NotIpv4() throws Exception {
    byte[] sll = ByteBuffer.allocate(16).put(new byte[14]).putShort((short) 0x86DD).array();

    assertDatagram(
        decode(PacketDecoder.LINKTYPE_LINUX_SLL, concat(sll, ipv6Udp())), "2001:db8:0:0:0:0:0:1");
  }

  @Test
  void decode_linuxCookedV2_readsTheProtocolFieldFirst() throws Exception {
    byte[] sll2 = ByteBuffer.allocate(20).putShort((short) 0x0800).put(new byte[18]).array();

    assertDatagram(decode(PacketDecoder.LINKTYPE_LINUX_SLL2, concat(sll2, ipv4Udp())), "192.0.2.1");
  }

  @Test
  void decode_bsdLoopback_byIpVersion() throws Exception {
    byte[] family = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(30).array();

    assertDatagram(
        decode(PacketDecoder.LINKTYPE_NULL, concat(family, ipv6Udp())), "2001:db8:0:0:0:0:0:1");
  }

  @Test
  void decode_rawIpv4_byIpVersion() throws Exception {
    assertDatagram(decode(PacketDecoder.LINKTYPE_IPV4, ipv4Udp()), "192.0.2.1");
  }

  @Test
  void decode_unknownLinkType_skippedSayingWhich() throws Exception {
    PacketDecoder.Result result =
        PacketDecoder.decode(
            new CapturedFrame(1, Instant.EPOCH, 147, ipv4Udp(), 48), new IpFragments());

    assertThat(result)
        .isEqualTo(
            new PacketDecoder.Skipped(
                PacketDecoder.Skip.LINK_TYPE, "link type 147 is not decoded"));
  }
}
