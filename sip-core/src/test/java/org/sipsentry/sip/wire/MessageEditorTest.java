package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipsentry.sip.wire.Messages.INVITE;
import static org.sipsentry.sip.wire.Messages.crlf;
import static org.sipsentry.sip.wire.Messages.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MessageEditorTest {

  private static final String OUR_VIA = "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-ss-1";

  private static MessageEditor editor(String message) {
    return new MessageEditor(HeaderIndex.scan(crlf(message)));
  }

  private static String edited(String message, UnaryOperator<MessageEditor> f) {
    return text(f.apply(editor(message)).toBytes());
  }

  private static String lines(String message) {
    return text(crlf(message));
  }

  private static final String TWO_VIAS =
      """
      INVITE sip:b@example.com SIP/2.0
      Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1
      Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2;rport
      Max-Forwards: 70
      Call-ID: x

      """;

  @Test
  void toBytes_noEdits_identicalCopy() {
    byte[] bytes = crlf(INVITE);
    byte[] out = new MessageEditor(HeaderIndex.scan(bytes)).toBytes();

    assertThat(out).isEqualTo(bytes).isNotSameAs(bytes);
  }

  @Test
  void addViaOnTop_insertedBeforeFirstVia() {
    String out = edited(TWO_VIAS, e -> e.addViaOnTop(OUR_VIA));

    assertThat(out)
        .isEqualTo(
            lines(
                """
                INVITE sip:b@example.com SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-ss-1
                Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1
                Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2;rport
                Max-Forwards: 70
                Call-ID: x

                """));
  }

  @Test
  void addViaOnTop_viaNotFirstHeader_insertedBeforeFirstVia() {
    String out =
        edited(
            "OPTIONS sip:a@h SIP/2.0\nCall-ID: x\nv: SIP/2.0/UDP h;branch=z9hG4bK1\n\n",
            e -> e.addViaOnTop(OUR_VIA));

    assertThat(out)
        .isEqualTo(
            lines(
                "OPTIONS sip:a@h SIP/2.0\nCall-ID: x\nVia: "
                    + OUR_VIA
                    + "\nv: SIP/2.0/UDP h;branch=z9hG4bK1\n\n"));
  }

  @Test
  void addViaOnTop_noVia_insertedAfterStartLine() {
    String out = edited("OPTIONS sip:a@h SIP/2.0\nCall-ID: x\n\n", e -> e.addViaOnTop(OUR_VIA));

    assertThat(out)
        .isEqualTo(lines("OPTIONS sip:a@h SIP/2.0\nVia: " + OUR_VIA + "\nCall-ID: x\n\n"));
  }

  @Test
  void addViaOnTop_twice_laterOneOnTop() {
    String out =
        edited(TWO_VIAS, e -> e.addViaOnTop("SIP/2.0/UDP first").addViaOnTop("SIP/2.0/UDP second"));

    assertThat(out)
        .contains(lines("Via: SIP/2.0/UDP second\nVia: SIP/2.0/UDP first\nVia: SIP/2.0/UDP p1"));
  }

  @Test
  void addViaOnTop_lfOnlyMessage_insertsLfLine() {
    byte[] bytes =
        "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] out = new MessageEditor(HeaderIndex.scan(bytes)).addViaOnTop(OUR_VIA).toBytes();

    assertThat(text(out))
        .isEqualTo("OPTIONS sip:a@h SIP/2.0\nVia: " + OUR_VIA + "\nVia: SIP/2.0/UDP h\n\n");
  }

  @Test
  void addViaOnTop_valueWithLineBreak_rejected() {
    MessageEditor editor = editor(TWO_VIAS);

    assertThatThrownBy(() -> editor.addViaOnTop("SIP/2.0/UDP h\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CR, LF or NUL");
  }

  @Test
  void removeTopVia_oneValueOnLine_removesWholeLine() {
    String out = edited(TWO_VIAS, MessageEditor::removeTopVia);

    assertThat(out)
        .isEqualTo(
            lines(
                """
                INVITE sip:b@example.com SIP/2.0
                Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2;rport
                Max-Forwards: 70
                Call-ID: x

                """));
  }

  @Test
  void removeTopVia_twoValuesOnOneLine_keepsSecond() {
    String out =
        edited(
            "SIP/2.0 200 OK\nVia: SIP/2.0/UDP ours;branch=z9hG4bK1 ,  SIP/2.0/UDP theirs;branch=z9hG4bK2\nCall-ID: x\n\n",
            MessageEditor::removeTopVia);

    assertThat(out)
        .isEqualTo(
            lines("SIP/2.0 200 OK\nVia: SIP/2.0/UDP theirs;branch=z9hG4bK2\nCall-ID: x\n\n"));
  }

  @Test
  void removeTopVia_commaInQuotedParameter_notASeparator() {
    String out =
        edited(
            "SIP/2.0 200 OK\nVia: SIP/2.0/UDP ours;x=\"a,b\\\",c\";branch=z9hG4bK1,SIP/2.0/UDP theirs\n\n",
            MessageEditor::removeTopVia);

    assertThat(out).isEqualTo(lines("SIP/2.0 200 OK\nVia: SIP/2.0/UDP theirs\n\n"));
  }

  @Test
  void removeTopVia_quotedCommaOnlyValue_removesWholeLine() {
    String out =
        edited(
            "SIP/2.0 200 OK\nVia: SIP/2.0/UDP ours;x=\"a,b\"\nVia: SIP/2.0/UDP theirs\n\n",
            MessageEditor::removeTopVia);

    assertThat(out).isEqualTo(lines("SIP/2.0 200 OK\nVia: SIP/2.0/UDP theirs\n\n"));
  }

  @Test
  void removeTopVia_foldedMultiValueLine_keepsSecondValueAndItsFolding() {
    String out =
        edited(
            "SIP/2.0 200 OK\nv:  SIP/2.0/TCP ours ;\n  branch = z9hG4bK1  ,\n SIP/2.0/UDP theirs ; branch=\n z9hG4bK2\nCall-ID: x\n\n",
            MessageEditor::removeTopVia);

    assertThat(out)
        .isEqualTo(
            lines("SIP/2.0 200 OK\nv:  SIP/2.0/UDP theirs ; branch=\n z9hG4bK2\nCall-ID: x\n\n"));
  }

  @Test
  void removeTopVia_trailingComma_removesWholeLine() {
    String out =
        edited(
            "SIP/2.0 200 OK\nVia: SIP/2.0/UDP ours , \nCall-ID: x\n\n",
            MessageEditor::removeTopVia);

    assertThat(out).isEqualTo(lines("SIP/2.0 200 OK\nCall-ID: x\n\n"));
  }

  @Test
  void removeTopVia_noVia_unchanged() {
    String message = "SIP/2.0 200 OK\nCall-ID: x\n\n";

    assertThat(edited(message, MessageEditor::removeTopVia)).isEqualTo(lines(message));
  }

  @Test
  void addTopViaParameters_singleValue_appendedAtEndOfValue() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1   \nCall-ID: x\n\n",
            e -> e.addTopViaParameters(";received=192.0.2.1"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.1   \nCall-ID: x\n\n"));
  }

  @Test
  void addTopViaParameters_twoValuesOnOneLine_appendedBeforeComma() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1 , SIP/2.0/UDP b;branch=z9hG4bK0\n\n",
            e -> e.addTopViaParameters(";received=192.0.2.1"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1 , SIP/2.0/UDP b;branch=z9hG4bK0\n\n"));
  }

  @Test
  void addTopViaParameters_bareRport_replacedNotDuplicated() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a:5062;rport;branch=z9hG4bK1\n\n",
            e -> e.addTopViaParameters(";received=192.0.2.1;rport=5060"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a:5062;rport=5060;branch=z9hG4bK1;received=192.0.2.1\n\n"));
  }

  @Test
  void addTopViaParameters_bareRportLastWithSpaces_replaced() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1 ; RPORT \n\n",
            e -> e.addTopViaParameters(";rport=5060;received=192.0.2.1"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1 ; rport=5060;received=192.0.2.1 \n\n"));
  }

  @Test
  void addTopViaParameters_existingReceived_replacedInPlace() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;received=10.0.0.1;branch=z9hG4bK1\n\n",
            e -> e.addTopViaParameters(";received=192.0.2.1"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;received=192.0.2.1;branch=z9hG4bK1\n\n"));
  }

  @Test
  void addTopViaParameters_rportNameInsideQuotedValue_notMistakenForParameter() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;x=\";rport\";branch=z9hG4bK1\n\n",
            e -> e.addTopViaParameters(";rport=5060"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;x=\";rport\";branch=z9hG4bK1;rport=5060\n\n"));
  }

  @Test
  void addTopViaParameters_withoutLeadingSemicolon_rejected() {
    assertThatThrownBy(() -> editor(TWO_VIAS).addTopViaParameters("received=1.2.3.4"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setMaxForwards_present_valueReplaced() {
    String out = edited(TWO_VIAS, e -> e.setMaxForwards(69));

    assertThat(out).contains(lines("\nMax-Forwards: 69\nCall-ID")).doesNotContain("70");
  }

  @Test
  void setMaxForwards_foldedOddValue_replacedWholeValue() {
    String out =
        edited(
            "OPTIONS sip:a@h SIP/2.0\nmax-forwards:\n 0070\nCall-ID: x\n\n",
            e -> e.setMaxForwards(69));

    assertThat(out).isEqualTo(lines("OPTIONS sip:a@h SIP/2.0\nmax-forwards:\n 69\nCall-ID: x\n\n"));
  }

  @Test
  void setMaxForwards_absent_insertedAfterTopVia() {
    String out =
        edited(
            "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a\nVia: SIP/2.0/UDP b\nCall-ID: x\n\n",
            e -> e.setMaxForwards(70));

    assertThat(out)
        .isEqualTo(
            lines(
                "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a\nMax-Forwards: 70\nVia: SIP/2.0/UDP b\nCall-ID: x\n\n"));
  }

  @Test
  void setMaxForwards_absentWithOurVia_insertedAfterOurViaWhateverTheCallOrder() {
    String message = "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a\nCall-ID: x\n\n";
    String expected =
        lines(
            "OPTIONS sip:a@h SIP/2.0\nVia: "
                + OUR_VIA
                + "\nMax-Forwards: 70\nVia: SIP/2.0/UDP a\nCall-ID: x\n\n");

    assertThat(edited(message, e -> e.addViaOnTop(OUR_VIA).setMaxForwards(70))).isEqualTo(expected);
    assertThat(edited(message, e -> e.setMaxForwards(70).addViaOnTop(OUR_VIA))).isEqualTo(expected);
  }

  @Test
  void setMaxForwards_absentAndNoVia_insertedAfterStartLine() {
    String out = edited("OPTIONS sip:a@h SIP/2.0\nCall-ID: x\n\n", e -> e.setMaxForwards(70));

    assertThat(out).isEqualTo(lines("OPTIONS sip:a@h SIP/2.0\nMax-Forwards: 70\nCall-ID: x\n\n"));
  }

  @Test
  void setMaxForwards_allLinesRemoved_insertsNewLine() {
    String out = edited(TWO_VIAS, e -> e.removeHeaders("max-forwards").setMaxForwards(69));

    assertThat(out)
        .isEqualTo(
            lines(
                """
                INVITE sip:b@example.com SIP/2.0
                Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1
                Max-Forwards: 69
                Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2;rport
                Call-ID: x

                """));
  }

  @Test
  void setMaxForwards_negative_rejected() {
    assertThatThrownBy(() -> editor(TWO_VIAS).setMaxForwards(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removeHeaders_compactAndLongForms_allLinesRemoved() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nIdentity: a\nCall-ID: x\ny: b;info=c\nIDENTITY:\n c\nIdentity-Info: keep\n\nbody",
            e -> e.removeHeaders("Identity"));

    assertThat(out)
        .isEqualTo(lines("INVITE sip:a@h SIP/2.0\nCall-ID: x\nIdentity-Info: keep\n\nbody"));
  }

  @Test
  void removeHeaders_byCompactName_removesLongFormToo() {
    String out = edited("INVITE sip:a@h SIP/2.0\nSubject: a\ns: b\n\n", e -> e.removeHeaders("s"));

    assertThat(out).isEqualTo(lines("INVITE sip:a@h SIP/2.0\n\n"));
  }

  @Test
  void addHeader_appendedAsLastHeaderInCallOrder() {
    String out =
        edited(
            "INVITE sip:a@h SIP/2.0\nCall-ID: x\nContent-Length: 4\n\nv=0\n",
            e -> e.addHeader("X-SipSentry-Verdict", "allow;score=0").addHeader("X-Two", "2"));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nCall-ID: x\nContent-Length: 4\nX-SipSentry-Verdict: allow;score=0\nX-Two: 2\n\nv=0\n"));
  }

  @Test
  void addHeader_headersWithoutEmptyLine_lastLineTerminatedFirst() {
    byte[] bytes = "OPTIONS sip:a@h SIP/2.0\r\nCall-ID: x".getBytes(StandardCharsets.US_ASCII);
    byte[] out =
        new MessageEditor(HeaderIndex.scan(bytes))
            .addHeader("A", "1")
            .addHeader("B", "2")
            .toBytes();

    assertThat(text(out)).isEqualTo("OPTIONS sip:a@h SIP/2.0\r\nCall-ID: x\r\nA: 1\r\nB: 2\r\n");
  }

  @Test
  void addHeader_badNameOrValue_rejected() {
    MessageEditor editor = editor(TWO_VIAS);

    assertThatThrownBy(() -> editor.addHeader("X Bad", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> editor.addHeader("X-Ok", "1\n2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replaceHeaderValue_foldedValue_replacedWholeValueKeepingName() {
    HeaderIndex index =
        HeaderIndex.scan(
            crlf("INVITE sip:a@h SIP/2.0\nP-Asserted-Identity :\n <sip:old@h>  \nCall-ID: x\n\n"));
    HeaderLine pai = index.first("p-asserted-identity").orElseThrow();

    String out =
        text(
            new MessageEditor(index)
                .replaceHeaderValue(pai, "<sip:new@h>;verstat=TN-Validation-Passed")
                .toBytes());

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:a@h SIP/2.0\nP-Asserted-Identity :\n <sip:new@h>;verstat=TN-Validation-Passed  \nCall-ID: x\n\n"));
  }

  @Test
  void replaceHeaderValue_emptyValueGluedToColon_spaceAdded() {
    HeaderIndex index = HeaderIndex.scan(crlf("INVITE sip:a@h SIP/2.0\nSubject:\nCall-ID: x\n\n"));

    String out =
        text(
            new MessageEditor(index)
                .replaceHeaderValue(index.first("Subject").orElseThrow(), "hi")
                .toBytes());

    assertThat(out).isEqualTo(lines("INVITE sip:a@h SIP/2.0\nSubject: hi\nCall-ID: x\n\n"));
  }

  @Test
  void replaceHeaderValue_lineFromOtherMessage_rejected() {
    HeaderLine foreign = HeaderIndex.scan(crlf(INVITE)).headers().get(3);

    assertThatThrownBy(() -> editor(TWO_VIAS).replaceHeaderValue(foreign, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replaceHeaderValue_insideRemovedLine_removalWins() {
    HeaderIndex index =
        HeaderIndex.scan(crlf("INVITE sip:a@h SIP/2.0\nSubject: a\nCall-ID: x\n\n"));
    HeaderLine subject = index.first("Subject").orElseThrow();

    String out =
        text(
            new MessageEditor(index)
                .removeHeaders("Subject")
                .replaceHeaderValue(subject, "b")
                .toBytes());

    assertThat(out).isEqualTo(lines("INVITE sip:a@h SIP/2.0\nCall-ID: x\n\n"));
  }

  @Test
  void toBytes_allEditsTogether_appliedInOnePass() {
    String message =
        """
        INVITE sip:+14155550100@example.com SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport
        Max-Forwards: 70
        To: <sip:+14155550100@example.com>
        From: <sip:+12125550199@example.net>;tag=1
        Call-ID: a84b
        CSeq: 1 INVITE
        P-Asserted-Identity: <sip:+12125550199@example.net>
        Identity: eyJ.eyJ.sig;info=<https://c.example/x.cer>
        Content-Length: 4

        v=0
        """;
    HeaderIndex index = HeaderIndex.scan(crlf(message));
    HeaderLine pai = index.first("P-Asserted-Identity").orElseThrow();

    byte[] out =
        new MessageEditor(index)
            .addHeader("X-SipSentry-Verdict", "allow;score=10")
            .replaceHeaderValue(pai, "<sip:+12125550199@example.net>;verstat=TN-Validation-Passed")
            .removeHeaders("Identity")
            .setMaxForwards(69)
            .addTopViaParameters(";received=192.0.2.10;rport=5062")
            .addViaOnTop(OUR_VIA)
            .toBytes();

    assertThat(text(out))
        .isEqualTo(
            lines(
                """
                INVITE sip:+14155550100@example.com SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-ss-1
                Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776;rport=5062;received=192.0.2.10
                Max-Forwards: 69
                To: <sip:+14155550100@example.com>
                From: <sip:+12125550199@example.net>;tag=1
                Call-ID: a84b
                CSeq: 1 INVITE
                P-Asserted-Identity: <sip:+12125550199@example.net>;verstat=TN-Validation-Passed
                Content-Length: 4
                X-SipSentry-Verdict: allow;score=10

                v=0
                """));
  }

  @Test
  void toBytes_calledTwice_sameResult() {
    MessageEditor editor = editor(TWO_VIAS).addViaOnTop(OUR_VIA).setMaxForwards(69);

    assertThat(editor.toBytes()).isEqualTo(editor.toBytes());
  }

  @Test
  void toBytes_bodyWithNulAndBinary_bodyUnchanged() {
    byte[] head =
        crlf(
            "MESSAGE sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;rport\nMax-Forwards: 70\nContent-Length: 260\n\n");
    byte[] body = new byte[260];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    body[10] = '\r';
    body[11] = '\n';
    body[12] = '\r';
    body[13] = '\n';
    byte[] message = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, message, head.length, body.length);

    byte[] out =
        new MessageEditor(HeaderIndex.scan(message))
            .addViaOnTop(OUR_VIA)
            .addTopViaParameters(";received=192.0.2.1;rport=1")
            .setMaxForwards(69)
            .addHeader("X-A", "b")
            .toBytes();

    assertThat(Arrays.copyOfRange(out, out.length - body.length, out.length)).isEqualTo(body);
    assertThat(text(out)).contains("Content-Length: 260\r\nX-A: b\r\n\r\n");
  }

  @Test
  void toBytes_viaRoundTrip_addThenRemoveRestoresOriginal() {
    byte[] original = crlf(TWO_VIAS);
    byte[] forwarded = new MessageEditor(HeaderIndex.scan(original)).addViaOnTop(OUR_VIA).toBytes();
    byte[] back = new MessageEditor(HeaderIndex.scan(forwarded)).removeTopVia().toBytes();

    assertThat(back).isEqualTo(original);
  }

  @Test
  void removeHeadersVia_withAddViaOnTop_onlyOurViaLeft() {
    String out =
        edited(TWO_VIAS, e -> e.removeHeaders("v").addViaOnTop(OUR_VIA).setMaxForwards(69));

    assertThat(out)
        .isEqualTo(
            lines(
                "INVITE sip:b@example.com SIP/2.0\nVia: "
                    + OUR_VIA
                    + "\nMax-Forwards: 69\nCall-ID: x\n\n"));
  }
}
