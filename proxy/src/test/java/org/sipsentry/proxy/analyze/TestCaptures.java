package org.sipsentry.proxy.analyze;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;

/**
 * Writes small captures for tests: classic pcap (microseconds, little-endian, Ethernet) of IPv4 UDP
 * datagrams, for calls no public capture holds (signed INVITEs).
 */
public final class TestCaptures {

  /** One UDP datagram captured at {@code time}. */
  public record Datagram(
      Instant time, InetSocketAddress source, InetSocketAddress destination, byte[] payload) {}

  private TestCaptures() {}

  public static byte[] pcap(List<Datagram> datagrams) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    header.putInt(65535).putInt(PacketDecoder.LINKTYPE_ETHERNET);
    out.writeBytes(header.array());
    for (Datagram datagram : datagrams) {
      byte[] frame = ethernetIpv4Udp(datagram);
      ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      record.putInt((int) datagram.time().getEpochSecond());
      record.putInt(datagram.time().getNano() / 1000);
      record.putInt(frame.length).putInt(frame.length);
      out.writeBytes(record.array());
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static byte[] ethernetIpv4Udp(Datagram datagram) {
    byte[] payload = datagram.payload();
    ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
    frame.put(new byte[12]).putShort((short) 0x0800);
    frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length));
    frame.putShort((short) 1).putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0);
    frame.put(((Inet4Address) datagram.source().getAddress()).getAddress());
    frame.put(((Inet4Address) datagram.destination().getAddress()).getAddress());
    frame.putShort((short) datagram.source().getPort());
    frame.putShort((short) datagram.destination().getPort());
    frame.putShort((short) (8 + payload.length)).putShort((short) 0);
    frame.put(payload);
    return frame.array();
  }
}
