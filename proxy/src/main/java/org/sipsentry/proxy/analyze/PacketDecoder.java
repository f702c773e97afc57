package org.sipsentry.proxy.analyze;

import io.pkts.buffer.Buffer;
import io.pkts.buffer.Buffers;
import io.pkts.frame.PcapGlobalHeader;
import io.pkts.frame.PcapRecordHeader;
import io.pkts.packet.IPPacket;
import io.pkts.packet.MACPacket;
import io.pkts.packet.Packet;
import io.pkts.packet.TCPPacket;
import io.pkts.packet.TransportPacket;
import io.pkts.packet.UDPPacket;
import io.pkts.packet.impl.PCapPacketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.sipsentry.sip.Transport;

/**
 * Turns a captured frame into its UDP datagram or TCP segment. The IPv4, IPv6, UDP and TCP headers
 * are decoded by pkts.io; what pkts lacks is done here, before it sees the frame:
 *
 * <ul>
 *   <li>pkts decodes Ethernet II (with 802.1Q) fully, but takes every Linux cooked (SLL) frame for
 *       IPv4 and knows neither SLL2 nor raw IP nor BSD loopback; frames of those link types are
 *       given an Ethernet II header with the protocol their own header names, so that pkts decodes
 *       IPv6 over SLL too;
 *   <li>pkts does not reassemble IP fragments, and would read a fragment's data as a UDP header: a
 *       fragment (IPv4 flags and offset, IPv6 fragment header) goes to {@link IpFragments}, and the
 *       whole datagram, once complete, is decoded in place of the packet that completed it.
 * </ul>
 */
final class PacketDecoder {

  static final int LINKTYPE_NULL = 0;
  static final int LINKTYPE_ETHERNET = 1;
  static final int LINKTYPE_RAW = 101;
  static final int LINKTYPE_LINUX_SLL = 113;
  static final int LINKTYPE_IPV4 = 228;
  static final int LINKTYPE_IPV6 = 229;
  static final int LINKTYPE_LINUX_SLL2 = 276;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERNET_HEADER = 14;
  private static final int SLL_HEADER = 16;
  private static final int SLL2_HEADER = 20;
  private static final int NULL_HEADER = 4;
  private static final int IPV6_HEADER = 40;
  private static final int IPV6_FRAGMENT = 44;
  private static final int UDP = 17;
  private static final int TCP = 6;

  /** What pkts frames every normalised frame as: Ethernet II, little-endian record headers. */
  private static final PcapGlobalHeader ETHERNET =
      PcapGlobalHeader.createDefaultHeader(io.pkts.protocol.Protocol.ETHERNET_II);

  /** Why a frame has no segment. */
  enum Skip {
    /** Not IP, or IP but neither UDP nor TCP (ARP, ICMP, SCTP, ...): not SIP for us. */
    NOT_UDP_OR_TCP,
    /** An IP fragment of a datagram not complete yet. */
    FRAGMENT,
    /** A link type we do not decode. */
    LINK_TYPE
  }

  /** The segment of a frame, what was skipped, or why it could not be decoded. */
  sealed interface Result {}

  record Decoded(Segment segment) implements Result {}

  record Skipped(Skip why, String detail) implements Result {}

  record Malformed(String detail) implements Result {}

  private PacketDecoder() {}

  static Result decode(CapturedFrame frame, IpFragments fragments) {
    Optional<byte[]> ethernet = asEthernet(frame);
    if (ethernet.isEmpty()) {
      return new Skipped(Skip.LINK_TYPE, "link type " + frame.linkType() + " is not decoded");
    }
    byte[] bytes = ethernet.get();
    int etherType = etherTypeAt(bytes);
    if (etherType != ETHERTYPE_IPV4 && etherType != ETHERTYPE_IPV6) {
      return new Skipped(Skip.NOT_UDP_OR_TCP, "ethertype " + Integer.toHexString(etherType));
    }
    int ip = bytes.length > 12 && u16(bytes, 12) == ETHERTYPE_VLAN ? 18 : ETHERNET_HEADER;
    if (bytes.length <= ip) {
      return new Malformed("no IP header");
    }
    int version = (bytes[ip] & 0xF0) >> 4;
    if (version != (etherType == ETHERTYPE_IPV4 ? 4 : 6)) {
      // pkts reads an IPv4 header whatever its version says.
      return new Malformed(
          "IP header of version "
              + version
              + " in an IPv"
              + (etherType == ETHERTYPE_IPV4 ? 4 : 6)
              + " frame");
    }
    boolean fragment =
        etherType == ETHERTYPE_IPV4
            ? bytes.length >= ip + 8 && (u16(bytes, ip + 6) & 0x3FFF) != 0
            : isIpv6Fragment(bytes, ip);
    if (fragment) {
      Optional<byte[]> whole =
          etherType == ETHERTYPE_IPV4
              ? fragments.ipv4(bytes, ip, frame.time())
              : fragments.ipv6(bytes, ip, frame.time());
      if (whole.isEmpty()) {
        return new Skipped(Skip.FRAGMENT, "IP fragment");
      }
      byte[] reassembled = new byte[ip + whole.get().length];
      System.arraycopy(bytes, 0, reassembled, 0, ip);
      System.arraycopy(whole.get(), 0, reassembled, ip, whole.get().length);
      bytes = reassembled;
    }
    try {
      Packet link = pktsFrame(bytes).getNextPacket();
      if (!(link instanceof MACPacket mac)) {
        return new Malformed("no Ethernet frame");
      }
      Packet network = mac.getNextPacket();
      if (!(network instanceof IPPacket ipPacket)) {
        return new Skipped(Skip.NOT_UDP_OR_TCP, "not IPv4 or IPv6");
      }
      if (ipPacket.getVersion() == 4 && ipPacket.isFragmented()) {
        return new Skipped(Skip.FRAGMENT, "IPv4 fragment");
      }
      int protocol = etherType == ETHERTYPE_IPV4 ? bytes[ip + 9] & 0xFF : ipv6Upper(bytes, ip);
      if (protocol != UDP && protocol != TCP) {
        return new Skipped(Skip.NOT_UDP_OR_TCP, "IP protocol " + protocol);
      }
      Packet transport = ipPacket.getNextPacket();
      if (!(transport instanceof TransportPacket segment)) {
        return new Malformed("IP protocol " + protocol + " could not be decoded");
      }
      InetSocketAddress source =
          new InetSocketAddress(address(ipPacket.getRawSourceIP()), segment.getSourcePort());
      InetSocketAddress destination =
          new InetSocketAddress(
              address(ipPacket.getRawDestinationIP()), segment.getDestinationPort());
      Buffer payload = segment.getPayload();
      byte[] data = payload == null ? new byte[0] : payload.getArray();
      if (segment instanceof UDPPacket) {
        return new Decoded(
            new Segment(
                frame.number(),
                frame.time(),
                Transport.UDP,
                source,
                destination,
                data,
                0,
                false,
                false));
      }
      TCPPacket tcp = (TCPPacket) segment;
      return new Decoded(
          new Segment(
              frame.number(),
              frame.time(),
              Transport.TCP,
              source,
              destination,
              data,
              tcp.getSequenceNumber() & 0xFFFFFFFFL,
              tcp.isSYN(),
              tcp.isFIN() || tcp.isRST()));
    } catch (Exception e) {
      // pkts signals a short or inconsistent header with a variety of exceptions.
      return new Malformed(CaptureFile.why(e));
    }
  }

