package org.sipsentry.sip.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the URI of one entry of a From, To, P-Asserted-Identity or similar header value is (RFC
 * 3261 §20.10 and §25.1 name-addr / addr-spec, RFC 3325 §9.1), found in the message bytes.
 *
 * <p>In a name-addr ({@code "Alice" <sip:+1@h;user=phone>;tag=1}) the URI runs between the angle
 * brackets and its parameters end at {@code ?} or {@code >}. In a bare addr-spec ({@code
 * sip:+1@h;tag=1}) RFC 3261 §20 reads every parameter after the URI as a header parameter, so the
 * URI ends at the first {@code ;} after its host (or, for {@code tel:}, after the number) and the
 * "parameters" here are the header parameters that follow.
 *
 * @param uriStart index of the first byte of the URI (its scheme)
 * @param uriEnd for a name-addr the index of the closing {@code >}; for an addr-spec the index
 *     where its parameters begin (or its end)
 * @param bracketed whether the URI is enclosed in {@code <>}
 * @param paramsStart the first {@code ;} of the parameters, or {@code paramsEnd} when there are
 *     none
 * @param paramsEnd where a new parameter is inserted: before {@code ?headers} or {@code >} of a
 *     name-addr, at the end of an addr-spec entry
 * @param scheme the URI scheme in lower case, e.g. {@code tel}
 * @param displayStart index of the first byte of the display name of a name-addr (its opening
 *     {@code "} when quoted); for an addr-spec, and a name-addr without one, where one would go:
 *     the {@code <}, or the URI's first byte
 * @param displayEnd index just past the display name, white space before the {@code <} excluded;
 *     equal to {@code displayStart} when there is none
 */
record UriSpan(
    int uriStart,
    int uriEnd,
    boolean bracketed,
    int paramsStart,
    int paramsEnd,
    String scheme,
    int displayStart,
    int displayEnd) {

  /**
   * The URIs of the comma-separated entries of the header value {@code b[from, to)}, in order.
   * Commas inside quoted strings and angle brackets do not separate entries; an entry without a
   * scheme or with an unclosed {@code <} is skipped. Never throws on bad input.
   */
  static List<UriSpan> scan(byte[] b, int from, int to) {
    List<UriSpan> spans = new ArrayList<>(1);
    int entryStart = from;
    boolean inAngle = false;
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c == '"' && !inAngle) {
        i = SipSyntax.skipQuoted(b, i, to);
        continue;
      }
      if (c == '<') {
        inAngle = true;
      } else if (c == '>') {
        inAngle = false;
      } else if (c == ',' && !inAngle) {
        entry(b, entryStart, i, spans);
        entryStart = i + 1;
      }
      i++;
    }
    entry(b, entryStart, to, spans);
    return spans;
  }

  private static void entry(byte[] b, int from, int to, List<UriSpan> spans) {
    int start = SipSyntax.skipLws(b, from, to);
    int end = SipSyntax.trimLwsEnd(b, start, to);
    if (start >= end) {
      return;
    }
    int lt = SipSyntax.indexOfUnquoted(b, (byte) '<', start, end);
    if (lt >= 0) {
      int gt = SipSyntax.indexOf(b, (byte) '>', lt + 1, end);
      if (gt < 0) {
        return;
      }
      int uriStart = SipSyntax.skipLws(b, lt + 1, gt);
      int hostStart = hostStart(b, uriStart, gt);
      if (hostStart < 0) {
        return;
      }
      int question = SipSyntax.indexOf(b, (byte) '?', hostStart, gt);
      int paramsEnd = SipSyntax.trimLwsEnd(b, hostStart, question < 0 ? gt : question);
      int semi = SipSyntax.indexOf(b, (byte) ';', hostStart, paramsEnd);
      spans.add(
          new UriSpan(
              uriStart,
              gt,
              true,
              semi < 0 ? paramsEnd : semi,
              paramsEnd,
              scheme(b, uriStart),
              start,
              SipSyntax.trimLwsEnd(b, start, lt)));
    } else {
      int hostStart = hostStart(b, start, end);
      if (hostStart < 0) {
        return;
      }
      int semi = SipSyntax.indexOf(b, (byte) ';', hostStart, end);
      int uriEnd = semi < 0 ? end : SipSyntax.trimLwsEnd(b, start, semi);
      spans.add(
          new UriSpan(
              start, uriEnd, false, semi < 0 ? end : semi, end, scheme(b, start), start, start));
    }
  }

  /**
   * Where the part of the URI that may carry parameters begins: after the {@code @} of a SIP URI
   * with a user part (whose user may itself hold {@code ;}, RFC 3261 §25.1 user-unreserved, as in
   * {@code +1;npdi@host}), else after the scheme's colon; -1 when there is no {@code scheme:}.
   */
  private static int hostStart(byte[] b, int uriStart, int limit) {
    int colon = uriStart;
    while (colon < limit && SipSyntax.isToken(b[colon])) {
      colon++;
    }
    if (colon == uriStart || colon >= limit || b[colon] != ':') {
      return -1;
    }
    if (SipSyntax.startsWithIgnoreCase(b, uriStart, colon, "tel")) {
      return colon + 1;
    }
    int at = SipSyntax.indexOf(b, (byte) '@', colon + 1, limit);
    return at < 0 ? colon + 1 : at + 1;
  }

  private static String scheme(byte[] b, int uriStart) {
    int colon = uriStart;
    while (b[colon] != ':') {
      colon++;
    }
    return new String(b, uriStart, colon - uriStart, StandardCharsets.US_ASCII)
        .toLowerCase(Locale.ROOT);
  }
}
