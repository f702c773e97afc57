package org.sipsentry.proxy.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Via;

/**
 * Branch parameters for our Via, computed statelessly (RFC 3261 §16.11): a retransmission, the
 * CANCEL and the ACK of a non-2xx response all carry the same top Via branch as their INVITE, so
 * they all map to the same branch of ours, and the next hop matches them to one transaction.
 */
final class Branches {

  /** RFC 3261 magic cookie, then our own mark so that we recognise our Vias (loop detection). */
  static final String PREFIX = "z9hG4bK-sS-";

  private static final String MAGIC_COOKIE = "z9hG4bK";

  /** 96 bits of SHA-256: collisions between live transactions are out of reach. */
  private static final int HASH_BYTES = 12;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new AssertionError("every JRE has SHA-256", e);
            }
          });

  private Branches() {}

  /** Our branch for a request whose top Via is {@code topVia}. */
  static String forRequest(SipMessage request) {
    return PREFIX + hash(transactionKey(request));
  }

  /**
   * What identifies the request's transaction upstream: the top Via's branch and sent-by for RFC
   * 3261 clients; for RFC 2543 clients (no magic cookie) the fields §16.11 lists.
   */
  static String transactionKey(SipMessage request) {
    Via top = request.vias().get(0);
    String branch = top.branch();
    if (branch.startsWith(MAGIC_COOKIE) && branch.length() > MAGIC_COOKIE.length()) {
      return branch + '\n' + top.sentBy() + '\n' + request.callId();
    }
    return request.from().tag()
        + '\n'
        + request.callId()
        + '\n'
        + request.cseqNumber()
        + '\n'
        + request.requestUri()
        + '\n'
        + top.sentBy()
        + '\n'
        + branch;
  }

  /** A To tag for our own responses: the same for every retransmission of the request. */
  static String toTag(SipMessage request) {
    return "sS" + hash("tag\n" + transactionKey(request)).substring(0, 16);
  }

  private static String hash(String key) {
    MessageDigest digest = SHA256.get();
    byte[] sum = digest.digest(key.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sum, 0, HASH_BYTES);
  }
}
