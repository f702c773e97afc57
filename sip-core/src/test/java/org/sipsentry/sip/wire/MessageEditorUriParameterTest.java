package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.sipsentry.sip.wire.Messages.crlf;
import static org.sipsentry.sip.wire.Messages.text;

import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** {@link HeaderIndex#uris}, {@link MessageEditor#setUriParameter} and its removal counterpart. */
class MessageEditorUriParameterTest {

  private static final String PASSED = "TN-Validation-Passed";

  private static String message(String headers) {
    return "INVITE sip:+14155550100@example.com SIP/2.0\n"
        + "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\n"
        + headers
        + "Call-ID: x\n"
        + "Content-Length: 0\n\n";
  }

  /** Applies {@code edit} to the message with {@code headers} and returns its header lines. */
  private static String edited(String headers, BiFunction<HeaderIndex, MessageEditor, ?> edit) {
    HeaderIndex index = HeaderIndex.scan(crlf(message(headers)));
    MessageEditor editor = new MessageEditor(index);
    edit.apply(index, editor);
    String out = text(editor.toBytes());
    return out.substring(out.indexOf("z9hG4bK1\r\n") + 10, out.indexOf("Call-ID: x"))
        .replace("\r\n", "\n");
  }

  private static String setOnFirst(String headers, String header, String value) {
    return edited(
        headers, (index, e) -> e.setUriParameter(index.uris(header).get(0), "verstat", value));
  }

  private static List<HeaderUri> uris(String headers, String header) {
    return HeaderIndex.scan(crlf(message(headers))).uris(header);
  }

  // --- finding the URIs ------------------------------------------------------------------------

  @Test
  void uris_twoPaiEntriesOnOneLineAndOneOnAnother_allInOrderWithSchemes() {
    List<HeaderUri> uris =
        uris(
            "P-Asserted-Identity: \"A\" <sip:+14155550100@h;user=phone>, <tel:+14155550100>\n"
                + "P-Asserted-Identity: sip:alice@h\n",
            "P-Asserted-Identity");

    assertThat(uris)
        .extracting(HeaderUri::entry, HeaderUri::scheme, HeaderUri::uri)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "sip", "sip:+14155550100@h;user=phone"),
            org.assertj.core.groups.Tuple.tuple(1, "tel", "tel:+14155550100"),
            org.assertj.core.groups.Tuple.tuple(0, "sip", "sip:alice@h"));
    assertThat(uris.get(0).line()).isEqualTo(uris.get(1).line()).isNotEqualTo(uris.get(2).line());
  }

  @Test
  void uris_commaAndAngleBracketsInQuotedDisplayName_oneEntry() {
    assertThat(uris("From: \"Doe, <John>\" <sip:+1@h>;tag=1\n", "From"))
        .singleElement()
        .satisfies(uri -> assertThat(uri.uri()).isEqualTo("sip:+1@h"));
  }

  @Test
  void uris_compactFromAndBareAddrSpec_uriWithoutHeaderParameters() {
    assertThat(uris("f: SIP:+1@h;tag=1\n", "From"))
        .singleElement()
        .satisfies(
            uri -> {
              assertThat(uri.uri()).isEqualTo("SIP:+1@h");
              assertThat(uri.scheme()).isEqualTo("sip");
            });
  }

  @Test
  void uris_entriesWithoutSchemeOrUnclosedBracket_leftOut() {
    assertThat(uris("P-Asserted-Identity: <sip:a@h\n", "P-Asserted-Identity")).isEmpty();
    assertThat(uris("P-Asserted-Identity: garbage, <tel:+1>\n", "P-Asserted-Identity"))
        .extracting(HeaderUri::uri)
        .containsExactly("tel:+1");
  }

  // --- setting a parameter ---------------------------------------------------------------------

  @Test
  void setUriParameter_nameAddrWithoutParameters_appendedInsideBrackets() {
    assertThat(setOnFirst("From: \"Alice\" <sip:+1@h>;tag=1\n", "From", PASSED))
        .isEqualTo("From: \"Alice\" <sip:+1@h;verstat=TN-Validation-Passed>;tag=1\n");
  }

  @Test
  void setUriParameter_nameAddrWithParameters_appendedAfterThem() {
    assertThat(setOnFirst("From: <sip:+1@h:5060;user=phone>;tag=1\n", "From", PASSED))
        .isEqualTo("From: <sip:+1@h:5060;user=phone;verstat=TN-Validation-Passed>;tag=1\n");
  }

  @Test
  void setUriParameter_existingParameter_replacedInPlace() {
    assertThat(
            setOnFirst(
                "From: <sip:+1@h;VERSTAT=TN-Validation-Passed;user=phone>;tag=1\n",
                "From",
                "TN-Validation-Failed"))
        .isEqualTo("From: <sip:+1@h;verstat=TN-Validation-Failed;user=phone>;tag=1\n");
  }

  @Test
  void setUriParameter_uriHeaders_insertedBeforeQuestionMark() {
    assertThat(setOnFirst("From: <sip:+1@h;user=phone?subject=x>;tag=1\n", "From", PASSED))
        .isEqualTo("From: <sip:+1@h;user=phone;verstat=TN-Validation-Passed?subject=x>;tag=1\n");
  }

  @Test
  void setUriParameter_semicolonInUserPart_parameterGoesAfterHost() {
    assertThat(setOnFirst("From: <sip:+1;npdi@h>;tag=1\n", "From", PASSED))
        .isEqualTo("From: <sip:+1;npdi@h;verstat=TN-Validation-Passed>;tag=1\n");
  }

  @Test
  void setUriParameter_bareAddrSpec_enclosedSoThatItIsAUriParameter() {
    assertThat(setOnFirst("From: sip:+1@h;tag=1\n", "From", PASSED))
        .isEqualTo("From: <sip:+1@h;verstat=TN-Validation-Passed>;tag=1\n");
  }

  @Test
  void setUriParameter_bareAddrSpecWithVerstatHeaderParameter_movedIntoTheUri() {
    assertThat(setOnFirst("From: sip:+1@h;verstat=TN-Validation-Passed;tag=1\n", "From", "No-X"))
        .isEqualTo("From: <sip:+1@h;verstat=No-X>;tag=1\n");
  }

  @Test
  void setUriParameter_bareTelUri_enclosed() {
    assertThat(setOnFirst("P-Asserted-Identity: tel:+14155550100\n", "P-Asserted-Identity", PASSED))
        .isEqualTo("P-Asserted-Identity: <tel:+14155550100;verstat=TN-Validation-Passed>\n");
  }

  @Test
  void setUriParameter_secondEntryOfLine_onlyThatEntryChanges() {
    String out =
        edited(
            "P-Asserted-Identity: <sip:+1@h;user=phone>, <tel:+1;verstat=x>\n",
            (index, e) ->
                e.setUriParameter(index.uris("P-Asserted-Identity").get(1), "verstat", PASSED));

    assertThat(out)
        .isEqualTo(
            "P-Asserted-Identity: <sip:+1@h;user=phone>, <tel:+1;verstat=TN-Validation-Passed>\n");
  }

  @Test
  void setUriParameter_twiceOnOneUri_laterWins() {
    String out =
        edited(
            "From: <sip:+1@h>;tag=1\n",
            (index, e) -> {
              HeaderUri from = index.uris("From").get(0);
              return e.setUriParameter(from, "verstat", "A").setUriParameter(from, "verstat", "B");
            });

    assertThat(out).isEqualTo("From: <sip:+1@h;verstat=B>;tag=1\n");
  }

  @Test
  void setUriParameter_notATokenOrForeignUri_rejected() {
    HeaderIndex index = HeaderIndex.scan(crlf(message("From: <sip:+1@h>;tag=1\n")));
    HeaderUri from = index.uris("From").get(0);
    HeaderUri foreign =
        HeaderIndex.scan(crlf(message("X-Pad: 1\nFrom: <sip:+1@h>;tag=1\n"))).uris("From").get(0);
    MessageEditor editor = new MessageEditor(index);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> editor.setUriParameter(from, "verstat", "a>b"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> editor.setUriParameter(from, "ver stat", "a"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> editor.setUriParameter(foreign, "verstat", "a"));
  }

  // --- removing a parameter --------------------------------------------------------------------

  @Test
  void removeUriParameter_everyEntryOfEveryLine_otherParametersKept() {
    String out =
        edited(
            "From: <sip:+1@h;verstat=TN-Validation-Passed;user=phone>;tag=1\n"
                + "P-Asserted-Identity: <sip:+1@h;user=phone;verstat=x>, <tel:+1;Verstat>\n"
                + "P-Asserted-Identity: <sip:+2@h>\n",
            (index, e) ->
                e.removeUriParameter("P-Asserted-Identity", "verstat")
                    .removeUriParameter("f", "verstat"));

    assertThat(out)
        .isEqualTo(
            "From: <sip:+1@h;user=phone>;tag=1\n"
                + "P-Asserted-Identity: <sip:+1@h;user=phone>, <tel:+1>\n"
                + "P-Asserted-Identity: <sip:+2@h>\n");
  }

  @Test
  void removeUriParameter_headerParameterAfterBracket_untouched() {
    String headers = "From: <sip:+1@h>;verstat=x;tag=1\n";

    assertThat(edited(headers, (index, e) -> e.removeUriParameter("From", "verstat")))
        .isEqualTo(headers);
  }

  @Test
  void removeUriParameter_bareAddrSpec_ambiguousParameterRemoved() {
    assertThat(
            edited(
                "From: sip:+1@h;tag=1;verstat=TN-Validation-Passed\n",
                (index, e) -> e.removeUriParameter("From", "verstat")))
        .isEqualTo("From: sip:+1@h;tag=1\n");
  }

  @Test
  void removeUriParameter_andSetOnTheSameUri_setWinsWhateverTheOrder() {
    String headers =
        "From: <sip:+1@h;verstat=forged>;tag=1\nP-Asserted-Identity: <tel:+1;verstat=y>\n";
    String expected =
        "From: <sip:+1@h;verstat=TN-Validation-Failed>;tag=1\nP-Asserted-Identity: <tel:+1>\n";

    String removeFirst =
        edited(
            headers,
            (index, e) ->
                e.removeUriParameter("From", "verstat")
                    .removeUriParameter("P-Asserted-Identity", "verstat")
                    .setUriParameter(index.uris("From").get(0), "verstat", "TN-Validation-Failed"));
    String setFirst =
        edited(
            headers,
            (index, e) ->
                e.setUriParameter(index.uris("From").get(0), "verstat", "TN-Validation-Failed")
                    .removeUriParameter("From", "verstat")
                    .removeUriParameter("P-Asserted-Identity", "verstat"));

    assertThat(removeFirst).isEqualTo(expected);
    assertThat(setFirst).isEqualTo(expected);
  }

  @Test
  void removeUriParameter_lineRemovedAsAWhole_lineGone() {
    assertThat(
            edited(
                "P-Asserted-Identity: <tel:+1;verstat=y>\nFrom: <sip:+1@h>;tag=1\n",
                (index, e) ->
                    e.removeUriParameter("P-Asserted-Identity", "verstat")
                        .removeHeaders("P-Asserted-Identity")))
        .isEqualTo("From: <sip:+1@h>;tag=1\n");
  }

  @Test
  void removeUriParameter_absent_messageUnchanged() {
    byte[] original = crlf(message("From: <sip:+1@h;user=phone>;tag=1\n"));

    byte[] out =
        new MessageEditor(HeaderIndex.scan(original))
            .removeUriParameter("From", "verstat")
            .toBytes();

    assertThat(out).isEqualTo(original);
  }
}
