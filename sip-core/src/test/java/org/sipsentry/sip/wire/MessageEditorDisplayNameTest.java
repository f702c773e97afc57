package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.sipsentry.sip.wire.Messages.crlf;
import static org.sipsentry.sip.wire.Messages.text;

import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** {@link MessageEditor#prefixDisplayName}. */
class MessageEditorDisplayNameTest {

  private static final String SPOOF = "[SPOOF?] ";

  private static String message(String headers) {
    return "INVITE sip:+41446681800@example.com SIP/2.0\n"
        + "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\n"
        + headers
        + "Call-ID: x\n"
        + "Content-Length: 0\n\n";
  }

  /** Applies {@code edit} to the message with {@code headers} and returns its header lines. */
  private static String edited(String headers, BiConsumer<HeaderIndex, MessageEditor> edit) {
    HeaderIndex index = HeaderIndex.scan(crlf(message(headers)));
    MessageEditor editor = new MessageEditor(index);
    edit.accept(index, editor);
    String out = text(editor.toBytes());
    assertThat(out).endsWith("Call-ID: x\r\nContent-Length: 0\r\n\r\n");
    return out.substring(out.indexOf("z9hG4bK1\r\n") + 10, out.indexOf("Call-ID: x"))
        .replace("\r\n", "\n");
  }

  private static String prefixed(String headers, String header, String prefix) {
    return edited(
        headers, (index, e) -> index.uris(header).forEach(uri -> e.prefixDisplayName(uri, prefix)));
  }

  @Test
  void prefixDisplayName_quotedName_prefixInsideQuotesTagKept() {
    assertThat(prefixed("From: \"Bank\" <sip:+41446681800@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] Bank\" <sip:+41446681800@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_noDisplayName_prefixAndUserPart() {
    assertThat(prefixed("From: <sip:+41446681800@h;user=phone>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] +41446681800\" <sip:+41446681800@h;user=phone>;tag=1\n");
  }

  @Test
  void prefixDisplayName_bareAddrSpecWithTag_enclosedInBracketsTagOutside() {
    assertThat(prefixed("From: sip:+41446681800@h;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] +41446681800\" <sip:+41446681800@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_bareAddrSpecWithoutParameters_enclosedInBrackets() {
    assertThat(prefixed("From: sip:alice@h\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] alice\" <sip:alice@h>\n");
  }

  @Test
  void prefixDisplayName_quotedNameWithEscapes_keptByteForByte() {
    assertThat(prefixed("From: \"The \\\"Bank\\\" \\\\ Co\" <sip:b@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] The \\\"Bank\\\" \\\\ Co\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_prefixWithQuoteAndBackslash_escapedAsQuotedPairs() {
    assertThat(prefixed("From: \"Bank\" <sip:b@h>;tag=1\n", "From", "\"?\\ "))
        .isEqualTo("From: \"\\\"?\\\\ Bank\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_tokenDisplayName_quotedWithSingleSpaces() {
    assertThat(prefixed("From: Big   Bank <sip:b@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] Big Bank\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_compactForm_prefixed() {
    assertThat(prefixed("f: \"Bank\"<sip:b@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("f: \"[SPOOF?] Bank\"<sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_nameAddrWithUriAndHeaderParameters_onlyDisplayNameChanges() {
    assertThat(
            prefixed(
                "From: \"Bank\" <sip:+41446681800;npdi@h:5060;user=phone?x=y>;tag=1;foo=\"a,b\"\n",
                "From",
                SPOOF))
        .isEqualTo(
            "From: \"[SPOOF?] Bank\" <sip:+41446681800;npdi@h:5060;user=phone?x=y>;tag=1;foo=\"a,b\"\n");
  }

  @Test
  void prefixDisplayName_userPartWithParameters_cutAtSemicolon() {
    assertThat(prefixed("From: <sip:+41446681800;npdi@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] +41446681800\" <sip:+41446681800;npdi@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_telUri_prefixAndNumber() {
    assertThat(
            prefixed(
                "P-Asserted-Identity: <tel:+41446681800;cpc=ordinary>\n",
                "P-Asserted-Identity",
                SPOOF))
        .isEqualTo(
            "P-Asserted-Identity: \"[SPOOF?] +41446681800\" <tel:+41446681800;cpc=ordinary>\n");
  }

  @Test
  void prefixDisplayName_uriWithoutUserPart_prefixAloneTrimmed() {
    assertThat(prefixed("From: <sip:h.example>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?]\" <sip:h.example>;tag=1\n");
  }

  @Test
  void prefixDisplayName_emptyQuotedName_userPartUsed() {
    assertThat(prefixed("From: \"\" <sip:+1@h>;tag=1\n", "From", SPOOF))
        .isEqualTo("From: \"[SPOOF?] +1\" <sip:+1@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_twoPaiEntriesOnOneLine_bothPrefixed() {
    assertThat(
            prefixed(
                "P-Asserted-Identity: \"Bank, Zurich\" <sip:+41446681800@h>, <tel:+41446681800>\n",
                "P-Asserted-Identity",
                SPOOF))
        .isEqualTo(
            "P-Asserted-Identity: \"[SPOOF?] Bank, Zurich\" <sip:+41446681800@h>,"
                + " \"[SPOOF?] +41446681800\" <tel:+41446681800>\n");
  }

  @Test
  void prefixDisplayName_utf8DisplayName_keptAsReceived() {
    assertThat(prefixed("From: \"Zürcher Bänk\" <sip:b@h>;tag=1\n", "From", "⚠ "))
        .isEqualTo("From: \"⚠ Zürcher Bänk\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_withVerstatOnBareAddrSpec_oneBracketPair() {
    assertThat(
            edited(
                "From: sip:+1@h;tag=1\n",
                (index, e) -> {
                  HeaderUri from = index.uris("From").get(0);
                  e.setUriParameter(from, "verstat", "TN-Validation-Failed");
                  e.prefixDisplayName(from, SPOOF);
                }))
        .isEqualTo("From: \"[SPOOF?] +1\" <sip:+1@h;verstat=TN-Validation-Failed>;tag=1\n");
  }

  @Test
  void prefixDisplayName_withVerstatRemovalOnNameAddr_bothApplied() {
    assertThat(
            edited(
                "From: Bank <sip:+1@h;verstat=TN-Validation-Passed>;tag=1\n",
                (index, e) -> {
                  e.removeUriParameter("From", "verstat");
                  e.prefixDisplayName(index.uris("From").get(0), SPOOF);
                }))
        .isEqualTo("From: \"[SPOOF?] Bank\" <sip:+1@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_calledTwice_laterPrefixWins() {
    assertThat(
            edited(
                "From: \"Bank\" <sip:b@h>;tag=1\n",
                (index, e) -> {
                  HeaderUri from = index.uris("From").get(0);
                  e.prefixDisplayName(from, "[A] ");
                  e.prefixDisplayName(from, "[B] ");
                }))
        .isEqualTo("From: \"[B] Bank\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayName_controlCharacterOrEmpty_rejected() {
    HeaderIndex index = HeaderIndex.scan(crlf(message("From: <sip:b@h>;tag=1\n")));
    HeaderUri from = index.uris("From").get(0);
    MessageEditor editor = new MessageEditor(index);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> editor.prefixDisplayName(from, "[X]\r\nVia: evil"))
        .withMessageContaining("U+000D");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> editor.prefixDisplayName(from, "\t"))
        .withMessageContaining("U+0009");
    assertThatIllegalArgumentException().isThrownBy(() -> editor.prefixDisplayName(from, ""));
  }

  @Test
  void prefixDisplayName_uriOfAnotherMessage_rejected() {
    HeaderIndex other = HeaderIndex.scan(crlf(message("X-Pad: 1\nFrom: <sip:b@h>;tag=1\n")));
    HeaderIndex index = HeaderIndex.scan(crlf(message("From: <sip:b@h>;tag=1\n")));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new MessageEditor(index).prefixDisplayName(other.uris("From").get(0), SPOOF));
  }

  // --- every entry of a header -----------------------------------------------------------------

  @Test
  void prefixDisplayNames_twoLinesAndCompactForm_everyEntryPrefixed() {
    assertThat(
            edited(
                "f: sip:+1@h;tag=1\n"
                    + "P-Asserted-Identity: \"A\" <sip:+1@h>, <tel:+1>\n"
                    + "P-Asserted-Identity: B <sip:+2@h>\n",
                (index, e) -> {
                  e.prefixDisplayNames("From", SPOOF);
                  e.prefixDisplayNames("p-asserted-identity", SPOOF);
                }))
        .isEqualTo(
            "f: \"[SPOOF?] +1\" <sip:+1@h>;tag=1\n"
                + "P-Asserted-Identity: \"[SPOOF?] A\" <sip:+1@h>, \"[SPOOF?] +1\" <tel:+1>\n"
                + "P-Asserted-Identity: \"[SPOOF?] B\" <sip:+2@h>\n");
  }

  @Test
  void prefixDisplayNames_withVerstatOnBareAddrSpec_oneBracketPair() {
    assertThat(
            edited(
                "From: sip:+1@h;tag=1\n",
                (index, e) -> {
                  e.prefixDisplayNames("From", SPOOF);
                  e.setUriParameter(index.uris("From").get(0), "verstat", "No-TN-Validation");
                }))
        .isEqualTo("From: \"[SPOOF?] +1\" <sip:+1@h;verstat=No-TN-Validation>;tag=1\n");
  }

  @Test
  void prefixDisplayNames_thenOneEntry_theLaterCallWinsForThatLine() {
    assertThat(
            edited(
                "From: \"Bank\" <sip:b@h>;tag=1\n",
                (index, e) -> {
                  e.prefixDisplayNames("From", "[A] ");
                  e.prefixDisplayName(index.uris("From").get(0), "[B] ");
                }))
        .isEqualTo("From: \"[B] Bank\" <sip:b@h>;tag=1\n");
  }

  @Test
  void prefixDisplayNames_headerAbsent_messageUnchanged() {
    String headers = "From: \"Bank\" <sip:b@h>;tag=1\n";
    assertThat(edited(headers, (index, e) -> e.prefixDisplayNames("P-Asserted-Identity", SPOOF)))
        .isEqualTo(headers);
  }
}
