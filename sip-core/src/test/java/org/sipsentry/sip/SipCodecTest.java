package org.sipsentry.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.ParseResult.Parsed;
import org.sipsentry.sip.ParseResult.Rejected;

class SipCodecTest {

  /** Bytes that matter to the SIP grammar, for the seeded mutation test. */
  private static final byte[] MUTATIONS =
      "<>\";:,\r\n \t@%\0\\x9=".getBytes(StandardCharsets.UTF_8);

  private static final String BODY = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\n";

  /** A carrier INVITE with two identities in one P-Asserted-Identity line, as SBCs send them. */
  private static final String CARRIER_INVITE =
      """
      INVITE sip:+41446681801@sipsentry.example.net;user=phone SIP/2.0
      Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-c1;rport, SIP/2.0/TCP [2001:db8::10]:5070;branch=z9hG4bK-c0;received=198.51.100.7
      Max-Forwards: 69
      From: "Alice \\"A\\" Smith" <sip:%2B41446681800@Carrier.example.com;user=phone;Tgrp=ch1>;tag=f1a2
      To: <sip:+41446681801@sipsentry.example.net;user=phone>
      Call-ID: 3c26700b@192.0.2.10
      CSeq: 101 INVITE
      Contact: <sip:+41446681800@192.0.2.10:5060>
      P-Asserted-Identity: "Alice" <sip:+41446681800@carrier.example.com;user=phone>, <tel:+41-44-668-1800;cpc=ordinary>
      P-Preferred-Identity: <sip:alice@example.com>
      Privacy: id;Header
      Identity: eyJhbGciOiJFUzI1NiJ9.eyJhdHRlc3QiOiJBIn0.c2ln;info=<https://cert.example.com/sp.pem>;alg=ES256;ppt=shaken
      y: eyJhbGciOiJFUzI1NiJ9.eyJkaXYiOnt9fQ.c2ln;info=<https://cert.example.com/div.pem>;ppt=div
      User-Agent: CarrierSBC/4.2 (edge)
      Content-Type: application/sdp
      Content-Length: 37

      """;

  @Test
  void parse_carrierInvite_readsRoutingAndIdentityHeaders() {
    byte[] bytes = sip(CARRIER_INVITE, BODY);

    SipMessage message = parsed(bytes);

    assertThat(message.bytes()).isSameAs(bytes);
    assertThat(message.isRequest()).isTrue();
    assertThat(message.method()).isEqualTo("INVITE");
    assertThat(message.requestUri()).isEqualTo("sip:+41446681801@sipsentry.example.net;user=phone");
    assertThat(message.statusCode()).isZero();
    assertThat(message.reasonPhrase()).isEmpty();
    assertThat(message.callId()).isEqualTo("3c26700b@192.0.2.10");
    assertThat(message.cseqNumber()).isEqualTo(101);
    assertThat(message.cseqMethod()).isEqualTo("INVITE");
    assertThat(message.maxForwards()).isEqualTo(OptionalInt.of(69));
    assertThat(message.from())
        .isEqualTo(
            new NameAddress(
                "Alice \"A\" Smith",
                "sip:%2B41446681800@Carrier.example.com;user=phone;Tgrp=ch1",
                "sip",
                "+41446681800",
                "Carrier.example.com",
                Map.of("user", "phone", "tgrp", "ch1"),
                "f1a2"));
    assertThat(message.from().isTelephoneSubscriber()).isTrue();
    assertThat(message.to().uri()).isEqualTo("sip:+41446681801@sipsentry.example.net;user=phone");
    assertThat(message.to().tag()).isEmpty();
    assertThat(message.pAssertedIdentities())
        .containsExactly(
            new NameAddress(
                "Alice",
                "sip:+41446681800@carrier.example.com;user=phone",
                "sip",
                "+41446681800",
                "carrier.example.com",
                Map.of("user", "phone"),
                ""),
            new NameAddress(
                "",
                "tel:+41-44-668-1800;cpc=ordinary",
                "tel",
                "+41-44-668-1800",
                "",
                Map.of("cpc", "ordinary"),
                ""));
    assertThat(message.pPreferredIdentities())
        .containsExactly(NameAddress.of("sip", "alice", "example.com"));
    assertThat(message.privacy()).containsExactly("id", "header");
    assertThat(message.identityHeaders())
        .containsExactly(
            "eyJhbGciOiJFUzI1NiJ9.eyJhdHRlc3QiOiJBIn0.c2ln;info=<https://cert.example.com/sp.pem>;alg=ES256;ppt=shaken",
            "eyJhbGciOiJFUzI1NiJ9.eyJkaXYiOnt9fQ.c2ln;info=<https://cert.example.com/div.pem>;ppt=div");
    assertThat(message.userAgent()).isEqualTo("CarrierSBC/4.2 (edge)");
    assertThat(message.defects()).isEmpty();
  }

