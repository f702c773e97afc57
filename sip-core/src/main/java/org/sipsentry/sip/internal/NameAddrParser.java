package org.sipsentry.sip.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sipsentry.sip.NameAddress;

/**
 * Reads the name-addr / addr-spec values of From, To, P-Asserted-Identity and P-Preferred-Identity
 * (RFC 3261 §20.20, §20.39, §25.1; RFC 3325 §9.1) from the text as received, so that {@link
 * NameAddress#uri()} is what the peer sent and not JAIN-SIP's re-serialisation.
 *
 * <p>It runs after JAIN-SIP accepted the header field and adds two checks JAIN-SIP is liberal
 * about, both from RFC 4475: no whitespace inside {@code <>} (§3.1.2.14) and no separator
 * characters in an unquoted display name (§3.1.2.15). Any value it cannot read yields {@code null}:
 * the caller treats the header field as malformed.
 */
public final class NameAddrParser {

  private NameAddrParser() {}

  /** Reads a From or To value: exactly one entry; {@code null} when malformed. */
  public static NameAddress parseOne(String value) {
    List<String> entries = splitEntries(value);
    return entries == null || entries.size() != 1 ? null : parseEntry(entries.get(0));
  }

  /** Reads a comma-separated list of entries; {@code null} when any entry is malformed. */
  public static List<NameAddress> parseList(String value) {
    List<String> entries = splitEntries(value);
    if (entries == null) {
      return null;
    }
    List<NameAddress> addresses = new ArrayList<>(entries.size());
    for (String entry : entries) {
      NameAddress address = parseEntry(entry);
      if (address == null) {
        return null;
      }
      addresses.add(address);
    }
    return addresses;
  }

  /** Splits at commas outside quoted strings and {@code <>}; {@code null} when unbalanced. */
  private static List<String> splitEntries(String value) {
    List<String> entries = new ArrayList<>(2);
    boolean quoted = false;
    boolean bracketed = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (bracketed) {
        if (c == '>') {
          bracketed = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '<') {
        bracketed = true;
      } else if (c == ',') {
        entries.add(value.substring(start, i));
        start = i + 1;
      }
    }
    if (quoted || bracketed) {
      return null;
    }
    entries.add(value.substring(start));
    return entries;
  }

  private static NameAddress parseEntry(String text) {
    String entry = text.trim();
    if (entry.isEmpty()) {
      return null;
    }
    String displayName;
    String uri;
    int paramsStart;
    if (entry.charAt(0) == '"' || entry.indexOf('<') >= 0) {
      int open;
      if (entry.charAt(0) == '"') {
        StringBuilder unquoted = new StringBuilder();
        int close = readQuotedString(entry, unquoted);
        if (close < 0) {
          return null;
        }
        displayName = unquoted.toString();
        open = skipWhitespace(entry, close + 1);
      } else {
        open = entry.indexOf('<');
        displayName = entry.substring(0, open).trim();
        if (!isTokenSequence(displayName)) {
          return null;
        }
      }
      if (open >= entry.length() || entry.charAt(open) != '<') {
        return null;
      }
      int close = entry.indexOf('>', open + 1);
      if (close < 0) {
        return null;
      }
      uri = entry.substring(open + 1, close);
      if (uri.isEmpty()
          || Character.isWhitespace(uri.charAt(0))
          || Character.isWhitespace(uri.charAt(uri.length() - 1))) {
        return null;
      }
      paramsStart = skipWhitespace(entry, close + 1);
      if (paramsStart < entry.length() && entry.charAt(paramsStart) != ';') {
        return null;
      }
    } else {
      // addr-spec form: everything after the first ';' is a header parameter (RFC 3261 §20.10).
      displayName = "";
      int semicolon = entry.indexOf(';');
      paramsStart = semicolon < 0 ? entry.length() : semicolon;
      uri = entry.substring(0, paramsStart).trim();
      for (int i = 0; i < uri.length(); i++) {
        char c = uri.charAt(i);
        if (c <= ' ' || c == '>' || c == '"' || c == '?') {
          return null;
        }
      }
    }
    String tag = headerParameter(entry, paramsStart, "tag");
    return tag == null ? null : toNameAddress(displayName, uri, tag);
  }

