package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipsentry.sip.wire.Messages.crlf;
import static org.sipsentry.sip.wire.Messages.text;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipResponsesTest {

  private static final List<Map.Entry<String, String>> NO_HEADERS = List.of();

  private static final String REQUEST =
      """
      INVITE sip:+14155550100@example.com SIP/2.0
      Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2
      v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1 , SIP/2.0/TCP 10.0.0.1
      Max-Forwards: 70
      To: <sip:+14155550100@example.com>
      f: "Alice" <sip:+12125550199@example.net>;tag=1928301774
      Call-ID: a84b4c76e66710@pc33.example.net
      CSeq: 314159 INVITE
      Contact: <sip:alice@192.0.2.10>
      Content-Length: 4

      v=0
      """;

  private static String respond(String request, int code, String reason, String toTag) {
    return text(
        SipResponses.response(HeaderIndex.scan(crlf(request)), code, reason, toTag, NO_HEADERS)
            .orElseThrow());
  }

  @Test
  void response_normalRequest_copiesViasInOrderAndAddsToTag() {
    String out = respond(REQUEST, 608, "Rejected", "ss-5f3a");

    assertThat(out)
        .isEqualTo(
            text(
                crlf(
                    """
                    SIP/2.0 608 Rejected
                    Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2
                    v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1 , SIP/2.0/TCP 10.0.0.1
                    f: "Alice" <sip:+12125550199@example.net>;tag=1928301774
                    To: <sip:+14155550100@example.com>;tag=ss-5f3a
                    Call-ID: a84b4c76e66710@pc33.example.net
                    CSeq: 314159 INVITE
                    Content-Length: 0

                    """)));
    assertThat(out.split(";tag=ss-5f3a", -1)).hasSize(2);
  }

  @Test
  void response_toAlreadyTagged_toCopiedVerbatim() {
    String request =
        REQUEST.replace(
            "To: <sip:+14155550100@example.com>", "To: <sip:+14155550100@example.com> ;TAG = abc");

    String out = respond(request, 400, "Bad Request", "ss-1");

    assertThat(out).contains("\r\nTo: <sip:+14155550100@example.com> ;TAG = abc\r\n");
    assertThat(out).doesNotContain("ss-1");
  }

  @Test
  void response_tagInsideUriOnly_tagAdded() {
    String request =
        REQUEST.replace(
            "To: <sip:+14155550100@example.com>", "To: \"x;tag=y\" <sip:b@example.com;tag=uri>");

    String out = respond(request, 400, "Bad Request", "ss-1");

    assertThat(out).contains("\r\nTo: \"x;tag=y\" <sip:b@example.com;tag=uri>;tag=ss-1\r\n");
  }

  @Test
  void response_addrSpecToWithTag_notTaggedAgain() {
    String request = REQUEST.replace("To: <sip:+14155550100@example.com>", "t: sip:b@h;tag=t1");

    assertThat(respond(request, 400, "Bad Request", "ss-1")).contains("\r\nt: sip:b@h;tag=t1\r\n");
  }

  @Test
  void response_noToTagGiven_toCopiedVerbatim() {
    assertThat(respond(REQUEST, 100, "Trying", null))
        .contains("\r\nTo: <sip:+14155550100@example.com>\r\n");
  }

  @Test
  void response_trying_copiesTimestamp() {
    String request = REQUEST.replace("Contact:", "Timestamp: 54\nContact:");

    assertThat(respond(request, 100, "Trying", null)).contains("\r\nTimestamp: 54\r\n");
    assertThat(respond(request, 400, "Bad Request", null)).doesNotContain("Timestamp");
  }

  @Test
  void response_missingCallId_empty() {
    String request = REQUEST.replace("Call-ID: a84b4c76e66710@pc33.example.net\n", "");

    assertThat(
            SipResponses.response(
                HeaderIndex.scan(crlf(request)), 400, "Bad Request", "t", NO_HEADERS))
        .isEmpty();
  }

  @Test
  void response_insufDat_empty() {
    assertThat(
            SipResponses.response(
                HeaderIndex.scan(Messages.resource("insuf.dat")),
                400,
                "Missing Call-ID",
                "t",
                NO_HEADERS))
        .isEmpty();
  }

  @Test
  void response_toAResponse_empty() {
    HeaderIndex response =
        HeaderIndex.scan(crlf(respond(REQUEST, 486, "Busy Here", "t").replace("\r\n", "\n")));

    assertThat(SipResponses.response(response, 400, "Bad Request", "t", NO_HEADERS)).isEmpty();
  }

  @Test
  void response_reasonWithControlCharacters_sanitised() {
    String out = respond(REQUEST, 403, " Forbidden\r\nX-Injected: 1\u0000\u007f\t ", "t");

    assertThat(out).startsWith("SIP/2.0 403 ForbiddenX-Injected: 1\r\nVia:");
  }

  @Test
  void response_utf8Reason_keptAsUtf8() {
    assertThat(respond(REQUEST, 480, "Temporairement indisponible \u00e9", "t"))
        .startsWith("SIP/2.0 480 Temporairement indisponible \u00e9\r\n");
  }

  @Test
  void response_extraHeaders_addedInOrderBeforeContentLength() {
    byte[] out =
        SipResponses.response(
                HeaderIndex.scan(crlf(REQUEST)),
                420,
                "Bad Extension",
                "t",
                List.of(Map.entry("Server", "SipSentry"), Map.entry("Unsupported", "foo")))
            .orElseThrow();

    assertThat(text(out))
        .endsWith(
            "CSeq: 314159 INVITE\r\nServer: SipSentry\r\nUnsupported: foo\r\nContent-Length: 0\r\n\r\n");
  }

  @Test
  void response_foldedAndLfOnlyRequest_linesEndWithCrlf() {
    String request =
        "OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP a;\n branch=z9hG4bK1\nFrom: <sip:b@h>;tag=1\n"
            + "To:\n <sip:a@h>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n";

    byte[] out =
        SipResponses.response(
                HeaderIndex.scan(request.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                400,
                "Bad Request",
                "t",
                NO_HEADERS)
            .orElseThrow();

    assertThat(text(out))
        .isEqualTo(
            "SIP/2.0 400 Bad Request\r\nVia: SIP/2.0/UDP a;\n branch=z9hG4bK1\r\nFrom: <sip:b@h>;tag=1\r\n"
                + "To:\n <sip:a@h>;tag=t\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  }

  @Test
  void response_requestWithoutEmptyLine_stillAnswered() {
    assertThat(
            SipResponses.response(
                HeaderIndex.scan(Messages.resource("baddn.dat")),
                400,
                "Bad Request",
                "t",
                NO_HEADERS))
        .isPresent();
  }

  @Test
  void response_invalidArguments_rejected() {
    HeaderIndex request = HeaderIndex.scan(crlf(REQUEST));

    assertThatThrownBy(() -> SipResponses.response(request, 99, "x", "t", NO_HEADERS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SipResponses.response(request, 400, "x", "a b", NO_HEADERS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SipResponses.response(
                    request, 400, "x", "t", List.of(Map.entry("Server", "a\r\nb: c"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