  @Test
  void parse_carrierInvite_headerLookupIsCaseInsensitiveAndKnowsCompactForms() {
    SipMessage message = parsed(sip(CARRIER_INVITE, BODY));

    assertThat(message.header("identity")).isEqualTo(message.header("y"));
    assertThat(message.header("i")).contains("3c26700b@192.0.2.10");
    assertThat(message.header("CONTENT-TYPE")).contains("application/sdp");
    assertThat(message.header("l")).contains("37");
    assertThat(message.header("X-Unknown")).isEqualTo(Optional.empty());
  }

  @Test
  void parse_viasInOneLineAndSeveralLines_allInOrderTopFirst() {
    SipMessage message =
        parsed(
            sip(
                request("OPTIONS")
                    .replace(
                        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1\n",
                        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1,SIP/2.0/TCP b.example.com:5070"
                            + ";branch=z9hG4bK-2\nv: SIP/2.0/TLS [2001:db8::3];branch=z9hG4bK-3\n"),
                ""));

    assertThat(message.vias())
        .extracting(Via::branch)
        .containsExactly("z9hG4bK-1", "z9hG4bK-2", "z9hG4bK-3");
    assertThat(message.vias())
        .extracting(Via::sentBy)
        .containsExactly("192.0.2.1", "b.example.com:5070", "[2001:db8::3]");
    assertThat(message.vias()).extracting(Via::transport).containsExactly("UDP", "TCP", "TLS");
  }

  @Test
  void parse_viaWithReceivedAndRport_parametersInOrder() {
    List<Via> vias = parsed(sip(CARRIER_INVITE, BODY)).vias();

    Via top = vias.get(0);
    assertThat(top.host()).isEqualTo("192.0.2.10");
    assertThat(top.port()).isEqualTo(5060);
    assertThat(top.hasRport()).isTrue();
    assertThat(top.rport()).isEmpty();
    assertThat(top.received()).isEmpty();
    assertThat(top.parameters())
        .containsExactly(Map.entry("branch", "z9hG4bK-c1"), Map.entry("rport", ""));

    Via second = vias.get(1);
    assertThat(second.sentBy()).isEqualTo("[2001:db8::10]:5070");
    assertThat(second.received()).contains("198.51.100.7");
    assertThat(second.hasRport()).isFalse();
  }

  @Test
  void parse_viaWithRportValue_rportReadable() {
    SipMessage message =
        parsed(
            sip(
                request("OPTIONS")
                    .replace(
                        "branch=z9hG4bK-1", "received=203.0.113.9;rport=40123;branch=z9hG4bK-1"),
                ""));

    Via via = message.vias().get(0);
    assertThat(via.rport()).isEqualTo(OptionalInt.of(40123));
    assertThat(via.received()).contains("203.0.113.9");
    assertThat(via.parameters().keySet()).containsExactly("received", "rport", "branch");
  }

  @Test
  void parse_fromWithoutClosingBracket_rejectsMalformedFrom() {
    String text =
        request("INVITE")
            .replace("From: <sip:alice@example.com>;tag=1", "From: <sip:alice@example.com;tag=1");

    Rejected rejected = rejected(sip(text, ""));

    assertThat(rejected.defect()).isEqualTo(Defect.MALFORMED_HEADER);
    assertThat(rejected.detail()).isEqualTo("From");
    assertThat(rejected.reasonPhrase()).isEqualTo("Malformed From");
    assertThat(rejected.defect().statusCode()).isEqualTo(400);
  }

