package org.sipsentry.sip.wire;

import java.util.Objects;

/**
 * One URI of a name-addr / addr-spec header (From, To, P-Asserted-Identity, ...), as {@link
 * HeaderIndex#uris} finds it: enough to point {@link MessageEditor#setUriParameter} at it.
 *
 * @param line the header line it is on
 * @param entry its place among the comma-separated entries of that line, 0 for the first
 * @param scheme the URI scheme in lower case, e.g. {@code sip} or {@code tel}
 * @param uri the URI as received, without the enclosing {@code <>}
 */
public record HeaderUri(HeaderLine line, int entry, String scheme, String uri) {

  public HeaderUri {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(uri, "uri");
    if (entry < 0) {
      throw new IllegalArgumentException("entry " + entry + " is negative");
    }
  }
}
