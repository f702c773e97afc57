package org.sipsentry.sip.stir.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Classifies resolved addresses (see {@link AddressClass}); pure and thread-safe. */
final class AddressPolicy {

  private AddressPolicy() {}

  /** The class of {@code address}; IPv6 addresses that embed an IPv4 address take its class. */
  static AddressClass classify(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return classifyV4(b, 0);
    }
    if (address instanceof Inet6Address) {
      return classifyV6(b);
    }
    throw new IllegalArgumentException("neither IPv4 nor IPv6: " + address);
  }

  private static AddressClass classifyV4(byte[] b, int off) {
    int a0 = b[off] & 0xff;
    int a1 = b[off + 1] & 0xff;
    int a2 = b[off + 2] & 0xff;
    if (a0 == 0) {
      return AddressClass.UNSPECIFIED;
    }
    if (a0 == 127) {
      return AddressClass.LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return AddressClass.PRIVATE;
    }
    if (a0 == 169 && a1 == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return AddressClass.CGNAT;
    }
    if ((a0 & 0xf0) == 224) {
      return AddressClass.MULTICAST;
    }
    if ((a0 & 0xf0) == 240
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 198 && (a1 & 0xfe) == 18)
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  private static AddressClass classifyV6(byte[] b) {
    if (zeros(b, 0, 10)) {
      if ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        // ::ffff:0:0/96, IPv4-mapped (RFC 4291 §2.5.5.2): the socket connects to the IPv4 address.
        return classifyV4(b, 12);
      }
      if (zeros(b, 10, 15)) {
        int last = b[15] & 0xff;
        if (last == 0) {
          return AddressClass.UNSPECIFIED;
        }
        if (last == 1) {
          return AddressClass.LOOPBACK;
        }
      }
      if (zeros(b, 10, 12)) {
        // ::/96, the deprecated IPv4-compatible form (RFC 4291 §2.5.5.1).
        return classifyV4(b, 12);
      }
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      if (zeros(b, 4, 12)) {
        // 64:ff9b::/96, NAT64 (RFC 6052): a translator connects to the embedded IPv4 address.
        return classifyV4(b, 12);
      }
    }
    if (b0 == 0x20 && b1 == 0x02) {
      // 2002::/16, 6to4 (RFC 3056): the embedded IPv4 address is the site's gateway.
      return classifyV4(b, 2);
    }
    if (b0 == 0xff) {
      return AddressClass.MULTICAST;
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if ((b0 == 0xfe && (b1 & 0xc0) == 0xc0) || (b0 & 0xfe) == 0xfc) {
      return AddressClass.PRIVATE;
    }
    if ((b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8)
        || (b0 == 0x01 && b1 == 0x00 && zeros(b, 2, 8))) {
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
