package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PassportTest {

  private static final String HEADER =
      "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://a.example/c.pem\"}";
  private static final String CLAIMS =
      "{\"attest\":\"A\",\"dest\":{\"tn\":[\"33987654321\",\"33100000000\"],\"uri\":[\"sip:bob@b.example\"]},"
          + "\"iat\":1772366398,\"orig\":{\"tn\":\"33612345678\"},\"origid\":\"o-1\"}";
  private static final String SIG = "c2ln";

  @Test
  void decode_shakenPassport_exposesHeaderAndClaims() {
    Passport passport = ok(b64(HEADER), b64(CLAIMS));

    assertThat(passport.header())
        .isEqualTo(new Passport.Header("ES256", "passport", "shaken", "https://a.example/c.pem"));
    Passport.Claims claims = passport.claims();
    assertThat(claims.attest()).isEqualTo("A");
    assertThat(claims.origTn()).isEqualTo("33612345678");
    assertThat(claims.origUri()).isEmpty();
    assertThat(claims.destTn()).containsExactly("33987654321", "33100000000");
    assertThat(claims.destUri()).containsExactly("sip:bob@b.example");
    assertThat(claims.iat()).isEqualTo(1772366398L);
    assertThat(claims.origid()).isEqualTo("o-1");
    assertThat(claims.divTn()).isEmpty();
    assertThat(claims.rcd()).isEmpty();
    assertThat(passport.signingInput()).isEqualTo(b64(HEADER) + "." + b64(CLAIMS));
    assertThat(passport.signature()).isEqualTo(SIG);
  }

  @Test
  void decode_jwsString_splitsIntoThreeParts() {
    StirResult<Passport> result = Passport.decode(b64(HEADER) + "." + b64(CLAIMS) + "." + SIG);

    assertThat(result).isInstanceOf(StirResult.Ok.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.b", "a.b.c.d", "..", "a..c", "a.b.", "a+.b.c"})
  void decode_jwsStringNotThreeBase64UrlParts_isMalformed(String jws) {
    StirResult<Passport> result = Passport.decode(jws);

    assertThat(result).isInstanceOf(StirResult.Failed.class);
    assertThat(((StirResult.Failed<Passport>) result).failure()).isEqualTo(StirFailure.MALFORMED);
  }

  @Test
  void decode_rcdClaim_isDecodedAndExposedAsCanonicalJson() {
    String claims =
        CLAIMS.substring(0, CLAIMS.length() - 1)
            + ",\"rcd\":{\"nam\":\"Caf\\u00e9 Bob\",\"jcd\":[\"x\"],\"icn\":\"https://i\"}}";

    Passport.Rcd rcd = ok(b64(HEADER), b64(claims)).claims().rcd().orElseThrow();

    assertThat(rcd.nam()).isEqualTo("Café Bob");
    assertThat(rcd.json())
        .isEqualTo("{\"icn\":\"https://i\",\"jcd\":[\"x\"],\"nam\":\"Café Bob\"}");
  }

  @Test
  void decode_divClaim_exposesTheDivertingNumber() {
    String claims =
        "{\"dest\":{\"tn\":[\"33999999999\"]},\"div\":{\"tn\":\"33987654321\"},"
            + "\"iat\":1772366398,\"orig\":{\"tn\":\"33612345678\"}}";

    Passport.Claims decoded = ok(b64(HEADER.replace("shaken", "div")), b64(claims)).claims();

    assertThat(decoded.divTn()).isEqualTo("33987654321");
    assertThat(decoded.attest()).isEmpty();
    assertThat(decoded.origid()).isEmpty();
  }

  @Test
  void decode_headerWithoutMembers_givesEmptyStrings() {
    assertThat(ok(b64("{}"), b64(CLAIMS)).header()).isEqualTo(new Passport.Header("", "", "", ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // orig and dest as JSON strings (libstirshaken's shape), not objects
        "{\"dest\":\"33987654321\",\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":\"33612345678\"}",
        // dest.tn a string, not an array; an array element not a string
        "{\"dest\":{\"tn\":\"33987654321\"},\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[33987654321]},\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"],\"uri\":\"sip:a@b\"},\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        // orig.tn a number
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":33612345678}}",
        // iat a string, a fraction, negative, beyond long, beyond Instant, null
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":\"1772366398\",\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1772366398.5,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":-1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":99999999999999999999,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":9223372036854775807,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":null,\"orig\":{\"tn\":\"1\"}}",
        // attest and origid not strings
        "{\"attest\":1,\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"origid\":[\"x\"]}",
        // div and rcd not objects
        "{\"dest\":{\"tn\":[\"1\"]},\"div\":\"1\",\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"rcd\":\"Bob\"}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"rcd\":{\"nam\":1}}",
        // a mandatory claim missing
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1}",
        "{\"iat\":1,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"orig\":{\"tn\":\"1\"}}",
        // duplicate keys, at the top and nested
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"iat\":2,\"orig\":{\"tn\":\"1\"}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\",\"tn\":\"2\"}}",
        // trailing tokens, not an object, not JSON, empty
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"}} {}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"}}x",
        "[{\"iat\":1}]",
        "\"claims\"",
        "null",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"}",
        "{'dest':{'tn':['1']},'iat':1,'orig':{'tn':'1'}}",
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},}",
        "",
        " ",
      })
  void decodeClaims_wrongShape_isMalformed(String json) {
    StirResult<Passport.Claims> result = Passport.Claims.decode(b64(json));

    assertThat(result).as(json).isInstanceOf(StirResult.Failed.class);
    assertThat(((StirResult.Failed<Passport.Claims>) result).failure())
        .isEqualTo(StirFailure.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"alg\":256}",
        "{\"alg\":\"ES256\",\"typ\":[\"passport\"]}",
        "{\"x5u\":{\"url\":\"https://a\"}}",
        "{\"ppt\":null}",
        "{\"alg\":\"ES256\",\"alg\":\"none\"}",
        "{\"alg\":\"ES256\"}{}",
        "[]",
      })
  void decodeHeader_wrongShape_isMalformed(String json) {
    StirResult<Passport.Header> result = Passport.Header.decode(b64(json));

    assertThat(result).as(json).isInstanceOf(StirResult.Failed.class);
    assertThat(((StirResult.Failed<Passport.Header>) result).failure())
        .isEqualTo(StirFailure.MALFORMED);
  }

  @Test
  void decodeClaims_notUtf8_isMalformed() {
    byte[] latin1 =
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"origid\":\"caf\u00e9\"}"
            .getBytes(StandardCharsets.ISO_8859_1);

    StirResult<Passport.Claims> result =
        Passport.Claims.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(latin1));

    assertThat(((StirResult.Failed<Passport.Claims>) result).detail()).contains("UTF-8");
  }

  @Test
  void decodeClaims_utf16_isMalformedNotGuessed() {
    byte[] utf16 =
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"}}"
            .getBytes(StandardCharsets.UTF_16LE);

    assertThat(
            Passport.Claims.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(utf16)))
        .isInstanceOf(StirResult.Failed.class);
  }

  @Test
  void decodeClaims_unknownClaimsAndNumbersAsUnexpectedTypes_areIgnored() {
    String json =
        "{\"dest\":{\"tn\":[\"1\"]},\"iat\":1,\"orig\":{\"tn\":\"1\"},\"x\":[1,{\"y\":null}]}";

    assertThat(Passport.Claims.decode(b64(json))).isInstanceOf(StirResult.Ok.class);
  }

  @Test
  void decodeClaims_deeplyNestedJson_isMalformedNotAStackOverflow() {
    String json = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

    StirResult<Passport.Claims> result = Passport.Claims.decode(b64(json));

    assertThat(result).isInstanceOf(StirResult.Failed.class);
  }

  @Test
  void decode_compactIdentity_isMalformedWithoutTheRebuiltPayload() {
    IdentityHeader compact =
        ((StirResult.Ok<IdentityHeader>)
                IdentityHeader.parse(b64(HEADER) + ".." + SIG + ";info=<https://a/b>"))
            .value();

    assertThat(Passport.decode(compact)).isInstanceOf(StirResult.Failed.class);
  }

  @Test
  void compactPayload_isCanonicalJsonOfTheCallData() {
    String payload =
        Passport.compactPayload(
            CanonicalTn.parse("+33 6 12 34 56 78").orElseThrow(),
            CanonicalTn.parse("33987654321").orElseThrow(),
            Instant.ofEpochSecond(1772366398),
            Optional.of(Attestation.B),
            Optional.of("o-2"));

    assertThat(payload)
        .isEqualTo(
            "{\"attest\":\"B\",\"dest\":{\"tn\":[\"33987654321\"]},\"iat\":1772366398,"
                + "\"orig\":{\"tn\":\"33612345678\"},\"origid\":\"o-2\"}");
  }

  @Test
  void compactPayload_withoutOutOfBandData_omitsAttestAndOrigid() {
    String payload =
        Passport.compactPayload(
            CanonicalTn.parse("1").orElseThrow(),
            CanonicalTn.parse("2").orElseThrow(),
            Instant.ofEpochSecond(5),
            Optional.empty(),
            Optional.empty());

    assertThat(payload).isEqualTo("{\"dest\":{\"tn\":[\"2\"]},\"iat\":5,\"orig\":{\"tn\":\"1\"}}");
  }

  @Test
  void canonicalJson_sortsNestedKeysAndEscapesMinimally() {
    assertThat(
            Passport.canonicalJson(
                new java.util.HashMap<>(
                    java.util.Map.of(
                        "z", List.of("a/b"), "a", java.util.Map.of("y", 1, "b", "q\"")))))
        .isEqualTo("{\"a\":{\"b\":\"q\\\"\",\"y\":1},\"z\":[\"a/b\"]}");
  }

  private static Passport ok(String header, String payload) {
    StirResult<Passport> result = Passport.decode(header, payload, SIG);
    assertThat(result).isInstanceOf(StirResult.Ok.class);
    return ((StirResult.Ok<Passport>) result).value();
  }

  private static String b64(String json) {
    return Passport.base64Url(json);
  }
}
