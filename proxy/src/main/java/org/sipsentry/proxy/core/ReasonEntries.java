package org.sipsentry.proxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comma-separated entries of a Reason header value (RFC 3326 §2: {@code Reason = "Reason"
 * HCOLON reason-value *(COMMA reason-value)}, {@code reason-value = protocol *(SEMI
 * reason-params)}), split outside quoted strings so that a comma in {@code text="..."} stays put.
 */
final class ReasonEntries {

  private ReasonEntries() {}

  /** The entries of {@code value}, each stripped of surrounding whitespace; empty ones dropped. */
  static List<String> split(String value) {
    List<String> entries = new ArrayList<>(2);
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\') {
        i++; // quoted-pair: the next character is literal
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        add(entries, value.substring(start, i));
        start = i + 1;
      }
    }
    add(entries, value.substring(start));
    return entries;
  }

  /** Whether the entry's protocol is {@code STIR} (RFC 9410 §3), case-insensitively. */
  static boolean isStir(String entry) {
    int semicolon = entry.indexOf(';');
    String protocol = (semicolon < 0 ? entry : entry.substring(0, semicolon)).strip();
    return protocol.toUpperCase(Locale.ROOT).equals("STIR");
  }

  private static void add(List<String> entries, String entry) {
    String stripped = entry.strip();
    if (!stripped.isEmpty()) {
      entries.add(stripped);
    }
  }
}
