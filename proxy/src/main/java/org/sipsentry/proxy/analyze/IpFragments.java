package org.sipsentry.proxy.analyze;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts fragmented IPv4 and IPv6 datagrams back together (RFC 791 §3.2, RFC 8200 §4.5), so that an
 * INVITE larger than the MTU, common once an Identity header and SDP are in it, is analysed. pkts
 * does not reassemble; this works on the raw IP packet and hands pkts the whole datagram, as if it
 * had arrived unfragmented.
 *
 * <p>A datagram is identified by source, destination, identification (and protocol for IPv4).
 * Fragments may come in any order and overlap (later bytes win). Bounded: at most {@value
 * #MAX_PENDING} datagrams are pending, each at most 65,535 bytes (buffers grow as fragments come),
 * and one not completed within {@link #TIMEOUT} of capture time is dropped (RFC 8200 §4.5: 60 s)
 * and counted.
 */
final class IpFragments {

  static final int MAX_PENDING = 1_000;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_DATAGRAM = 65_535;
  private static final int IPV6_HEADER = 40;
  private static final int IPV6_FRAGMENT = 44;

  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long incomplete;

  /** Datagrams dropped before all their fragments came (timeout, bound, or end of capture). */
  long incomplete() {
    return incomplete + pending.size();
  }

  /**
   * Takes the IPv4 packet at {@code ip} of {@code bytes}, a fragment; returns the whole datagram as
   * an unfragmented IPv4 packet once every fragment has come.
   */
  Optional<byte[]> ipv4(byte[] bytes, int ip, Instant time) {
    if (bytes.length < ip + 20) {
      return Optional.empty();
    }
    int headerLength = (bytes[ip] & 0x0F) * 4;
    int totalLength = u16(bytes, ip + 2);
    int end = Math.min(bytes.length, ip + totalLength);
    if (headerLength < 20 || end < ip + headerLength) {
      return Optional.empty();
    }
    int flags = u16(bytes, ip + 6);
    boolean more = (flags & 0x2000) != 0;
    int offset = (flags & 0x1FFF) * 8;
    String key =
        "4/"
            + Arrays.toString(Arrays.copyOfRange(bytes, ip + 12, ip + 20))
            + "/"
            + u16(bytes, ip + 4)
            + "/"
            + (bytes[ip + 9] & 0xFF);
    byte[] header = Arrays.copyOfRange(bytes, ip, ip + headerLength);
    return add(key, time, offset == 0 ? header : null, offset, more, bytes, ip + headerLength, end)
        .map(
            whole -> {
              byte[] packet = new byte[whole.header.length + whole.length];
              System.arraycopy(whole.header, 0, packet, 0, whole.header.length);
              System.arraycopy(whole.data, 0, packet, whole.header.length, whole.length);
              int total = packet.length;
              packet[2] = (byte) (total >> 8);
              packet[3] = (byte) total;
              packet[6] = 0;
              packet[7] = 0;
              return packet;
            });
  }

  /**
   * Takes the IPv6 packet at {@code ip} of {@code bytes}, whose extension chain holds a fragment
   * header; returns the whole datagram without it once every fragment has come.
   */
  Optional<byte[]> ipv6(byte[] bytes, int ip, Instant time) {
    if (bytes.length < ip + IPV6_HEADER) {
      return Optional.empty();
    }
    int end = Math.min(bytes.length, ip + IPV6_HEADER + u16(bytes, ip + 4));
    // Walk to the fragment header, remembering where its "next header" pointer is.
    int pointer = ip + 6;
    int next = bytes[pointer] & 0xFF;
    int at = ip + IPV6_HEADER;
    while ((next == 0 || next == 43 || next == 60) && at + 2 <= end) {
      pointer = at;
      next = bytes[at] & 0xFF;
      at += 8 + (bytes[at + 1] & 0xFF) * 8;
    }
    if (next != IPV6_FRAGMENT || at + 8 > end) {
      return Optional.empty();
    }
    int upper = bytes[at] & 0xFF;
    int flags = u16(bytes, at + 2);
    boolean more = (flags & 1) != 0;
    int offset = flags & 0xFFF8;
    long id = u32(bytes, at + 4);
    String key = "6/" + Arrays.toString(Arrays.copyOfRange(bytes, ip + 8, ip + 40)) + "/" + id;
    byte[] header = null;
    if (offset == 0) {
      // The unfragmentable part, its last "next header" now naming the upper layer.
      header = Arrays.copyOfRange(bytes, ip, at);
      header[pointer - ip] = (byte) upper;
    }
    return add(key, time, header, offset, more, bytes, at + 8, end)
        .map(
            whole -> {
              byte[] packet = new byte[whole.header.length + whole.length];
              System.arraycopy(whole.header, 0, packet, 0, whole.header.length);
              System.arraycopy(whole.data, 0, packet, whole.header.length, whole.length);
              int payload = packet.length - IPV6_HEADER;
              packet[4] = (byte) (payload >> 8);
              packet[5] = (byte) payload;
              return packet;
            });
  }

  private Optional<Pending> add(
      String key,
      Instant time,
      byte[] header,
      int offset,
      boolean more,
      byte[] bytes,
      int from,
      int to) {
    expire(time);
    int length = to - from;
    if (length < 0 || offset + length > MAX_DATAGRAM) {
      return Optional.empty();
    }
    Pending datagram = pending.get(key);
    if (datagram == null) {
      datagram = new Pending(time);
      pending.put(key, datagram);
      if (pending.size() > MAX_PENDING) {
        Iterator<Map.Entry<String, Pending>> eldest = pending.entrySet().iterator();
        eldest.next();
        eldest.remove();
        incomplete++;
      }
    }
    if (datagram.data.length < offset + length) {
      datagram.data =
          Arrays.copyOf(
              datagram.data,
              Math.min(MAX_DATAGRAM, Math.max(offset + length, 2 * datagram.data.length)));
    }
    System.arraycopy(bytes, from, datagram.data, offset, length);
    datagram.received.set(offset, offset + length);
    if (header != null) {
      datagram.header = header;
    }
    if (!more) {
      datagram.length = offset + length;
    }
    if (datagram.header != null
        && datagram.length >= 0
        && datagram.received.nextClearBit(0) >= datagram.length) {
      pending.remove(key);
      return Optional.of(datagram);
    }
    return Optional.empty();
  }

  private void expire(Instant now) {
    Iterator<Pending> datagrams = pending.values().iterator();
    while (datagrams.hasNext()) {
      Pending datagram = datagrams.next();
      if (datagram.first.plus(TIMEOUT).isBefore(now)) {
        datagrams.remove();
        incomplete++;
      } else {
        // Insertion order is capture order: the rest are younger.
        return;
      }
    }
  }

  private static int u16(byte[] bytes, int at) {
    return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
  }

  private static long u32(byte[] bytes, int at) {
    return ((long) u16(bytes, at) << 16) | u16(bytes, at + 2);
  }

  /** A datagram being put together. */
  private static final class Pending {
    final Instant first;
    byte[] data = new byte[2048];
    final BitSet received = new BitSet();
    byte[] header;
    int length = -1;

    Pending(Instant first) {
      this.first = first;
    }
  }
}