  @Test
  void parse_unquotedDisplayNameWithComma_rejectsMalformedFrom() {
    String text = request("INVITE").replace("From: <sip:alice", "From: Smith, Alice <sip:alice");

    assertThat(rejected(sip(text, "")).detail()).isEqualTo("From");
  }

  @Test
  void parse_malformedPaiEntry_reportedInDefectsAndLeftOut() {
    String text =
        request("INVITE")
            .replace(
                "Call-ID:",
                "P-Asserted-Identity: <sip:+41446681800@carrier.example.com>\n"
                    + "P-Asserted-Identity: <sip:x\nCall-ID:");

    SipMessage message = parsed(sip(text, ""));

    assertThat(message.pAssertedIdentities())
        .extracting(NameAddress::uri)
        .containsExactly("sip:+41446681800@carrier.example.com");
    assertThat(message.defects()).containsExactly("malformed P-Asserted-Identity: <sip:x");
  }

  @Test
  void parse_malformedPrivacyAndPpi_reportedInDefects() {
    String text =
        request("INVITE")
            .replace(
                "Call-ID:", "Privacy: id;;bogus value\nP-Preferred-Identity: garbage\nCall-ID:");

    SipMessage message = parsed(sip(text, ""));

    assertThat(message.privacy()).isEmpty();
    assertThat(message.pPreferredIdentities()).isEmpty();
    assertThat(message.defects())
        .containsExactly(
            "malformed Privacy: id;;bogus value", "malformed P-Preferred-Identity: garbage");
  }

  @Test
  void parse_viaPortOutOfRange_rejectsMalformedVia() {
    Rejected rejected =
        rejected(sip(request("OPTIONS").replace("192.0.2.1;", "192.0.2.1:65536;"), ""));

    assertThat(rejected.defect()).isEqualTo(Defect.MALFORMED_HEADER);
    assertThat(rejected.detail()).isEqualTo("Via");
  }

  @Test
  void parse_escapedUserAndUnusualSchemes_userUnescapedUriAsReceived() {
    String text =
        request("OPTIONS")
            .replace("From: <sip:alice@example.com>;tag=1", "From: SIPS:%61lice@example.com;tag=1")
            .replace("To: <sip:bob@example.net>", "To: <http://www.example.com>");

    SipMessage message = parsed(sip(text, ""));

    assertThat(message.from().uri()).isEqualTo("SIPS:%61lice@example.com");
    assertThat(message.from().scheme()).isEqualTo("sips");
    assertThat(message.from().user()).isEqualTo("alice");
    assertThat(message.from().tag()).isEqualTo("1");
    assertThat(message.to().scheme()).isEqualTo("http");
    assertThat(message.to().user()).isEmpty();
    assertThat(message.to().host()).isEmpty();
  }

