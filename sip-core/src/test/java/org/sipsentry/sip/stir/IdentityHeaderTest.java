package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityHeaderTest {

  private static final String X5U = "https://cert.example.net/sp.pem";
  private static final String H = "eyJhbGciOiJFUzI1NiJ9";
  private static final String P = "eyJpYXQiOjF9";
  private static final String S = "c2lnbmF0dXJlLWJ5dGVz";
  private static final String JWS = H + "." + P + "." + S;
  private static final String PARAMS = ";info=<" + X5U + ">;alg=ES256;ppt=shaken";

  @Test
  void parse_fullForm_splitsTheJwsAndParameters() {
    IdentityHeader identity = ok(JWS + PARAMS);

    assertThat(identity.header()).isEqualTo(H);
    assertThat(identity.payload()).isEqualTo(P);
    assertThat(identity.signature()).isEqualTo(S);
    assertThat(identity.info()).isEqualTo(X5U);
    assertThat(identity.alg()).isEqualTo("ES256");
    assertThat(identity.ppt()).isEqualTo("shaken");
    assertThat(identity.extensions()).isEmpty();
    assertThat(identity.isCompact()).isFalse();
    assertThat(identity.jws()).isEqualTo(JWS);
  }

  @Test
  void parse_compactForm_hasAnEmptyPayload() {
    IdentityHeader identity = ok(H + ".." + S + PARAMS);

    assertThat(identity.isCompact()).isTrue();
    assertThat(identity.payload()).isEmpty();
    assertThat(identity.jws()).isEqualTo(H + ".." + S);
  }

  @Test
  void parse_quotedPpt_isUnquoted() {
    assertThat(ok(JWS + ";info=<" + X5U + ">;alg=ES256;ppt=\"shaken\"").ppt()).isEqualTo("shaken");
  }

  @Test
  void parse_quotedValueWithEscapedQuote_keepsTheQuote() {
    assertThat(ok(JWS + PARAMS + ";x=\"a\\\"b\"").extensions()).containsEntry("x", "a\"b");
  }

  @Test
  void parse_parametersInAnyOrderAndCase_areFound() {
    IdentityHeader identity = ok(JWS + ";PPT=shaken;Alg=ES256;INFO=<" + X5U + ">");

    assertThat(identity.info()).isEqualTo(X5U);
    assertThat(identity.alg()).isEqualTo("ES256");
    assertThat(identity.ppt()).isEqualTo("shaken");
  }

  @Test
  void parse_extensionParameters_areKeptInOrderWithLowerCaseNames() {
    IdentityHeader identity = ok(JWS + PARAMS + ";Foo=bar;flag;host=[2001:db8::1]");

    assertThat(identity.extensions())
        .containsExactly(
            Map.entry("foo", "bar"), Map.entry("flag", ""), Map.entry("host", "[2001:db8::1]"));
  }

  @Test
  void parse_whitespaceAroundSeparators_isAllowed() {
    IdentityHeader identity =
        ok(" " + JWS + " ;\tinfo = <" + X5U + "> ; alg= ES256 ;ppt =shaken  ");

    assertThat(identity.info()).isEqualTo(X5U);
    assertThat(identity.alg()).isEqualTo("ES256");
    assertThat(identity.ppt()).isEqualTo("shaken");
  }

  @Test
  void parse_infoOnPort8443WithPathParameters_isKeptWhole() {
    String info = "https://cert.example.net:8443/sti/sp.pem;v=2";

    assertThat(ok(JWS + ";info=<" + info + ">;alg=ES256;ppt=shaken").info()).isEqualTo(info);
  }

  @Test
  void parse_noInfo_isMissingInfo436() {
    StirResult.Failed<IdentityHeader> failed = failed(JWS + ";alg=ES256;ppt=shaken");

    assertThat(failed.failure()).isEqualTo(StirFailure.MISSING_INFO);
    assertThat(failed.failure().code()).isEqualTo(436);
  }

  @ParameterizedTest
  @ValueSource(strings = {"XX564", "es256", "RS256", "\"ES256 \""})
  void parse_algOtherThanEs256_isUnsupportedAlg437(String alg) {
    StirResult.Failed<IdentityHeader> failed =
        failed(JWS + ";info=<" + X5U + ">;alg=" + alg + ";ppt=shaken");

    assertThat(failed.failure()).isEqualTo(StirFailure.UNSUPPORTED_ALG);
    assertThat(failed.failure().code()).isEqualTo(437);
  }

  @Test
  void parse_noAlg_isAcceptedWithEmptyAlg() {
    assertThat(ok(JWS + ";info=<" + X5U + ">;ppt=shaken").alg()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        JWS, // no ';' at all: the shape that crashed Asterisk
        JWS + ";",
        JWS + PARAMS + ";",
        JWS + PARAMS + ";;x=1",
        ";info=<https://a/b>",
        "." + P + "." + S + PARAMS,
        H + "." + P + "." + PARAMS,
        H + ".." + PARAMS,
        "..;info=<https://a/b>",
        H + "." + P + PARAMS,
        H + "." + P + "." + S + "." + S + PARAMS,
        H + "+." + P + "." + S + PARAMS,
        H + "." + P + "/." + S + PARAMS,
        H + "." + P + "." + S + "=" + PARAMS,
        H + "." + P + "." + S + "A" + PARAMS, // length ≡ 1 (mod 4): not base64
        JWS + ";info=" + X5U + ";alg=ES256;ppt=shaken",
        JWS + ";info=<" + X5U + ";alg=ES256;ppt=shaken",
        JWS + ";info=<>;alg=ES256;ppt=shaken",
        JWS + ";info=<no-scheme>;alg=ES256;ppt=shaken",
        JWS + ";info=<https://a/b c>;alg=ES256;ppt=shaken",
        JWS + ";info;alg=ES256;ppt=shaken",
        JWS + ";info=<https://a/b>;alg;ppt=shaken",
        JWS + ";info=<https://a/b>;alg=ES256;ppt",
        JWS + ";info=<https://a/b>;alg=ES256;ppt=\"\"",
        JWS + ";info=<https://a/b>;alg=ES256;ppt=\"shaken",
        JWS + ";info=<https://a/b>;alg=ES256;ppt=shaken;ppt=div",
        JWS + ";info=<https://a/b>;info=<https://c/d>;alg=ES256;ppt=shaken",
        JWS + ";info=<https://a/b> x;alg=ES256;ppt=shaken",
        JWS + ";info=<https://a/b>;alg=ES256;ppt=shaken x",
        JWS + ";info=<https://a/b>;alg=ES256;=shaken",
        JWS + ";info=<https://a/b>;alg=ES256;ppt=sha/ken",
        "",
        "   ",
      })
  void parse_malformed_is438(String value) {
    StirResult.Failed<IdentityHeader> failed = failed(value);

    assertThat(failed.failure()).as(failed.detail()).isEqualTo(StirFailure.MALFORMED);
    assertThat(failed.failure().code()).isEqualTo(438);
  }

  @ParameterizedTest
  @ValueSource(strings = {"é", "\u0000", "\r\n", "\u2028", "\u007f", "\uD83D\uDE00"})
  void parse_nonAsciiOrControlCharacters_isMalformed(String bad) {
    StirResult.Failed<IdentityHeader> failed = failed(JWS + PARAMS + ";x=" + bad);

    assertThat(failed.failure()).isEqualTo(StirFailure.MALFORMED);
    assertThat(failed.detail()).startsWith("character 0x");
  }

  @Test
  void parse_longerThanTheLimit_isMalformedWithoutScanning() {
    String value = JWS + PARAMS + ";x=" + "a".repeat(IdentityHeader.MAX_LENGTH);

    assertThat(failed(value).detail()).contains("longer than " + IdentityHeader.MAX_LENGTH);
  }

  @Test
  void parse_exactlyTheLimit_isAccepted() {
    String prefix = JWS + PARAMS + ";x=";
    String value = prefix + "a".repeat(IdentityHeader.MAX_LENGTH - prefix.length());

    assertThat(value).hasSize(IdentityHeader.MAX_LENGTH);
    assertThat(ok(value).extensions()).containsKey("x");
  }

  @Test
  void parse_failureDetail_quotesAtMost40PrintableCharacters() {
    String detail = failed("AAAA." + "B".repeat(200) + ";info=<https://a/b>").detail();

    assertThat(detail).hasSizeLessThan(120).contains("...");
  }

  @Test
  void selectShaken_noHeader_is428() {
    StirResult<IdentityHeader> result = IdentityHeader.selectShaken(List.of());

    assertThat(((StirResult.Failed<IdentityHeader>) result).failure())
        .isEqualTo(StirFailure.NO_IDENTITY);
    assertThat(StirFailure.NO_IDENTITY.code()).isEqualTo(428);
  }

  @Test
  void selectShaken_divAndUnknownPptAroundShaken_picksShaken() {
    String shaken = JWS + PARAMS;
    String div = H + "." + P + ".ZGl2;info=<" + X5U + ">;alg=ES256;ppt=div";
    String unknown = H + "." + P + ".b3RoZXI;info=<" + X5U + ">;ppt=\"rcd\"";

    IdentityHeader chosen = selected(List.of(div, unknown, shaken));

    assertThat(chosen.ppt()).isEqualTo("shaken");
    assertThat(chosen.signature()).isEqualTo(S);
  }

  @Test
  void selectShaken_malformedDivNextToValidShaken_picksShaken() {
    assertThat(selected(List.of("garbage", JWS + PARAMS)).ppt()).isEqualTo("shaken");
  }

  @Test
  void selectShaken_sixHeaders_isAccepted() {
    List<String> values = new ArrayList<>(Collections.nCopies(5, divHeader()));
    values.add(JWS + PARAMS);

    assertThat(selected(values).ppt()).isEqualTo("shaken");
  }

  @Test
  void selectShaken_sevenHeaders_isMalformed() {
    List<String> values = new ArrayList<>(Collections.nCopies(6, divHeader()));
    values.add(JWS + PARAMS);

    assertThat(selectFailure(values)).isEqualTo(StirFailure.MALFORMED);
  }

  @Test
  void selectShaken_twoShaken_isMalformed() {
    assertThat(selectFailure(List.of(JWS + PARAMS, JWS + PARAMS))).isEqualTo(StirFailure.MALFORMED);
  }

  @Test
  void selectShaken_onlyDiv_isWrongPpt() {
    assertThat(selectFailure(List.of(divHeader()))).isEqualTo(StirFailure.WRONG_PPT);
  }

  @Test
  void selectShaken_noPptParameter_isWrongPpt() {
    assertThat(selectFailure(List.of(JWS + ";info=<" + X5U + ">;alg=ES256")))
        .isEqualTo(StirFailure.WRONG_PPT);
  }

  @Test
  void selectShaken_onlyAMalformedHeader_isThatFailure() {
    assertThat(selectFailure(List.of(JWS + ";alg=ES256;ppt=shaken")))
        .isEqualTo(StirFailure.MISSING_INFO);
  }

  @Test
  void selectShaken_divAndMalformed_isTheParseFailure() {
    assertThat(selectFailure(List.of(divHeader(), JWS))).isEqualTo(StirFailure.MALFORMED);
  }

  private static String divHeader() {
    return H + "." + P + ".ZGl2;info=<" + X5U + ">;alg=ES256;ppt=div";
  }

  private static IdentityHeader ok(String value) {
    StirResult<IdentityHeader> result = IdentityHeader.parse(value);
    assertThat(result).isInstanceOf(StirResult.Ok.class);
    return ((StirResult.Ok<IdentityHeader>) result).value();
  }

  private static StirResult.Failed<IdentityHeader> failed(String value) {
    StirResult<IdentityHeader> result = IdentityHeader.parse(value);
    assertThat(result).as(value).isInstanceOf(StirResult.Failed.class);
    return (StirResult.Failed<IdentityHeader>) result;
  }

  private static IdentityHeader selected(List<String> values) {
    StirResult<IdentityHeader> result = IdentityHeader.selectShaken(values);
    assertThat(result).isInstanceOf(StirResult.Ok.class);
    return ((StirResult.Ok<IdentityHeader>) result).value();
  }

  private static StirFailure selectFailure(List<String> values) {
    StirResult<IdentityHeader> result = IdentityHeader.selectShaken(values);
    assertThat(result).isInstanceOf(StirResult.Failed.class);
    return ((StirResult.Failed<IdentityHeader>) result).failure();
  }
}
