package org.sipsentry.sip.wire;

import java.nio.charset.StandardCharsets;

/**
 * Canonical header names: compact forms expanded (RFC 3261 §7.3.3 and the IANA "Header Fields"
 * registry) and known names spelled as in their RFCs, so that a scanned name can be compared with
 * {@code equalsIgnoreCase} and the known ones cost no allocation.
 */
final class HeaderNames {

  static final String VIA = "Via";
  static final String FROM = "From";
  static final String TO = "To";
  static final String CALL_ID = "Call-ID";
  static final String CSEQ = "CSeq";
  static final String MAX_FORWARDS = "Max-Forwards";
  static final String CONTENT_LENGTH = "Content-Length";
  static final String TIMESTAMP = "Timestamp";

  private static final String[] KNOWN = {
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    CALL_ID,
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    CONTENT_LENGTH,
    "Content-Type",
    CSEQ,
    "Date",
    "Diversion",
    "Error-Info",
    "Event",
    "Expires",
    FROM,
    "History-Info",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    MAX_FORWARDS,
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "P-Asserted-Identity",
    "P-Charging-Vector",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Session-Expires",
    "Session-ID",
    "Subject",
    "Supported",
    TIMESTAMP,
    TO,
    "Unsupported",
    "User-Agent",
    VIA,
    "Warning",
    "WWW-Authenticate",
  };

  /**
   * Compact forms, indexed by the lower-case letter. RFC 3261 §7.3.3 (c e f i k l m s t v), RFC
   * 3265 (o u), RFC 3515 (r), RFC 3892 (b), RFC 3841 (a j d), RFC 4028 (x), RFC 8224 (y).
   */
  private static final String[] COMPACT = new String[128];

  static {
    COMPACT['a'] = "Accept-Contact";
    COMPACT['b'] = "Referred-By";
    COMPACT['c'] = "Content-Type";
    COMPACT['d'] = "Request-Disposition";
    COMPACT['e'] = "Content-Encoding";
    COMPACT['f'] = FROM;
    COMPACT['i'] = CALL_ID;
    COMPACT['j'] = "Reject-Contact";
    COMPACT['k'] = "Supported";
    COMPACT['l'] = CONTENT_LENGTH;
    COMPACT['m'] = "Contact";
    COMPACT['o'] = "Event";
    COMPACT['r'] = "Refer-To";
    COMPACT['s'] = "Subject";
    COMPACT['t'] = TO;
    COMPACT['u'] = "Allow-Events";
    COMPACT['v'] = VIA;
    COMPACT['x'] = "Session-Expires";
    COMPACT['y'] = "Identity";
  }

  /** Open-addressing table of {@link #KNOWN} by case-insensitive hash; a quarter full. */
  private static final String[] TABLE = new String[256];

  static {
    for (String name : KNOWN) {
      byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
      int slot = slot(hash(b, 0, b.length));
      while (TABLE[slot] != null) {
        slot = (slot + 1) & (TABLE.length - 1);
      }
      TABLE[slot] = name;
    }
  }

  private HeaderNames() {}

  /** The case-insensitive hash that {@link HeaderIndex#scan} computes while reading a name. */
  static int step(int hash, byte b) {
    return 31 * hash + SipSyntax.lower(b);
  }

  static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = step(h, b[i]);
    }
    return h;
  }

  private static int slot(int hash) {
    return (hash ^ (hash >>> 7) ^ (hash >>> 15)) & (TABLE.length - 1);
  }

  /** The canonical name of the token {@code b[from, to)} whose {@link #hash} is {@code hash}. */
  static String canonical(byte[] b, int from, int to, int hash) {
    int length = to - from;
    if (length == 1) {
      int c = SipSyntax.lower(b[from]);
      if (c < COMPACT.length && COMPACT[c] != null) {
        return COMPACT[c];
      }
    } else {
      for (int slot = slot(hash); TABLE[slot] != null; slot = (slot + 1) & (TABLE.length - 1)) {
        String known = TABLE[slot];
        if (known.length() == length && SipSyntax.startsWithIgnoreCase(b, from, to, known)) {
          return known;
        }
      }
    }
    return new String(b, from, length, StandardCharsets.ISO_8859_1);
  }

  /**
   * The canonical form of a name given by a caller, e.g. {@code "v"} or {@code "call-id"}; the name
   * itself when it is not known. Allocates nothing for known names.
   */
  static String canonical(String name) {
    String n = name.strip();
    if (n.length() == 1) {
      char c = Character.toLowerCase(n.charAt(0));
      return c < COMPACT.length && COMPACT[c] != null ? COMPACT[c] : n;
    }
    int h = 0;
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c > 0x7f) {
        return n;
      }
      h = step(h, (byte) c);
    }
    for (int slot = slot(h); TABLE[slot] != null; slot = (slot + 1) & (TABLE.length - 1)) {
      String known = TABLE[slot];
      if (known.equalsIgnoreCase(n)) {
        return known;
      }
    }
    return n;
  }
}