  @Test
  void parse_paiOnSeveralLines_allEntriesInOrder() {
    String text =
        request("INVITE")
            .replace(
                "Call-ID:",
                "P-Asserted-Identity: <sip:+41446681800@carrier.example.com;user=phone>\n"
                    + "P-Asserted-Identity: <tel:+41446681800>\nCall-ID:");

    SipMessage message = parsed(sip(text, ""));

    assertThat(message.pAssertedIdentities())
        .extracting(NameAddress::scheme, NameAddress::user)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sip", "+41446681800"),
            org.assertj.core.groups.Tuple.tuple("tel", "+41446681800"));
  }

  @Test
  void parse_crlfKeepAlive_empty() {
    for (String keepAlive : new String[] {"\r\n", "\r\n\r\n", "", " \t\r\n"}) {
      Rejected rejected = rejected(keepAlive.getBytes(StandardCharsets.US_ASCII));

      assertThat(rejected.defect()).isEqualTo(Defect.EMPTY);
      assertThat(rejected.defect().statusCode()).isZero();
    }
  }

  @Test
  void parse_null_emptyInsteadOfThrowing() {
    assertThat(((Rejected) SipCodec.parse(null, null)).defect()).isEqualTo(Defect.EMPTY);
  }

  @Test
  void parse_largerThanLimit_tooLarge() {
    byte[] bytes = sip(CARRIER_INVITE, BODY);

    ParseResult result = SipCodec.parse(bytes, new SipLimits(bytes.length - 1, 256));

    assertThat(((Rejected) result).defect()).isEqualTo(Defect.TOO_LARGE);
    assertThat(((Rejected) result).defect().statusCode()).isEqualTo(513);
    assertThat(SipCodec.parse(bytes, new SipLimits(bytes.length, 256))).isInstanceOf(Parsed.class);
  }

  @Test
  void parse_moreHeadersThanLimit_tooManyHeaders() {
    byte[] bytes = sip(CARRIER_INVITE, BODY); // 15 header fields

    ParseResult result = SipCodec.parse(bytes, new SipLimits(65_536, 14));

    assertThat(((Rejected) result).defect()).isEqualTo(Defect.TOO_MANY_HEADERS);
    assertThat(SipCodec.parse(bytes, new SipLimits(65_536, 15))).isInstanceOf(Parsed.class);
  }

  @Test
  void parse_foldedHeader_countsAsOneHeader() {
    String text = request("OPTIONS").replace("Max-Forwards: 70\n", "Max-Forwards:\n   70\n");
    byte[] bytes = sip(text, "");

    SipMessage message =
        ((Parsed) SipCodec.parse(bytes, new SipLimits(65_536, 7))).message(); // 7 header fields

    assertThat(message.maxForwards()).isEqualTo(OptionalInt.of(70));
    assertThat(message.header("Max-Forwards")).contains("70");
  }

  @Test
  void parse_okResponse_statusAndCseqMethod() {
    String text =
        """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1;received=198.51.100.1
        From: <sip:alice@example.com>;tag=1
        To: <sip:bob@example.net>;tag=2
        Call-ID: c1@192.0.2.1
        CSeq: 7 INVITE
        Contact: <sip:bob@192.0.2.2>
        Content-Length: 0

        """;

    SipMessage message = parsed(sip(text, ""));

    assertThat(message.isRequest()).isFalse();
    assertThat(message.statusCode()).isEqualTo(200);
    assertThat(message.reasonPhrase()).isEqualTo("OK");
    assertThat(message.method()).isEqualTo("INVITE");
    assertThat(message.requestUri()).isEmpty();
    assertThat(message.to().tag()).isEqualTo("2");
    assertThat(message.maxForwards()).isEmpty();
  }

  @Test
  void parse_udpTrailingOctetsAfterBody_trimmedFromBytes() {
    byte[] message = sip(request("OPTIONS").replace("Content-Length: 0", "Content-Length: 4"), "");
    byte[] datagram = new byte[message.length + 4 + 9];
    System.arraycopy(message, 0, datagram, 0, message.length);
    System.arraycopy("body".getBytes(StandardCharsets.US_ASCII), 0, datagram, message.length, 4);
    System.arraycopy(
        "INVITE x ".getBytes(StandardCharsets.US_ASCII), 0, datagram, message.length + 4, 9);

    SipMessage parsed = parsed(datagram);

    assertThat(parsed.bytes()).hasSize(message.length + 4);
    assertThat(new String(parsed.bytes(), StandardCharsets.US_ASCII)).endsWith("\r\n\r\nbody");
  }

  @Test
  void parse_contentLengthLargerThanBody_badContentLength() {
    byte[] bytes = sip(request("OPTIONS").replace("Content-Length: 0", "Content-Length: 10"), "");

    Rejected rejected = rejected(bytes);

    assertThat(rejected.defect()).isEqualTo(Defect.BAD_CONTENT_LENGTH);
    assertThat(rejected.reasonPhrase()).isEqualTo("Bad Content-Length");
  }

  @Test
  void parse_missingCallId_missingHeader() {
    Rejected rejected =
        rejected(sip(request("OPTIONS").replace("Call-ID: c1@192.0.2.1\n", ""), ""));

    assertThat(rejected.defect()).isEqualTo(Defect.MISSING_HEADER);
    assertThat(rejected.reasonPhrase()).isEqualTo("Missing Call-ID");
  }

  @Test
  void parse_cseqMethodDiffersFromRequest_mismatch() {
    Rejected rejected = rejected(sip(request("OPTIONS").replace("1 OPTIONS", "1 INVITE"), ""));

    assertThat(rejected.defect()).isEqualTo(Defect.CSEQ_METHOD_MISMATCH);
  }

  @Test
  void parse_ackWithAckCseq_parsed() {
    assertThat(parsed(sip(request("ACK"), "")).cseqMethod()).isEqualTo("ACK");
  }

  @Test
  void parse_otherSipVersion_unsupportedVersion505() {
    Rejected rejected = rejected(sip(request("OPTIONS").replace(" SIP/2.0\n", " SIP/3.0\n"), ""));

    assertThat(rejected.defect()).isEqualTo(Defect.UNSUPPORTED_VERSION);
    assertThat(rejected.defect().statusCode()).isEqualTo(505);
  }

  @Test
  void parse_bareCrInsideHeaderSection_malformedHeader() {
    byte[] bytes =
        sip(request("OPTIONS").replace("Max-Forwards: 70", "Max-Forwards: 70\rX: 1"), "");

    assertThat(rejected(bytes).defect()).isEqualTo(Defect.MALFORMED_HEADER);
  }

  @Test
  void parse_whitespaceOnlyLineInHeaderSection_malformedHeader() {
    byte[] bytes =
        sip(request("OPTIONS").replace("Max-Forwards: 70\n", "Max-Forwards: 70\n \n"), "");

    assertThat(rejected(bytes).defect()).isEqualTo(Defect.MALFORMED_HEADER);
  }

  @Test
  void rejected_detailWithControlCharacters_reasonPhraseIsShortPrintableAscii() {
    Rejected rejected =
        new Rejected(Defect.MALFORMED_HEADER, "X-\r\nInjected: ü" + "a".repeat(200));

    assertThat(rejected.reasonPhrase()).hasSizeLessThanOrEqualTo(80).matches("[\\x20-\\x7e]+");
  }

  @Test
  void parse_seededMutations_neverThrow() {
    byte[] original = sip(CARRIER_INVITE, BODY);
    Random random = new Random(4475);
    for (int i = 0; i < 20_000; i++) {
      byte[] mutated = original.clone();
      int edits = 1 + random.nextInt(8);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(mutated.length);
        mutated[at] = MUTATIONS[random.nextInt(MUTATIONS.length)];
      }
      byte[] input = java.util.Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));

      assertThat(SipCodec.parse(input, SipLimits.DEFAULT)).isNotNull();
    }
  }

  @Test
  void parse_concurrentThreads_sameResults() throws Exception {
    byte[] bytes = sip(CARRIER_INVITE, BODY);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<String> callIds = new ArrayList<>();
                  for (int i = 0; i < 500; i++) {
                    callIds.add(parsed(bytes).from().user());
                  }
                  return callIds;
                }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).hasSize(500).containsOnly("+41446681800");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A minimal request whose CSeq method follows the request method. */
  private static String request(String method) {
    return """
        %s sip:bob@example.net SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1
        Max-Forwards: 70
        From: <sip:alice@example.com>;tag=1
        To: <sip:bob@example.net>
        Call-ID: c1@192.0.2.1
        CSeq: 1 %s
        Content-Length: 0

        """
        .formatted(method, method);
  }

  /** The message as sent on the wire: LF line ends become CRLF, then the body follows. */
  private static byte[] sip(String headers, String body) {
    return (headers.replace("\n", "\r\n") + body).getBytes(StandardCharsets.UTF_8);
  }

  private static SipMessage parsed(byte[] bytes) {
    ParseResult result = SipCodec.parse(bytes, SipLimits.DEFAULT);
    assertThat(result).isInstanceOf(Parsed.class);
    return ((Parsed) result).message();
  }

  private static Rejected rejected(byte[] bytes) {
    ParseResult result = SipCodec.parse(bytes, SipLimits.DEFAULT);
    assertThat(result).isInstanceOf(Rejected.class);
    return (Rejected) result;
  }
}
