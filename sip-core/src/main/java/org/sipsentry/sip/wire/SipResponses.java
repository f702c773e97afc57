package org.sipsentry.sip.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stateless responses built from the raw header lines of a request (RFC 3261 §8.2.6, §16.11), so
 * that a request the SIP parser rejected can still be answered, e.g. with a 400.
 */
public final class SipResponses {

  private static final byte[] CRLF = {'\r', '\n'};

  private SipResponses() {}

  /**
   * A response to {@code request}: the status line {@code SIP/2.0 <code> <reason>}, every Via line,
   * then the first From, To, Call-ID and CSeq lines as received (name spelling, compact forms and
   * folding kept), a {@code ;tag=<toTag>} appended to To when it has no tag parameter, the
   * Timestamp line in a 100 (RFC 3261 §8.2.6.1), {@code extraHeaders} in order, {@code
   * Content-Length: 0} and the empty line. Every line we write ends with CRLF.
   *
   * @param reason the reason phrase; control characters (CR and LF included) are removed
   * @param toTag the To tag to add when the request's To has none; {@code null} or empty for none
   * @param extraHeaders header names and values to add, e.g. {@code Server: SipSentry}
   * @return empty when {@code request} is not a request or lacks Via, From, To, Call-ID or CSeq:
   *     such a request cannot be answered (RFC 4475 §3.3.1) and is dropped
   * @throws IllegalArgumentException for a code outside 100–699, a To tag or header name that is
   *     not a token, or a header value spanning lines
   */
  public static Optional<byte[]> response(
      HeaderIndex request,
      int code,
      String reason,
      String toTag,
      List<Map.Entry<String, String>> extraHeaders) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(extraHeaders, "extraHeaders");
    if (code < 100 || code > 699) {
      throw new IllegalArgumentException("SIP status code must be 100-699: " + code);
    }
    String tag = toTag == null ? "" : toTag;
    if (!tag.isEmpty()) {
      SipSyntax.requireToken(tag, "To tag");
    }
    if (!request.looksLikeRequest()) {
      return Optional.empty();
    }
    List<HeaderLine> vias = request.all(HeaderNames.VIA);
    HeaderLine from = request.firstOrNull(HeaderNames.FROM);
    HeaderLine to = request.firstOrNull(HeaderNames.TO);
    HeaderLine callId = request.firstOrNull(HeaderNames.CALL_ID);
    HeaderLine cseq = request.firstOrNull(HeaderNames.CSEQ);
    if (vias.isEmpty() || from == null || to == null || callId == null || cseq == null) {
      return Optional.empty();
    }

    byte[] b = request.bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.writeBytes(utf8("SIP/2.0 " + code + " " + sanitiseReason(reason)));
    out.writeBytes(CRLF);
    for (HeaderLine via : vias) {
      copyLine(b, via, out);
    }
    copyLine(b, from, out);
    if (tag.isEmpty() || hasTag(b, to.valueStart(), to.valueEnd())) {
      copyLine(b, to, out);
    } else {
      out.write(b, to.lineStart(), to.valueEnd() - to.lineStart());
      out.writeBytes(utf8(";tag=" + tag));
      out.writeBytes(CRLF);
    }
    copyLine(b, callId, out);
    copyLine(b, cseq, out);
    if (code == 100) {
      HeaderLine timestamp = request.firstOrNull(HeaderNames.TIMESTAMP);
      if (timestamp != null) {
        copyLine(b, timestamp, out);
      }
    }
    for (Map.Entry<String, String> header : extraHeaders) {
      String name = SipSyntax.requireToken(header.getKey(), "header name");
      String value =
          SipSyntax.requireSingleLine(
              Objects.requireNonNull(header.getValue(), name).strip(), "value of " + name);
      out.writeBytes((name + ": " + value).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
    }
    out.writeBytes(utf8("Content-Length: 0"));
    out.writeBytes(CRLF);
    out.writeBytes(CRLF);
    return Optional.of(out.toByteArray());
  }

  /** The reason phrase without control characters (CR, LF, HTAB, C0, DEL, C1) and outer spaces. */
  static String sanitiseReason(String reason) {
    if (reason == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(reason.length());
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      if (!Character.isISOControl(c)) {
        s.append(c);
      }
    }
    return s.toString().strip();
  }

  /** Copies a header line as received, ending it with CRLF whatever it ended with. */
  private static void copyLine(byte[] b, HeaderLine line, ByteArrayOutputStream out) {
    int end = HeaderIndex.contentEnd(b, line.lineStart(), line.lineEnd());
    out.write(b, line.lineStart(), end - line.lineStart());
    out.writeBytes(CRLF);
  }

  /**
   * Whether the To value {@code b[from, to)} has a {@code tag} header parameter: one after the
   * {@code >} of a name-addr, or after the URI of an addr-spec (RFC 3261 §20.39, §20.10), not a URI
   * parameter inside {@code <>}.
   */
  static boolean hasTag(byte[] b, int from, int to) {
    int params = -1;
    int i = from;
    while (i < to && params < 0) {
      byte c = b[i];
      if (c == '"') {
        i = SipSyntax.skipQuoted(b, i, to);
      } else if (c == '<') {
        int close = SipSyntax.indexOf(b, (byte) '>', i, to);
        if (close < 0) {
          return false;
        }
        params = close + 1;
      } else if (c == ';') {
        params = i;
      } else {
        i++;
      }
    }
    return params >= 0 && SipSyntax.findParameter(b, params, to, "tag") != null;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
