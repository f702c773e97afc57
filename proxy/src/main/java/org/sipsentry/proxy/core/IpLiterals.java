package org.sipsentry.proxy.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IP address literals as they appear in Via headers, read without ever asking DNS. */
final class IpLiterals {

  private IpLiterals() {}

  /**
   * The address {@code host} spells, if it is an IPv4 dotted quad or an IPv6 literal (with or
   * without brackets); empty for host names.
   */
  static Optional<InetAddress> parse(String host) {
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!isIpv4(literal) && !isIpv6(literal)) {
      return Optional.empty();
    }
    try {
      // With a literal, getByName parses and never resolves.
      return Optional.of(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** True when {@code host} is a literal for {@code address}. */
  static boolean sameAddress(String host, InetAddress address) {
    return parse(host).map(address::equals).orElse(false);
  }

  /** Four decimal octets of 0..255; anything else would make getByName ask DNS. */
  private static boolean isIpv4(String text) {
    int dots = 0;
    int digits = 0;
    int octet = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
        octet = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
        octet = octet * 10 + (c - '0');
        if (octet > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  private static boolean isIpv6(String text) {
    if (text.indexOf(':') < 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') {
        return false;
      }
    }
    return true;
  }
}
