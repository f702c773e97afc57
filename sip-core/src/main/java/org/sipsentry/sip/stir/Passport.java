package org.sipsentry.sip.stir;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A decoded PASSporT (RFC 8225) with the SHAKEN extension (RFC 8588): its JOSE header, its claims,
 * and the exact bytes that were signed.
 *
 * <p>Decoding checks JSON syntax and types only (a claim of the wrong JSON type, such as {@code
 * orig} as a string, is {@link StirFailure#MALFORMED}); whether the values are acceptable is {@link
 * StirVerifier}'s decision.
 *
 * @param header the JOSE header
 * @param claims the claims
 * @param signingInput {@code base64url(header) "." base64url(payload)} exactly as received (or
 *     reconstructed, in compact form): the JWS Signing Input of RFC 7515 §5.1
 * @param signature the base64url signature as received
 */
public record Passport(Header header, Claims claims, String signingInput, String signature) {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  public Passport {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(signingInput, "signingInput");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * The JOSE header (RFC 8225 §3, RFC 8588 §4). Absent members are {@code ""}.
   *
   * @param alg the signature algorithm, {@code ES256} for SHAKEN
   * @param typ the token type, {@code passport}
   * @param ppt the PASSporT extension, {@code shaken} or {@code div}
   * @param x5u the URL of the signer's certificate
   */
  public record Header(String alg, String typ, String ppt, String x5u) {
    public Header {
      Objects.requireNonNull(alg, "alg");
      Objects.requireNonNull(typ, "typ");
      Objects.requireNonNull(ppt, "ppt");
      Objects.requireNonNull(x5u, "x5u");
    }

    /** Decodes a base64url JOSE header; {@link StirFailure#MALFORMED} on bad JSON or types. */
    public static StirResult<Header> decode(String base64url) {
      StirResult<JsonNode> json = readObject(base64url, "JOSE header");
      if (!(json instanceof StirResult.Ok<JsonNode> ok)) {
        return ((StirResult.Failed<JsonNode>) json).retype();
      }
      JsonNode node = ok.value();
      try {
        return StirResult.ok(
            new Header(
                text(node, "alg", "header"),
                text(node, "typ", "header"),
                text(node, "ppt", "header"),
                text(node, "x5u", "header")));
      } catch (WrongType e) {
        return StirResult.failed(StirFailure.MALFORMED, e.getMessage());
      }
    }
  }

  /**
   * The claims (RFC 8225 §5, RFC 8588 §4, RFC 8946 for {@code div}). Absent strings are {@code ""}.
   *
   * @param attest the {@code attest} claim as received (validated by the verifier)
   * @param origTn {@code orig.tn}, as received
   * @param origUri {@code orig.uri}, as received
   * @param destTn {@code dest.tn[]}, as received
   * @param destUri {@code dest.uri[]}, as received
   * @param iat issued-at, seconds since the epoch
   * @param origid the origination identifier
   * @param divTn {@code div.tn} of a {@code ppt=div} PASSporT (RFC 8946 §3)
   * @param rcd the rich call data claim (RFC 9795), when present; not required
   */
  public record Claims(
      String attest,
      String origTn,
      String origUri,
      List<String> destTn,
      List<String> destUri,
      long iat,
      String origid,
      String divTn,
      Optional<Rcd> rcd) {
    public Claims {
      Objects.requireNonNull(attest, "attest");
      Objects.requireNonNull(origTn, "origTn");
      Objects.requireNonNull(origUri, "origUri");
      destTn = List.copyOf(destTn);
      destUri = List.copyOf(destUri);
      Objects.requireNonNull(origid, "origid");
      Objects.requireNonNull(divTn, "divTn");
      Objects.requireNonNull(rcd, "rcd");
    }

    /**
     * Decodes base64url claims. {@code orig}, {@code dest} and {@code iat} are mandatory (RFC 8225
     * §5); every known claim must have its JSON type; {@link StirFailure#MALFORMED} otherwise.
     */
    public static StirResult<Claims> decode(String base64url) {
      StirResult<JsonNode> json = readObject(base64url, "claims");
      if (!(json instanceof StirResult.Ok<JsonNode> ok)) {
        return ((StirResult.Failed<JsonNode>) json).retype();
      }
      JsonNode node = ok.value();
      try {
        JsonNode orig = object(node, "orig");
        JsonNode dest = object(node, "dest");
        JsonNode iat = node.get("iat");
        if (orig == null || dest == null || iat == null) {
          return StirResult.failed(
              StirFailure.MALFORMED,
              "claims lack " + (orig == null ? "orig" : dest == null ? "dest" : "iat"));
        }
        // An iat past Instant.MAX would make the freshness check throw: refuse it here.
        if (!iat.isIntegralNumber()
            || !iat.canConvertToLong()
            || iat.longValue() < 0
            || iat.longValue() > Instant.MAX.getEpochSecond()) {
          return StirResult.failed(
              StirFailure.MALFORMED, "iat is not a NumericDate: " + iat.getNodeType());
        }
        JsonNode div = object(node, "div");
        JsonNode rcdNode = object(node, "rcd");
        Optional<Rcd> rcd =
            rcdNode == null
                ? Optional.empty()
                : Optional.of(
                    new Rcd(text(rcdNode, "nam", "rcd"), JSON.writeValueAsString(sorted(rcdNode))));
        return StirResult.ok(
            new Claims(
                text(node, "attest", "claims"),
                text(orig, "tn", "orig"),
                text(orig, "uri", "orig"),
                texts(dest, "tn"),
                texts(dest, "uri"),
                iat.longValue(),
                text(node, "origid", "claims"),
                div == null ? "" : text(div, "tn", "div"),
                rcd));
      } catch (WrongType e) {
        return StirResult.failed(StirFailure.MALFORMED, e.getMessage());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("re-serialising a parsed tree failed", e);
      }
    }
  }

  /**
   * The rich call data claim (RFC 9795), kept as received for display policy elsewhere.
   *
   * @param nam the display name, or {@code ""}
   * @param json the whole {@code rcd} object as canonical JSON (keys sorted, no whitespace)
   */
  public record Rcd(String nam, String json) {
    public Rcd {
      Objects.requireNonNull(nam, "nam");
      Objects.requireNonNull(json, "json");
    }
  }

  /** Decodes a full-form JWS {@code header.payload.signature} (no Identity parameters). */
  public static StirResult<Passport> decode(String jws) {
    Objects.requireNonNull(jws, "jws");
    String[] parts = jws.strip().split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      return StirResult.failed(StirFailure.MALFORMED, "not a full-form JWS");
    }
    for (String part : parts) {
      if (!IdentityHeader.isBase64Url(part)) {
        return StirResult.failed(StirFailure.MALFORMED, "JWS part is not base64url");
      }
    }
    return decode(parts[0], parts[1], parts[2]);
  }

  /**
   * Decodes a full-form Identity header's PASSporT; a compact one needs {@link #decode(String,
   * String, String)} with a payload from {@link #compactPayload}.
   */
  public static StirResult<Passport> decode(IdentityHeader identity) {
    if (identity.isCompact()) {
      return StirResult.failed(
          StirFailure.MALFORMED, "compact form: the payload must be rebuilt from the message");
    }
    return decode(identity.header(), identity.payload(), identity.signature());
  }

  /** Decodes the three base64url parts of a JWS. */
  public static StirResult<Passport> decode(String header, String payload, String signature) {
    StirResult<Header> h = Header.decode(header);
    if (!(h instanceof StirResult.Ok<Header> okHeader)) {
      return ((StirResult.Failed<Header>) h).retype();
    }
    StirResult<Claims> c = Claims.decode(payload);
    if (!(c instanceof StirResult.Ok<Claims> okClaims)) {
      return ((StirResult.Failed<Claims>) c).retype();
    }
    return StirResult.ok(
        new Passport(okHeader.value(), okClaims.value(), header + "." + payload, signature));
  }

  /**
   * The claims of a compact-form PASSporT rebuilt from the SIP request (RFC 8225 §7, RFC 8224
   * §5.2), as canonical JSON (RFC 8225 §9: keys sorted, no whitespace): {@code orig.tn} from the
   * caller, {@code dest.tn} from the callee, {@code iat} from the Date header, and for SHAKEN the
   * {@code attest} and {@code origid} the message carried out of band (for example {@code
   * P-Attestation-Indicator} and {@code P-Origination-Id}); those two are omitted when empty.
   */
  public static String compactPayload(
      CanonicalTn orig,
      CanonicalTn dest,
      Instant date,
      Optional<Attestation> attest,
      Optional<String> origid) {
    Map<String, Object> claims = new TreeMap<>();
    attest.ifPresent(a -> claims.put("attest", a.name()));
    claims.put("dest", Map.of("tn", List.of(dest.digits())));
    claims.put("iat", date.getEpochSecond());
    claims.put("orig", Map.of("tn", orig.digits()));
    origid.ifPresent(o -> claims.put("origid", o));
    return canonicalJson(claims);
  }

  /** RFC 8225 §9 canonical JSON of maps, lists, strings and numbers: keys sorted, no spaces. */
  static String canonicalJson(Map<String, ?> object) {
    try {
      return JSON.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + object, e);
    }
  }

  /** base64url without padding of the UTF-8 bytes of {@code text} (RFC 7515 §2). */
  public static String base64Url(String text) {
    return BASE64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static StirResult<JsonNode> readObject(String base64url, String what) {
    if (!IdentityHeader.isBase64Url(base64url) || base64url.isEmpty()) {
      return StirResult.failed(StirFailure.MALFORMED, what + " is not base64url");
    }
    String text;
    try {
      // RFC 7515 §5.2: the JSON is UTF-8; Jackson would otherwise guess UTF-16/32 from the bytes.
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(IdentityHeader.decode(base64url)))
              .toString();
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return StirResult.failed(StirFailure.MALFORMED, what + " is not UTF-8 base64url");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        return StirResult.failed(StirFailure.MALFORMED, what + " is not a JSON object");
      }
      return StirResult.ok(node);
    } catch (JsonProcessingException e) {
      return StirResult.failed(
          StirFailure.MALFORMED, what + " is not JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode node, String field, String where) throws WrongType {
    JsonNode value = node.get(field);
    if (value == null) {
      return "";
    }
    if (!value.isTextual()) {
      throw new WrongType(where + "." + field + " is " + value.getNodeType() + ", not a string");
    }
    return value.textValue();
  }

  private static JsonNode object(JsonNode node, String field) throws WrongType {
    JsonNode value = node.get(field);
    if (value != null && !value.isObject()) {
      throw new WrongType(field + " is " + value.getNodeType() + ", not an object");
    }
    return value;
  }

  private static List<String> texts(JsonNode node, String field) throws WrongType {
    JsonNode value = node.get(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new WrongType("dest." + field + " is " + value.getNodeType() + ", not an array");
    }
    List<String> out = new ArrayList<>(value.size());
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new WrongType("dest." + field + "[] holds " + element.getNodeType());
      }
      out.add(element.textValue());
    }
    return out;
  }

  /** A JSON tree with object members in key order, for canonical re-serialisation. */
  private static Object sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> out = new TreeMap<>();
      node.fields().forEachRemaining(e -> out.put(e.getKey(), sorted(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>(node.size());
      node.forEach(element -> out.add(sorted(element)));
      return out;
    }
    return node;
  }

  /**
   * A claim of the wrong JSON type. Private control flow inside the decoder only: it never escapes
   * a public method.
   */
  private static final class WrongType extends Exception {
    WrongType(String message) {
      super(message, null, false, false);
    }
  }
}
