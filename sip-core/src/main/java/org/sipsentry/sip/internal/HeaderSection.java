package org.sipsentry.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The start line and header fields of one SIP message, located in a single pass over the bytes
 * without interpreting any value (RFC 3261 §7). Used to enforce limits and catch framing defects
 * before the bytes reach JAIN-SIP, and to read header values exactly as received.
 *
 * <p>Lines end with CRLF or a bare LF; a bare CR, a whitespace-only line or a line without a colon
 * inside the header section is a defect, because JAIN-SIP would split or end the header section
 * there and see different header fields than we do.
 */
public final class HeaderSection {

  /** Why the scan stopped; {@link #NONE} for a well-formed header section. */
  public enum Problem {
    NONE,
    TOO_MANY_HEADERS,
    MALFORMED_START_LINE,
    MALFORMED_HEADER
  }

  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c : "-.!%*_+`'~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private final byte[] bytes;
  private int startLineStart;
  private int startLineEnd;
  private int count;
  private String[] names = new String[24];
  private int[] lineStarts = new int[24];
  private int[] valueStarts = new int[24];
  private int[] valueEnds = new int[24];
  private boolean[] folded = new boolean[24];
  private int end = -1;
  private Problem problem = Problem.NONE;
  private String problemDetail = "";

  private HeaderSection(byte[] bytes) {
    this.bytes = bytes;
  }

  /** True for the token characters of RFC 3261 §25.1. */
  public static boolean isTokenChar(char c) {
    return c < 128 && TOKEN[c];
  }

  /** True when the input holds nothing but SP, HTAB, CR and LF (e.g. a CRLF keep-alive). */
  public static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * Locates the start line and header fields; stops at the first problem.
   *
   * @param bytes a non-blank message
   * @param maxHeaders the most header fields allowed
   */
  public static HeaderSection scan(byte[] bytes, int maxHeaders) {
    HeaderSection section = new HeaderSection(bytes);
    section.scan(maxHeaders);
    return section;
  }

  private void scan(int maxHeaders) {
    int n = bytes.length;
    int pos = 0;
    // RFC 3261 §7.5: ignore CRLFs preceding the start line.
    while (pos < n && (bytes[pos] == '\r' || bytes[pos] == '\n')) {
      pos++;
    }
    startLineStart = pos;
    int eol = lineFeed(pos);
    startLineEnd = contentEnd(pos, eol);
    if (hasBareCr(pos, startLineEnd)) {
      fail(Problem.MALFORMED_START_LINE, "bare CR in start line");
      return;
    }
    if (eol == n) {
      return; // unterminated: no header section at all
    }
    pos = eol + 1;
    while (pos < n) {
      eol = lineFeed(pos);
      int contentEnd = contentEnd(pos, eol);
      if (contentEnd == pos) {
        end = eol == n ? n : eol + 1;
        return;
      }
      if (hasBareCr(pos, contentEnd)) {
        fail(Problem.MALFORMED_HEADER, "bare CR in header line " + (count + 1));
        return;
      }
      byte first = bytes[pos];
      if (first == ' ' || first == '\t') {
        if (count == 0) {
          fail(Problem.MALFORMED_HEADER, "continuation line after the start line");
          return;
        }
        if (isWhitespace(pos, contentEnd)) {
          fail(Problem.MALFORMED_HEADER, "whitespace-only line after header " + count);
          return;
        }
        valueEnds[count - 1] = contentEnd;
        folded[count - 1] = true;
      } else {
        if (count == maxHeaders) {
          fail(Problem.TOO_MANY_HEADERS, "more than " + maxHeaders + " header fields");
          return;
        }
        if (!addHeader(pos, contentEnd)) {
          fail(Problem.MALFORMED_HEADER, "header line " + (count + 1) + " has no name and colon");
          return;
        }
      }
      if (eol == n) {
        return; // unterminated
      }
      pos = eol + 1;
    }
  }

