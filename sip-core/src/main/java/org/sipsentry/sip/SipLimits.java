package org.sipsentry.sip;

/**
 * Bounds {@link SipCodec#parse} enforces before it hands a message to the SIP parser.
 *
 * @param maxMessageBytes the largest message accepted; larger ones are rejected with {@link
 *     Defect#TOO_LARGE} (513, RFC 3261 §21.5.14)
 * @param maxHeaders the most header fields accepted, a folded continuation line counting as part of
 *     its header field; more are rejected with {@link Defect#TOO_MANY_HEADERS}
 */
public record SipLimits(int maxMessageBytes, int maxHeaders) {

  /**
   * 64 KiB: a UDP datagram cannot carry more than 65,507 bytes over IPv4 (RFC 768 length field
   * minus IP and UDP headers), so this admits every UDP message and bounds a TCP frame the same
   * way. 256 header fields is far above what carriers send (a long INVITE has ~40) while keeping
   * the per-message parse cost bounded.
   */
  public static final SipLimits DEFAULT = new SipLimits(65_536, 256);

  public SipLimits {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
    }
    if (maxHeaders <= 0) {
      throw new IllegalArgumentException("maxHeaders must be positive: " + maxHeaders);
    }
  }
}
