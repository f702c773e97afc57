package org.sipsentry.detector;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128.
 *
 * @param network the network address; host bits are cleared on construction
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

  /** Dotted-quad IPv4, each octet 0–255 without leading zeros (which some tools read as octal). */
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  /**
   * The characters of an IPv6 literal; the JDK parses a string with a colon as one, never as a
   * name.
   */
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix /" + prefixLength + " is outside 0.." + bits);
    }
    network = mask(network, prefixLength);
  }

  /**
   * Parses {@code address[/prefix]}; throws {@link IllegalArgumentException} with a message such as
   * {@code "10.0.0/8" is not a CIDR} otherwise. Host bits are cleared ({@code 10.1.2.3/8} is {@code
   * 10.0.0.0/8}). Only literal addresses are accepted: parsing never looks up a name.
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    InetAddress network = literal(text, address);
    int bits = network.getAddress().length * 8;
    String prefixText = slash < 0 ? null : text.substring(slash + 1);
    if (prefixText != null && !PREFIX.matcher(prefixText).matches()) {
      throw notACidr(text);
    }
    int prefix = prefixText == null ? bits : Integer.parseInt(prefixText);
    if (prefix > bits) {
      throw notACidr(text);
    }
    return new Cidr(network, prefix);
  }

  private static InetAddress literal(String text, String address) {
    try {
      if (IPV4.matcher(address).matches()) {
        String[] octets = address.split("\\.", -1);
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          bytes[i] = (byte) Integer.parseInt(octets[i]);
        }
        return InetAddress.getByAddress(bytes);
      }
      if (IPV6.matcher(address).matches()) {
        InetAddress parsed = InetAddress.getByName(address);
        if (parsed instanceof Inet4Address) {
          // The JDK turns ::ffff:a.b.c.d into an IPv4 address, and so are such sources seen;
          // a prefix written for 128 bits would silently mean something else.
          throw new IllegalArgumentException(
              "\""
                  + text
                  + "\" is not a CIDR; write IPv4-mapped networks as IPv4, e.g. 192.0.2.0/24");
        }
        return parsed;
      }
    } catch (UnknownHostException e) {
      throw notACidr(text);
    }
    throw notACidr(text);
  }

  private static IllegalArgumentException notACidr(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" is not a CIDR; expected e.g. 192.0.2.0/24 or 2001:db8::/32");
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
