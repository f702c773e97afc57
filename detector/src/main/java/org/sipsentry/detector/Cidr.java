package org.sipsentry.detector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128.
 *
 * @param network the network address, with the host bits zero
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

  /** Literal addresses only: never let config parsing trigger a DNS look-up. */
  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix /" + prefixLength + " is outside 0.." + bits);
    }
  }

  /**
   * Parses {@code address[/prefix]}; throws {@link IllegalArgumentException} with a message such
   * as {@code "10.0.0/8" is not a CIDR} otherwise.
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    String notACidr = "\"" + text + "\" is not a CIDR; expected e.g. 192.0.2.0/24 or 2001:db8::/32";
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!LITERAL.matcher(address).matches()
        || (address.indexOf(':') < 0 && address.split("\\.", -1).length != 4)) {
      throw new IllegalArgumentException(notACidr);
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(notACidr, e);
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(notACidr, e);
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(notACidr);
    }
    return new Cidr(mask(network, prefix), prefix);
  }

  /** True when {@code address} lies in this network (IPv4 never matches an IPv6 network). */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    byte[] net = network.getAddress();
    if (candidate.length != net.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != net[i]) {
        return false;
      }
    }
    int restBits = prefixLength % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = 0xff << (8 - restBits);
    return (candidate[fullBytes] & mask) == (net[fullBytes] & mask);
  }

  private static InetAddress mask(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4- or 16-byte address is always accepted", e);
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
