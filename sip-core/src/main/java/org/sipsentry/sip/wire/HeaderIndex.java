package org.sipsentry.sip.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The start line and header lines of one SIP message, found by one pass over its bytes.
 *
 * <p>Scanning is tolerant, because the index is also what we answer malformed requests from:
 *
 * <ul>
 *   <li>CRLF and bare LF both end a line; CRLFs before the start line are skipped (RFC 3261 §7.5);
 *   <li>a line starting with SP or HTAB continues the previous header (folding, RFC 3261 §7.3.1);
 *   <li>white space between the name and the colon is allowed ({@code Via :}, RFC 3261 §7.3.1);
 *   <li>a line that is not {@code token *WSP ":"} is skipped and counted in {@link
 *       #malformedLines()};
 *   <li>a missing empty line is reported by {@link #hasHeaderEnd()}, not by an exception.
 * </ul>
 *
 * <p>An index shares the scanned array (see {@link #bytes()}); apart from the lazily decoded start
 * line it is immutable, and safe to read from any thread once safely published.
 */
public final class HeaderIndex {

  private final byte[] bytes;
  private final int startLineStart;
  private final int startLineEnd;
  private final int headersStart;
  private final List<HeaderLine> headers;
  private final int malformedLines;
  private final int headerEnd;
  private final int bodyOffset;
  private final boolean hasHeaderEnd;
  private final boolean looksLikeRequest;
  private final boolean looksLikeResponse;
  private String startLine;

  private HeaderIndex(
      byte[] bytes,
      int startLineStart,
      int startLineEnd,
      int headersStart,
      List<HeaderLine> headers,
      int malformedLines,
      int headerEnd,
      int bodyOffset,
      boolean hasHeaderEnd) {
    this.bytes = bytes;
    this.startLineStart = startLineStart;
    this.startLineEnd = startLineEnd;
    this.headersStart = headersStart;
    this.headers = Collections.unmodifiableList(headers);
    this.malformedLines = malformedLines;
    this.headerEnd = headerEnd;
    this.bodyOffset = bodyOffset;
    this.hasHeaderEnd = hasHeaderEnd;
    this.looksLikeResponse =
        SipSyntax.startsWithIgnoreCase(bytes, startLineStart, startLineEnd, "SIP/");
    this.looksLikeRequest = !looksLikeResponse && requestLine(bytes, startLineStart, startLineEnd);
  }

  /**
   * Scans the start line and headers of one message. Never throws on bad input; the array is not
   * copied and must not be modified afterwards.
   */
  public static HeaderIndex scan(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    int n = bytes.length;
    int p = 0;
    // RFC 3261 §7.5: CRLFs before the start line are ignored (stream keep-alives).
    while (p < n && (bytes[p] == '\r' || bytes[p] == '\n')) {
      p++;
    }
    int startLineStart = p;
    int lf = SipSyntax.indexOf(bytes, (byte) '\n', p, n);
    int startLineEnd = lf < 0 ? n : contentEnd(bytes, startLineStart, lf + 1);
    int headersStart = lf < 0 ? n : lf + 1;

    List<HeaderLine> headers = new ArrayList<>(20);
    int malformed = 0;
    int headerEnd = n;
    int bodyOffset = n;
    boolean hasHeaderEnd = false;
    p = headersStart;
    while (p < n) {
      byte b = bytes[p];
      if (b == '\n' || (b == '\r' && p + 1 < n && bytes[p + 1] == '\n')) {
        headerEnd = p;
        bodyOffset = b == '\n' ? p + 1 : p + 2;
        hasHeaderEnd = true;
        break;
      }
      int lineStart = p;
      int lineEnd = logicalLineEnd(bytes, p, n);
      int contentEnd = contentEnd(bytes, lineStart, lineEnd);
      p = lineEnd;

      int q = lineStart;
      int hash = 0;
      while (q < contentEnd && SipSyntax.isToken(bytes[q])) {
        hash = HeaderNames.step(hash, bytes[q]);
        q++;
      }
      int nameEnd = q;
      while (q < contentEnd && SipSyntax.isWsp(bytes[q])) {
        q++;
      }
      if (nameEnd == lineStart || q == contentEnd || bytes[q] != ':') {
        malformed++;
        continue;
      }
      int valueStart = SipSyntax.skipLws(bytes, q + 1, contentEnd);
      int valueEnd = SipSyntax.trimLwsEnd(bytes, valueStart, contentEnd);
      String name = HeaderNames.canonical(bytes, lineStart, nameEnd, hash);
      headers.add(new HeaderLine(name, lineStart, valueStart, valueEnd, lineEnd));
    }
    return new HeaderIndex(
        bytes,
        startLineStart,
        startLineEnd,
        headersStart,
        headers,
        malformed,
        headerEnd,
        bodyOffset,
        hasHeaderEnd);
  }

  /** The index just past the LF ending the line at {@code from} and its folded continuations. */
  private static int logicalLineEnd(byte[] b, int from, int n) {
    int p = from;
    while (true) {
      int lf = SipSyntax.indexOf(b, (byte) '\n', p, n);
      if (lf < 0) {
        return n;
      }
      p = lf + 1;
      if (p >= n || !SipSyntax.isWsp(b[p])) {
        return p;
      }
    }
  }

  /** The end of a line's content: {@code lineEnd} without its trailing LF or CRLF. */
  static int contentEnd(byte[] b, int lineStart, int lineEnd) {
    int e = lineEnd;
    if (e > lineStart && b[e - 1] == '\n') {
      e--;
      if (e > lineStart && b[e - 1] == '\r') {
        e--;
      }
    }
    return e;
  }

  /** {@code token SP ... SP "SIP/"...}; extra spaces are tolerated here (RFC 4475 §3.1.2.9). */
  private static boolean requestLine(byte[] b, int from, int to) {
    int p = from;
    while (p < to && SipSyntax.isToken(b[p])) {
      p++;
    }
    if (p == from || p == to || b[p] != ' ') {
      return false;
    }
    for (int i = p + 1; i < to - 4; i++) {
      if (b[i] == ' ' && i > p + 1 && SipSyntax.startsWithIgnoreCase(b, i + 1, to, "SIP/")) {
        return true;
      }
    }
    return false;
  }

  /** The scanned message itself, not a copy. */
  public byte[] bytes() {
    return bytes;
  }

  /** The start line without its line end, decoded as UTF-8. */
  public String startLine() {
    String s = startLine;
    if (s == null) {
      s = new String(bytes, startLineStart, startLineEnd - startLineStart, StandardCharsets.UTF_8);
      startLine = s;
    }
    return s;
  }

  /** The start line reads {@code METHOD SP Request-URI SP SIP/...}. */
  public boolean looksLikeRequest() {
    return looksLikeRequest;
  }

  /** The start line begins with {@code SIP/}. */
  public boolean looksLikeResponse() {
    return looksLikeResponse;
  }

  /** The well-formed header lines, in message order. */
  public List<HeaderLine> headers() {
    return headers;
  }

  /** How many lines of the header section were skipped because they are not headers. */
  public int malformedLines() {
    return malformedLines;
  }

  /**
   * The index just past the empty line ending the headers; the message length when there is none.
   */
  public int bodyOffset() {
    return bodyOffset;
  }

  /** Whether the empty line ending the header section is present. */
  public boolean hasHeaderEnd() {
    return hasHeaderEnd;
  }

  /**
   * The value of {@code line}, decoded as UTF-8 (invalid sequences become U+FFFD), trimmed, with
   * each fold (white space, line end, white space) replaced by one space.
   */
  public String value(HeaderLine line) {
    int from = line.valueStart();
    int to = line.valueEnd();
    if (to > bytes.length) {
      throw new IllegalArgumentException("line is not from this message: " + line);
    }
    if (SipSyntax.indexOf(bytes, (byte) '\n', from, to) < 0
        && SipSyntax.indexOf(bytes, (byte) '\r', from, to) < 0) {
      return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
    byte[] unfolded = new byte[to - from];
    int length = 0;
    int p = from;
    while (p < to) {
      byte b = bytes[p];
      if (b == '\r' || b == '\n') {
        while (length > 0 && SipSyntax.isWsp(unfolded[length - 1])) {
          length--;
        }
        p = SipSyntax.skipLws(bytes, p, to);
        unfolded[length++] = ' ';
      } else {
        unfolded[length++] = b;
        p++;
      }
    }
    return new String(unfolded, 0, length, StandardCharsets.UTF_8);
  }

  /** The first header line named {@code name} (case-insensitive; compact forms resolved). */
  public Optional<HeaderLine> first(String name) {
    String canonical = HeaderNames.canonical(name);
    for (HeaderLine line : headers) {
      if (line.is(canonical)) {
        return Optional.of(line);
      }
    }
    return Optional.empty();
  }

  /** Every header line named {@code name} (case-insensitive; compact forms resolved), in order. */
  public List<HeaderLine> all(String name) {
    String canonical = HeaderNames.canonical(name);
    List<HeaderLine> found = new ArrayList<>(2);
    for (HeaderLine line : headers) {
      if (line.is(canonical)) {
        found.add(line);
      }
    }
    return found;
  }

  /**
   * The URI of every entry of every line of the name-addr / addr-spec header {@code name} (From,
   * To, P-Asserted-Identity, ...), in message order. Entries that hold no {@code scheme:} URI, or
   * an unclosed {@code <}, are left out.
   */
  public List<HeaderUri> uris(String name) {
    String canonical = HeaderNames.canonical(name);
    List<HeaderUri> uris = new ArrayList<>(2);
    for (HeaderLine line : headers) {
      if (line.is(canonical)) {
        List<UriSpan> spans = UriSpan.scan(bytes, line.valueStart(), line.valueEnd());
        for (int entry = 0; entry < spans.size(); entry++) {
          UriSpan span = spans.get(entry);
          String uri =
              new String(
                  bytes, span.uriStart(), span.uriEnd() - span.uriStart(), StandardCharsets.UTF_8);
          uris.add(new HeaderUri(line, entry, span.scheme(), uri));
        }
      }
    }
    return uris;
  }

  HeaderLine firstOrNull(String canonicalName) {
    for (HeaderLine line : headers) {
      if (line.is(canonicalName)) {
        return line;
      }
    }
    return null;
  }

  /** The index just past the start line's line end: where the header section begins. */
  int headersStart() {
    return headersStart;
  }

  /** The index of the empty line ending the headers; the message length when there is none. */
  int headerEnd() {
    return headerEnd;
  }

  int startLineStart() {
    return startLineStart;
  }

  /** The line end this message uses: bare LF when its start line ends with one, else CRLF. */
  byte[] lineTerminator() {
    boolean bareLf =
        startLineEnd < bytes.length && bytes[startLineEnd] == '\n' && headersStart > startLineEnd;
    return bareLf ? LF : CRLF;
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LF = {'\n'};

  /** Whether {@code line} was produced by scanning this message. */
  boolean contains(HeaderLine line) {
    for (HeaderLine h : headers) {
      if (h == line || h.equals(line)) {
        return true;
      }
    }
    return false;
  }
}