  private boolean addHeader(int start, int contentEnd) {
    int i = start;
    while (i < contentEnd && bytes[i] >= 0 && TOKEN[bytes[i]]) {
      i++;
    }
    int nameEnd = i;
    while (i < contentEnd && (bytes[i] == ' ' || bytes[i] == '\t')) {
      i++;
    }
    if (nameEnd == start || i == contentEnd || bytes[i] != ':') {
      return false;
    }
    if (count == names.length) {
      int grown = count * 2;
      names = Arrays.copyOf(names, grown);
      lineStarts = Arrays.copyOf(lineStarts, grown);
      valueStarts = Arrays.copyOf(valueStarts, grown);
      valueEnds = Arrays.copyOf(valueEnds, grown);
      folded = Arrays.copyOf(folded, grown);
    }
    String name = new String(bytes, start, nameEnd - start, StandardCharsets.ISO_8859_1);
    names[count] = canonicalName(name);
    lineStarts[count] = start;
    valueStarts[count] = i + 1;
    valueEnds[count] = contentEnd;
    count++;
    return true;
  }

  private int lineFeed(int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }

  /** The end of a line's content: before its LF, and before a CR preceding that LF. */
  private int contentEnd(int start, int eol) {
    return eol > start && bytes[eol - 1] == '\r' ? eol - 1 : eol;
  }

  private boolean hasBareCr(int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\r') {
        return true;
      }
    }
    return false;
  }

  private boolean isWhitespace(int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  private void fail(Problem problem, String detail) {
    this.problem = problem;
    this.problemDetail = detail;
  }

  /**
   * The lower-case full name for a header field name: compact forms (RFC 3261 §7.3.3 and the IANA
   * registry) expanded, e.g. {@code "f"} and {@code "From"} both give {@code "from"}.
   */
  public static String canonicalName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.length() != 1) {
      return lower;
    }
    return switch (lower.charAt(0)) {
      case 'a' -> "accept-contact";
      case 'b' -> "referred-by";
      case 'c' -> "content-type";
      case 'd' -> "request-disposition";
      case 'e' -> "content-encoding";
      case 'f' -> "from";
      case 'i' -> "call-id";
      case 'j' -> "reject-contact";
      case 'k' -> "supported";
      case 'l' -> "content-length";
      case 'm' -> "contact";
      case 'n' -> "identity-info";
      case 'o' -> "event";
      case 'r' -> "refer-to";
      case 's' -> "subject";
      case 't' -> "to";
      case 'u' -> "allow-events";
      case 'v' -> "via";
      case 'x' -> "session-expires";
      case 'y' -> "identity";
      default -> lower;
    };
  }

  /** The problem that stopped the scan, or {@link Problem#NONE}. */
  public Problem problem() {
    return problem;
  }

  /** A human-readable description of {@link #problem()}. */
  public String problemDetail() {
    return problemDetail;
  }

  /** True when an empty line ends the header section. */
  public boolean isTerminated() {
    return end >= 0;
  }

  /** The offset just after the empty line ending the header section, i.e. where the body starts. */
  public int end() {
    return end;
  }

  /** The start line as received, decoded as UTF-8, without its line ending. */
  public String startLine() {
    return new String(bytes, startLineStart, startLineEnd - startLineStart, StandardCharsets.UTF_8);
  }

  /** The number of header fields. */
  public int count() {
    return count;
  }

  /** The canonical name of header field {@code i} (see {@link #canonicalName}). */
  public String name(int i) {
    return names[i];
  }

  /** The index of the first header field named {@code canonicalName}, or {@code -1}. */
  public int indexOf(String canonicalName) {
    for (int i = 0; i < count; i++) {
      if (names[i].equals(canonicalName)) {
        return i;
      }
    }
    return -1;
  }

  /** The number of header fields named {@code canonicalName}. */
  public int occurrences(String canonicalName) {
    int occurrences = 0;
    for (int i = 0; i < count; i++) {
      if (names[i].equals(canonicalName)) {
        occurrences++;
      }
    }
    return occurrences;
  }

  /**
   * The value of header field {@code i} as received, decoded as UTF-8, trimmed, each line fold
   * replaced by one space (RFC 3261 §7.3.1).
   */
  public String value(int i) {
    String value =
        new String(bytes, valueStarts[i], valueEnds[i] - valueStarts[i], StandardCharsets.UTF_8);
    return folded[i] ? unfold(value) : value.trim();
  }

  /** Header field {@code i} with its name, as received (folds kept), for re-parsing it alone. */
  public String line(int i) {
    return new String(bytes, lineStarts[i], valueEnds[i] - lineStarts[i], StandardCharsets.UTF_8);
  }

  private static String unfold(String value) {
    StringBuilder unfolded = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        while (i < value.length() && value.charAt(i) <= ' ') {
          i++;
        }
        unfolded.append(' ');
      } else {
        unfolded.append(c);
        i++;
      }
    }
    return unfolded.toString().trim();
  }
}
