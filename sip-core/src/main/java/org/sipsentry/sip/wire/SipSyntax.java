package org.sipsentry.sip.wire;

/**
 * Character classes of RFC 3261 §25.1 and the few small scanners over message bytes that the header
 * index, the editor and the response builder share. All ranges are {@code [from, to)}.
 */
final class SipSyntax {

  /** {@code token} characters (RFC 3261 §25.1): alphanum and {@code -.!%*_+`'~}. */
  private static final boolean[] TOKEN = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "-.!%*_+`'~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private SipSyntax() {}

  static boolean isToken(byte b) {
    return TOKEN[b & 0xff];
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff || !TOKEN[c]) {
        return false;
      }
    }
    return true;
  }

  /** SP or HTAB. */
  static boolean isWsp(byte b) {
    return b == ' ' || b == '\t';
  }

  /** Linear white space including the line break of a folded header (RFC 3261 §7.3.1). */
  static boolean isLws(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  static int skipLws(byte[] b, int from, int to) {
    int i = from;
    while (i < to && isLws(b[i])) {
      i++;
    }
    return i;
  }

  /** The end of {@code [from, to)} with trailing linear white space cut off. */
  static int trimLwsEnd(byte[] b, int from, int to) {
    int i = to;
    while (i > from && isLws(b[i - 1])) {
      i--;
    }
    return i;
  }

  static int indexOf(byte[] b, byte target, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == target) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index just past the quoted string that opens at {@code quote} (a {@code "}), honouring
   * {@code \}-escapes; {@code to} when it is not closed.
   */
  static int skipQuoted(byte[] b, int quote, int to) {
    int i = quote + 1;
    while (i < to) {
      byte c = b[i];
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
    return to;
  }

  /**
   * The first {@code target} byte in {@code [from, to)} outside quoted strings, or -1. Used for the
   * commas separating Via values and the semicolons separating parameters.
   */
  static int indexOfUnquoted(byte[] b, byte target, int from, int to) {
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c == '"') {
        i = skipQuoted(b, i, to);
      } else if (c == target) {
        return i;
      } else {
        i++;
      }
    }
    return -1;
  }

  /** Whether {@code b[from..]} starts with the ASCII {@code prefix}, ignoring case. */
  static boolean startsWithIgnoreCase(byte[] b, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (lower(b[from + i]) != lower((byte) prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static int lower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b & 0xff;
  }

  /**
   * Finds the parameter named {@code name} (case-insensitive) among the {@code ;}-separated
   * parameters in {@code [from, to)}, where {@code from} is at or before the first {@code ;}.
   * Returns {@code {start, end}} of {@code name[=value]} with surrounding white space excluded, or
   * {@code null}.
   */
  static int[] findParameter(byte[] b, int from, int to, String name) {
    int semi = indexOfUnquoted(b, (byte) ';', from, to);
    while (semi >= 0) {
      int next = indexOfUnquoted(b, (byte) ';', semi + 1, to);
      int end = next < 0 ? to : next;
      int nameStart = skipLws(b, semi + 1, end);
      int nameEnd = nameStart;
      while (nameEnd < end && isToken(b[nameEnd])) {
        nameEnd++;
      }
      if (nameEnd - nameStart == name.length()
          && startsWithIgnoreCase(b, nameStart, nameEnd, name)) {
        return new int[] {nameStart, trimLwsEnd(b, nameStart, end)};
      }
      semi = next;
    }
    return null;
  }

  /** Throws when {@code value} could break out of its header line. */
  static String requireSingleLine(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            what + " contains CR, LF or NUL at index " + i + ": \"" + value + "\"");
      }
    }
    return value;
  }

  static String requireToken(String value, String what) {
    if (!isToken(value)) {
      throw new IllegalArgumentException(what + " is not a SIP token: \"" + value + "\"");
    }
    return value;
  }
}
