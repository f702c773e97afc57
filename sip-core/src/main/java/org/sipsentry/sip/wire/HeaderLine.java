package org.sipsentry.sip.wire;

import java.util.Objects;

/**
 * One header line as found in the bytes of a message, possibly folded over several physical lines.
 *
 * @param name the canonical long name: compact forms expanded ({@code v} is {@code Via}, {@code y}
 *     is {@code Identity}, {@code x} is {@code Session-Expires}), known names spelled as in their
 *     RFCs ({@code Call-ID}, {@code CSeq}, {@code P-Asserted-Identity}), other names as received
 * @param lineStart index of the first byte of the name
 * @param valueStart index of the first byte of the value, after the colon and any white space;
 *     equal to {@code valueEnd} when the value is empty
 * @param valueEnd index just past the last non-white-space byte of the value
 * @param lineEnd index just past the CRLF (or LF) that ends the header, or the message length when
 *     the last line has no line end
 */
public record HeaderLine(String name, int lineStart, int valueStart, int valueEnd, int lineEnd) {

  public HeaderLine {
    Objects.requireNonNull(name, "name");
    if (lineStart < 0 || valueStart < lineStart || valueEnd < valueStart || lineEnd < valueEnd) {
      throw new IllegalArgumentException(
          "offsets out of order: lineStart="
              + lineStart
              + " valueStart="
              + valueStart
              + " valueEnd="
              + valueEnd
              + " lineEnd="
              + lineEnd);
    }
  }

  /** Whether this line is the header {@code canonicalName} (case-insensitive). */
  boolean is(String canonicalName) {
    // Known names are shared constants: the identity check settles most comparisons.
    return name == canonicalName || name.equalsIgnoreCase(canonicalName);
  }
}
