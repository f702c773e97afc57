package org.sipsentry.sip.stir.fetch;

/**
 * What kind of network an address belongs to, for the x5u address policy. Everything but {@link
 * #PUBLIC} is refused unless {@link FetchSettings#allowedAddressClasses()} names it (a lab on
 * loopback names {@link #LOOPBACK}).
 */
public enum AddressClass {
  /** A globally routable unicast address. Always allowed. */
  PUBLIC,
  /** 127.0.0.0/8 and ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). */
  LOOPBACK,
  /** 10/8, 172.16/12, 192.168/16 (RFC 1918); fc00::/7 (RFC 4193); fec0::/10 (RFC 3879). */
  PRIVATE,
  /**
   * 169.254/16 (RFC 3927), including the 169.254.169.254 cloud metadata address; fe80::/10 (RFC
   * 4291 §2.5.6).
   */
  LINK_LOCAL,
  /** 224/4 (RFC 5771) and ff00::/8 (RFC 4291 §2.7). */
  MULTICAST,
  /** 0.0.0.0/8 ("this network", RFC 1122 §3.2.1.3; Linux connects 0.0.0.0 to loopback) and ::. */
  UNSPECIFIED,
  /** 100.64/10, shared address space for carrier-grade NAT (RFC 6598). */
  CGNAT,
  /**
   * Other special-purpose ranges (RFC 6890): 192.0.0/24, the documentation ranges 192.0.2/24,
   * 198.51.100/24, 203.0.113/24 and 2001:db8::/32, benchmarking 198.18/15, 240/4 with the broadcast
   * address, and the discard prefix 100::/64.
   */
  RESERVED
}
