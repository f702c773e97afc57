package org.sipsentry.sip;

/**
 * Why {@link SipCodec#parse} rejected a message. Each constant carries the SIP status code a
 * request with this defect is answered with, a short reason phrase and the specification it
 * follows; a response with a defect is simply dropped (RFC 3261 §18.1.2).
 */
public enum Defect {
  /** Empty or whitespace-only input, such as a CRLF keep-alive: dropped silently, no response. */
  EMPTY(0, "Empty Message", "RFC 5626 §3.5.1"),
  /** Longer than {@link SipLimits#maxMessageBytes()}. */
  TOO_LARGE(513, "Message Too Large", "RFC 3261 §21.5.14"),
  /** More header fields than {@link SipLimits#maxHeaders()}. */
  TOO_MANY_HEADERS(400, "Too Many Headers", "RFC 3261 §21.4.1"),
  /** The Request-Line or Status-Line does not parse, or a Request-URI carries headers. */
  MALFORMED_START_LINE(400, "Malformed Start Line", "RFC 3261 §7.1, §7.2, §19.1.1"),
  /** A SIP version other than {@code SIP/2.0}. */
  UNSUPPORTED_VERSION(505, "Version Not Supported", "RFC 3261 §21.5.6"),
  /** A header field that matters for routing or identity does not parse; detail: its name. */
  MALFORMED_HEADER(400, "Malformed Header", "RFC 3261 §7.3"),
  /** One of Via, From, To, Call-ID, CSeq is absent; detail: its name. */
  MISSING_HEADER(400, "Missing Header", "RFC 3261 §8.1.1"),
  /** A single-value header field (From, To, Call-ID, CSeq, Max-Forwards) occurs more than once. */
  DUPLICATE_HEADER(400, "Duplicate Header", "RFC 3261 §7.3.1, RFC 4475 §3.3.8"),
  /** The CSeq method differs from the request method. */
  CSEQ_METHOD_MISMATCH(400, "CSeq Method Mismatch", "RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.17"),
  /** Content-Length negative, not a number, given several times, or larger than the body. */
  BAD_CONTENT_LENGTH(400, "Bad Content-Length", "RFC 3261 §18.3, §20.14"),
  /** The header section does not end with an empty line. */
  MISSING_EMPTY_LINE(400, "Missing Empty Line", "RFC 3261 §7"),
  /** The SIP parser failed in a way not attributable to one header field or the start line. */
  MALFORMED_MESSAGE(400, "Malformed Message", "RFC 3261 §7");

  private final int statusCode;
  private final String phrase;
  private final String reference;

  Defect(int statusCode, String phrase, String reference) {
    this.statusCode = statusCode;
    this.phrase = phrase;
    this.reference = reference;
  }

  /** The status code to answer a request with; {@code 0} means drop without answering. */
  public int statusCode() {
    return statusCode;
  }

  /** A short reason phrase, ASCII. */
  public String phrase() {
    return phrase;
  }

  /** The RFC sections this defect follows. */
  public String reference() {
    return reference;
  }
}