  /** The frame as Ethernet II, or empty for a link type we cannot rewrite. */
  static Optional<byte[]> asEthernet(CapturedFrame frame) {
    byte[] data = frame.data();
    return switch (frame.linkType()) {
      case LINKTYPE_ETHERNET -> Optional.of(data);
      case LINKTYPE_LINUX_SLL ->
          data.length < SLL_HEADER
              ? Optional.of(new byte[0])
              : Optional.of(ethernet(u16(data, 14), data, SLL_HEADER));
      case LINKTYPE_LINUX_SLL2 ->
          data.length < SLL2_HEADER
              ? Optional.of(new byte[0])
              : Optional.of(ethernet(u16(data, 0), data, SLL2_HEADER));
      case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6 ->
          Optional.of(ethernet(byVersion(data, 0), data, 0));
      case LINKTYPE_NULL ->
          data.length < NULL_HEADER
              ? Optional.of(new byte[0])
              : Optional.of(ethernet(byVersion(data, NULL_HEADER), data, NULL_HEADER));
      default -> Optional.empty();
    };
  }

  private static int byVersion(byte[] data, int at) {
    if (data.length <= at) {
      return 0;
    }
    return switch ((data[at] & 0xF0) >> 4) {
      case 4 -> ETHERTYPE_IPV4;
      case 6 -> ETHERTYPE_IPV6;
      default -> 0;
    };
  }

  private static byte[] ethernet(int etherType, byte[] data, int headerLength) {
    byte[] frame = new byte[ETHERNET_HEADER + data.length - headerLength];
    frame[12] = (byte) (etherType >> 8);
    frame[13] = (byte) etherType;
    System.arraycopy(data, headerLength, frame, ETHERNET_HEADER, data.length - headerLength);
    return frame;
  }

  private static int etherTypeAt(byte[] ethernet) {
    if (ethernet.length < ETHERNET_HEADER) {
      return -1;
    }
    int type = u16(ethernet, 12);
    if (type == ETHERTYPE_VLAN) {
      return ethernet.length < 18 ? -1 : u16(ethernet, 16);
    }
    return type;
  }

  /** Whether the IPv6 packet at {@code ip} has a fragment header in its extension chain. */
  private static boolean isIpv6Fragment(byte[] bytes, int ip) {
    return ipv6Upper(bytes, ip) == IPV6_FRAGMENT;
  }

  /**
   * The upper-layer protocol of the IPv6 packet at {@code ip}, after hop-by-hop, routing and
   * destination options headers; {@value #IPV6_FRAGMENT} when a fragment header comes first.
   */
  private static int ipv6Upper(byte[] bytes, int ip) {
    if (bytes.length < ip + IPV6_HEADER) {
      return -1;
    }
    int next = bytes[ip + 6] & 0xFF;
    int at = ip + IPV6_HEADER;
    while ((next == 0 || next == 43 || next == 60) && at + 2 <= bytes.length) {
      int length = 8 + (bytes[at + 1] & 0xFF) * 8;
      next = bytes[at] & 0xFF;
      at += length;
    }
    return next;
  }

  private static int u16(byte[] data, int at) {
    return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
  }

  private static Packet pktsFrame(byte[] ethernet) {
    PcapRecordHeader record = PcapRecordHeader.createDefaultHeader(0);
    record.setCapturedLength(ethernet.length);
    record.setTotalLength(ethernet.length);
    return new PCapPacketImpl(ETHERNET, record, Buffers.wrap(ethernet));
  }

  private static InetAddress address(byte[] raw) throws UnknownHostException {
    return InetAddress.getByAddress(raw);
  }
}