  /** Reads a quoted-string at 0, unescaping quoted-pairs; returns the closing quote's index. */
  private static int readQuotedString(String text, StringBuilder unquoted) {
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (++i == text.length()) {
          return -1;
        }
        unquoted.append(text.charAt(i));
      } else if (c == '"') {
        return i;
      } else {
        unquoted.append(c);
      }
    }
    return -1;
  }

  /**
   * An unquoted display-name is {@code *(token LWS)} (RFC 3261 §25.1). We accept non-ASCII
   * characters as well (carriers send UTF-8 names unquoted) but no ASCII separator such as {@code
   * ,} or {@code ;}, which would change how the header field splits.
   */
  private static boolean isTokenSequence(String displayName) {
    for (int i = 0; i < displayName.length(); i++) {
      char c = displayName.charAt(i);
      if (c != ' ' && c != '\t' && c < 128 && !HeaderSection.isTokenChar(c)) {
        return false;
      }
    }
    return true;
  }

  private static int skipWhitespace(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * The value of one header parameter, {@code ""} when absent; {@code null} when the parameters are
   * malformed (an unterminated quoted value).
   */
  private static String headerParameter(String entry, int from, String wanted) {
    String found = "";
    int i = from;
    while (i < entry.length()) {
      // entry.charAt(i) is ';'
      int start = i + 1;
      int end = start;
      boolean quoted = false;
      while (end < entry.length() && (quoted || entry.charAt(end) != ';')) {
        char c = entry.charAt(end);
        if (c == '\\' && quoted) {
          end++;
        } else if (c == '"') {
          quoted = !quoted;
        }
        end++;
      }
      if (quoted) {
        return null;
      }
      String param = entry.substring(start, Math.min(end, entry.length()));
      int equals = param.indexOf('=');
      String name = (equals < 0 ? param : param.substring(0, equals)).trim();
      if (found.isEmpty() && name.equalsIgnoreCase(wanted) && equals >= 0) {
        found = param.substring(equals + 1).trim();
      }
      i = end;
    }
    return found;
  }

  private static NameAddress toNameAddress(String displayName, String uri, String tag) {
    int colon = uri.indexOf(':');
    if (colon <= 0 || !Character.isLetter(uri.charAt(0))) {
      return null;
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    for (int i = 1; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.') {
        return null;
      }
    }
    String rest = uri.substring(colon + 1);
    String user = "";
    String host = "";
    Map<String, String> parameters = Map.of();
    switch (scheme) {
      case "sip", "sips" -> {
        // RFC 3261 §19.1.1: sip:user:password@host:port;uri-parameters?headers. The user part
        // may itself contain ';' and '?' (RFC 4475 §3.1.1.9), so find '@' first.
        int at = rest.indexOf('@');
        String hostPart = rest;
        if (at >= 0) {
          String userInfo = rest.substring(0, at);
          int password = userInfo.indexOf(':');
          user = unescape(password < 0 ? userInfo : userInfo.substring(0, password));
          hostPart = rest.substring(at + 1);
        }
        int question = hostPart.indexOf('?');
        if (question >= 0) {
          hostPart = hostPart.substring(0, question);
        }
        int semicolon = hostPart.indexOf(';');
        String hostPort = semicolon < 0 ? hostPart : hostPart.substring(0, semicolon);
        if (semicolon >= 0) {
          parameters = uriParameters(hostPart.substring(semicolon + 1));
        }
        host = hostOf(hostPort);
        if (host.isEmpty()) {
          return null;
        }
      }
      case "tel" -> {
        // RFC 3966 §3: tel:number;par; the number keeps its '+' and visual separators.
        int semicolon = rest.indexOf(';');
        user = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (semicolon >= 0) {
          parameters = uriParameters(rest.substring(semicolon + 1));
        }
        if (user.isEmpty()) {
          return null;
        }
      }
      default -> {
        // Another scheme (RFC 4475 §3.3.4: http:, isbn:): kept as an opaque URI.
      }
    }
    return new NameAddress(displayName, uri, scheme, user, host, parameters, tag);
  }

  private static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close < 0 ? "" : hostPort.substring(0, close + 1);
    }
    int colon = hostPort.indexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  /** Parameter names in lower case (they compare case-insensitively); values as received. */
  private static Map<String, String> uriParameters(String text) {
    Map<String, String> parameters = new HashMap<>();
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf(';', start);
      if (end < 0) {
        end = text.length();
      }
      String param = text.substring(start, end);
      if (!param.isEmpty()) {
        int equals = param.indexOf('=');
        String name = (equals < 0 ? param : param.substring(0, equals)).toLowerCase(Locale.ROOT);
        parameters.putIfAbsent(name, equals < 0 ? "" : param.substring(equals + 1));
      }
      start = end + 1;
    }
    return parameters;
  }

  /**
   * Decodes {@code %HH} escapes (RFC 3261 §19.1.4: a user part compares unescaped) as UTF-8; a
   * {@code %} not followed by two hex digits stays as it is (RFC 4475 §3.1.1.5).
   */
  static String unescape(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(text.length());
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
        decoded.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
        i += 2;
      } else {
        decoded.write(raw[i]);
      }
    }
    return decoded.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
