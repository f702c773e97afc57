package org.sipsentry.sip.stir;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One Identity header field value (RFC 8224 §4): a JWS in full ({@code h.p.s}) or compact ({@code
 * h..s}, RFC 8225 §7) serialisation, followed by its parameters.
 *
 * <pre>
 * Identity = "Identity" HCOLON signed-identity-digest SEMI ident-info *( SEMI ident-info-params )
 * ident-info = "info" EQUAL ident-info-uri           ; ident-info-uri = LAQUOT absoluteURI RAQUOT
 * ident-info-params = ident-info-alg / ident-type / ident-info-extension
 * </pre>
 *
 * @param header the base64url JOSE header, as received
 * @param payload the base64url claims, or {@code ""} in compact form
 * @param signature the base64url signature, as received
 * @param info the URI inside {@code <...>} of the {@code info} parameter
 * @param alg the {@code alg} parameter, or {@code ""} when absent (RFC 8224 §4.1: ES256 implied)
 * @param ppt the {@code ppt} parameter without quotes, or {@code ""} when absent
 * @param extensions other parameters, names in lower case, in received order; a parameter without a
 *     value maps to {@code ""}
 */
public record IdentityHeader(
    String header,
    String payload,
    String signature,
    String info,
    String alg,
    String ppt,
    Map<String, String> extensions) {

  /**
   * RFC 8224 sets no limit. A SHAKEN Identity header is 400–800 bytes and one carrying rich call
   * data (RFC 9795) a few KB; 8 KB bounds the work spent on one header.
   */
  public static final int MAX_LENGTH = 8 * 1024;

  /**
   * RFC 8946 §2: one {@code ppt=shaken} header plus at most five {@code ppt=div} headers (one per
   * retargeting); more is abuse.
   */
  public static final int MAX_HEADERS = 6;

  /** The only algorithm SHAKEN allows (RFC 8588 §4). */
  public static final String ES256 = "ES256";

  /** Longest slice of received text quoted in a failure detail. */
  private static final int MAX_QUOTE = 40;

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  public IdentityHeader {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(ppt, "ppt");
    extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /** True for the compact form {@code h..s}, whose payload must be rebuilt from the message. */
  public boolean isCompact() {
    return payload.isEmpty();
  }

  /** The JWS as received: {@code header.payload.signature}, payload empty in compact form. */
  public String jws() {
    return header + "." + payload + "." + signature;
  }

  /**
   * Parses one Identity header field value. Never throws on bad input: a value that does not follow
   * RFC 8224 §4 yields {@link StirFailure#MALFORMED}; a missing {@code info} parameter {@link
   * StirFailure#MISSING_INFO}; an {@code alg} other than ES256 {@link StirFailure#UNSUPPORTED_ALG}.
   * Syntax is checked first.
   */
  public static StirResult<IdentityHeader> parse(String value) {
    Objects.requireNonNull(value, "value");
    if (value.length() > MAX_LENGTH) {
      return malformed("longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 || c > 0x7e) && c != '\t') {
        return malformed("character 0x" + Integer.toHexString(c) + " at " + i);
      }
    }
    int semicolon = value.indexOf(';');
    if (semicolon < 0) {
      return malformed("no parameters (no ';' after the JWS)");
    }
    String jws = value.substring(0, semicolon).strip();
    int dot1 = jws.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : jws.indexOf('.', dot1 + 1);
    if (dot2 < 0 || jws.indexOf('.', dot2 + 1) >= 0) {
      return malformed("JWS is not header.payload.signature: " + quote(jws));
    }
    String header = jws.substring(0, dot1);
    String payload = jws.substring(dot1 + 1, dot2);
    String signature = jws.substring(dot2 + 1);
    if (header.isEmpty() || signature.isEmpty()) {
      return malformed("JWS has an empty " + (header.isEmpty() ? "header" : "signature"));
    }
    for (String part : List.of(header, payload, signature)) {
      if (!part.isEmpty() && !isBase64Url(part)) {
        return malformed("JWS part is not base64url: " + quote(part));
      }
    }
    Params params = new Params(value, semicolon + 1);
    Map<String, String> all = new LinkedHashMap<>();
    String error = params.parseInto(all);
    if (error != null) {
      return malformed(error);
    }
    String info = all.remove("info");
    String alg = all.remove("alg");
    String ppt = all.remove("ppt");
    if (info == null) {
      return StirResult.failed(StirFailure.MISSING_INFO, "no info parameter");
    }
    if (alg != null && !ES256.equals(alg)) {
      return StirResult.failed(StirFailure.UNSUPPORTED_ALG, "alg=" + quote(alg));
    }
    return StirResult.ok(
        new IdentityHeader(
            header, payload, signature, info, alg == null ? "" : alg, ppt == null ? "" : ppt, all));
  }

  /**
   * Picks the SHAKEN header from all Identity header values of a request (RFC 8946: one {@code
   * ppt=shaken} plus {@code ppt=div} headers; headers with another {@code ppt} are ignored).
   *
   * <ul>
   *   <li>no value: {@link StirFailure#NO_IDENTITY};
   *   <li>more than {@link #MAX_HEADERS}, or two {@code ppt=shaken}: {@link StirFailure#MALFORMED};
   *   <li>exactly one parses with {@code ppt=shaken}: that one, whatever the others are;
   *   <li>none does, but one failed to parse: the first such failure (its ppt cannot be trusted);
   *   <li>otherwise: {@link StirFailure#WRONG_PPT} (no ppt, or only div/unknown ppt).
   * </ul>
   */
  public static StirResult<IdentityHeader> selectShaken(List<String> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      return StirResult.failed(StirFailure.NO_IDENTITY, "no Identity header");
    }
    if (values.size() > MAX_HEADERS) {
      return malformed(values.size() + " Identity headers, at most " + MAX_HEADERS);
    }
    List<IdentityHeader> shaken = new ArrayList<>(1);
    StirResult.Failed<IdentityHeader> firstFailure = null;
    String otherPpt = null;
    for (String value : values) {
      StirResult<IdentityHeader> result = parse(value);
      if (result instanceof StirResult.Ok<IdentityHeader> ok) {
        if ("shaken".equals(ok.value().ppt())) {
          shaken.add(ok.value());
        } else if (otherPpt == null) {
          otherPpt = ok.value().ppt();
        }
      } else if (firstFailure == null) {
        firstFailure = (StirResult.Failed<IdentityHeader>) result;
      }
    }
    if (shaken.size() > 1) {
      return malformed(shaken.size() + " Identity headers with ppt=shaken");
    }
    if (shaken.size() == 1) {
      return StirResult.ok(shaken.get(0));
    }
    if (firstFailure != null) {
      return firstFailure;
    }
    return StirResult.failed(
        StirFailure.WRONG_PPT,
        otherPpt.isEmpty() ? "no ppt parameter" : "ppt=" + quote(otherPpt) + ", no ppt=shaken");
  }

  static boolean isBase64Url(String s) {
    if (s.length() % 4 == 1) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Decodes a part already checked by {@link #isBase64Url}. */
  static byte[] decode(String base64url) {
    return BASE64URL.decode(base64url);
  }

  /** Received text for a log detail: printable ASCII, shortened. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_QUOTE) + 5);
    out.append('\'');
    for (int i = 0; i < s.length() && i < MAX_QUOTE; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > MAX_QUOTE) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  private static StirResult<IdentityHeader> malformed(String detail) {
    return StirResult.failed(StirFailure.MALFORMED, detail);
  }

  /**
   * A cursor over {@code *( SEMI generic-param )} (RFC 3261 §25.1), where SEMI and EQUAL allow
   * whitespace around them and {@code info}'s value is {@code <absoluteURI>}.
   */
  private static final class Params {
    private final String s;
    private int i;

    Params(String s, int start) {
      this.s = s;
      this.i = start;
    }

    /** Fills {@code into}; returns an error detail, or null when the whole rest parsed. */
    String parseInto(Map<String, String> into) {
      while (true) {
        skipWhitespace();
        int nameStart = i;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
          i++;
        }
        if (i == nameStart) {
          return i == s.length()
              ? "empty parameter at the end"
              : "expected a parameter name at " + quote(s.substring(i));
        }
        String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
        skipWhitespace();
        String value = "";
        if (i < s.length() && s.charAt(i) == '=') {
          i++;
          skipWhitespace();
          value = "info".equals(name) ? uri() : value();
          if (value == null) {
            return "bad value of parameter "
                + name
                + ": "
                + quote(s.substring(Math.min(i, s.length())));
          }
        } else if ("info".equals(name) || "alg".equals(name) || "ppt".equals(name)) {
          return "parameter " + name + " without a value";
        }
        if (into.putIfAbsent(name, value) != null) {
          return "duplicate parameter " + name;
        }
        skipWhitespace();
        if (i == s.length()) {
          return null;
        }
        if (s.charAt(i) != ';') {
          return "junk after parameter " + name + ": " + quote(s.substring(i));
        }
        i++;
      }
    }

    private String uri() {
      if (i >= s.length() || s.charAt(i) != '<') {
        return null;
      }
      int close = s.indexOf('>', i + 1);
      if (close < 0) {
        return null;
      }
      String uri = s.substring(i + 1, close);
      if (uri.isEmpty() || uri.indexOf(':') <= 0) {
        return null;
      }
      for (int k = 0; k < uri.length(); k++) {
        char c = uri.charAt(k);
        if (c == '<' || c == ' ' || c == '\t' || c == '"') {
          return null;
        }
      }
      i = close + 1;
      return uri;
    }

    /** gen-value = token / host / quoted-string; quotes are removed. */
    private String value() {
      if (i < s.length() && s.charAt(i) == '"') {
        StringBuilder out = new StringBuilder();
        i++;
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '"') {
            return out.length() == 0 ? null : out.toString();
          }
          if (c == '\\') {
            if (i == s.length()) {
              return null;
            }
            c = s.charAt(i++);
          }
          out.append(c);
        }
        return null;
      }
      int start = i;
      while (i < s.length() && (isTokenChar(s.charAt(i)) || isHostChar(s.charAt(i)))) {
        i++;
      }
      return i == start ? null : s.substring(start, i);
    }

    private void skipWhitespace() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    /** RFC 3261 §25.1 token. */
    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** The extra characters of host (IPv6 references) allowed in gen-value. */
    private static boolean isHostChar(char c) {
      return c == ':' || c == '[' || c == ']';
    }
  }
}
