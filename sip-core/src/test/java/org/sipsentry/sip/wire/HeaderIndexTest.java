package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.sip.wire.Messages.INVITE;
import static org.sipsentry.sip.wire.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderIndexTest {

  private static List<String> names(HeaderIndex index) {
    return index.headers().stream().map(HeaderLine::name).toList();
  }

  @Test
  void scan_normalInvite_findsStartLineHeadersAndBody() {
    byte[] bytes = crlf(INVITE);
    HeaderIndex index = HeaderIndex.scan(bytes);

    assertThat(index.startLine()).isEqualTo("INVITE sip:+14155550100@example.com SIP/2.0");
    assertThat(index.looksLikeRequest()).isTrue();
    assertThat(index.looksLikeResponse()).isFalse();
    assertThat(names(index))
        .containsExactly(
            "Via",
            "Max-Forwards",
            "To",
            "From",
            "Call-ID",
            "CSeq",
            "Contact",
            "P-Asserted-Identity",
            "Content-Type",
            "Content-Length");
    assertThat(index.malformedLines()).isZero();
    assertThat(index.hasHeaderEnd()).isTrue();
    assertThat(index.bodyOffset()).isEqualTo(bytes.length - 5);
    assertThat(index.value(index.first("From").orElseThrow()))
        .isEqualTo("\"Alice\" <sip:+12125550199@example.net>;tag=1928301774");
    HeaderLine via = index.headers().get(0);
    String message = Messages.text(bytes);
    assertThat(via.lineStart()).isEqualTo(message.indexOf("Via:"));
    assertThat(via.valueStart()).isEqualTo(message.indexOf("SIP/2.0/UDP"));
    assertThat(via.valueEnd()).isEqualTo(message.indexOf("\r\nMax-Forwards"));
    assertThat(via.lineEnd()).isEqualTo(message.indexOf("Max-Forwards"));
  }

  @Test
  void scan_compactForms_expandedToCanonicalNames() {
    HeaderIndex index =
        HeaderIndex.scan(
            crlf(
                """
                OPTIONS sip:a@example.com SIP/2.0
                v: SIP/2.0/UDP h;branch=z9hG4bK1
                F: <sip:b@example.com>;tag=1
                t: <sip:a@example.com>
                i: abc
                m: <sip:b@h>
                l: 0
                c: text/plain
                k: timer
                s: hi
                e: gzip
                o: presence
                r: <sip:c@h>
                b: <sip:d@h>
                u: refer
                y: eyJhbGciOiJFUzI1NiJ9.e30.c2ln;info=<https://cert.example.org/a.cer>
                x: 1800
                cseq: 1 OPTIONS
                call-id: second
                MAX-FORWARDS: 70
                p-asserted-identity: <tel:+12125550199>

                """));

    assertThat(names(index))
        .containsExactly(
            "Via",
            "From",
            "To",
            "Call-ID",
            "Contact",
            "Content-Length",
            "Content-Type",
            "Supported",
            "Subject",
            "Content-Encoding",
            "Event",
            "Refer-To",
            "Referred-By",
            "Allow-Events",
            "Identity",
            "Session-Expires",
            "CSeq",
            "Call-ID",
            "Max-Forwards",
            "P-Asserted-Identity");
    assertThat(index.all("call-id")).hasSize(2);
    assertThat(index.all("I")).hasSize(2);
    assertThat(index.first("V")).isEqualTo(index.first("via"));
    assertThat(index.value(index.first("Identity").orElseThrow())).startsWith("eyJhbGci");
  }

  @Test
  void scan_unknownName_keptAsReceived() {
    HeaderIndex index =
        HeaderIndex.scan(crlf("OPTIONS sip:a@h SIP/2.0\nX-Custom-THING: 1\nq: 2\n\n"));

    assertThat(names(index)).containsExactly("X-Custom-THING", "q");
    assertThat(index.first("x-custom-thing")).isPresent();
  }

  @Test
  void scan_viabilityAndSpaceBeforeColon_onlyRealViasAreVia() {
    HeaderIndex index =
        HeaderIndex.scan(
            crlf(
                """
                OPTIONS sip:a@h SIP/2.0
                Viability: high
                Via :SIP/2.0/UDP a;branch=z9hG4bK1
                Via\t: SIP/2.0/UDP b;branch=z9hG4bK2
                V: SIP/2.0/UDP c;branch=z9hG4bK3
                Vias: nope

                """));

    assertThat(index.all("Via"))
        .extracting(index::value)
        .containsExactly(
            "SIP/2.0/UDP a;branch=z9hG4bK1",
            "SIP/2.0/UDP b;branch=z9hG4bK2",
            "SIP/2.0/UDP c;branch=z9hG4bK3");
    assertThat(names(index)).containsExactly("Viability", "Via", "Via", "Via", "Vias");
  }

  @Test
  void scan_foldedHeaders_belongToPreviousAndValueIsUnfolded() {
    byte[] bytes =
        crlf(
            "INVITE sip:a@h SIP/2.0\n"
                + "Subject: first part  \n"
                + " \t second part\n"
                + "Route:\n"
                + " <sip:services.example.com;lr>\n"
                + "Call-ID: x\n"
                + "\n");
    HeaderIndex index = HeaderIndex.scan(bytes);

    assertThat(names(index)).containsExactly("Subject", "Route", "Call-ID");
    assertThat(index.value(index.first("Subject").orElseThrow()))
        .isEqualTo("first part second part");
    assertThat(index.value(index.first("Route").orElseThrow()))
        .isEqualTo("<sip:services.example.com;lr>");
    HeaderLine subject = index.first("Subject").orElseThrow();
    assertThat(subject.lineEnd()).isEqualTo(index.first("Route").orElseThrow().lineStart());
    assertThat(index.malformedLines()).isZero();
  }

  @Test
  void scan_lfOnly_sameHeadersAsCrlf() {
    String lf = INVITE;
    HeaderIndex index = HeaderIndex.scan(lf.getBytes(StandardCharsets.UTF_8));
    HeaderIndex reference = HeaderIndex.scan(crlf(INVITE));

    assertThat(names(index)).isEqualTo(names(reference));
    assertThat(index.startLine()).isEqualTo(reference.startLine());
    assertThat(index.headers())
        .extracting(index::value)
        .isEqualTo(reference.headers().stream().map(reference::value).toList());
    assertThat(index.hasHeaderEnd()).isTrue();
    assertThat(
            new String(
                lf.getBytes(StandardCharsets.UTF_8), index.bodyOffset(), 4, StandardCharsets.UTF_8))
        .isEqualTo("v=0\n");
  }

  @Test
  void scan_missingEmptyLine_reportsNoHeaderEnd() {
    byte[] bytes = crlf("OPTIONS sip:a@h SIP/2.0\nVia: SIP/2.0/UDP h\nCall-ID: x");
    HeaderIndex index = HeaderIndex.scan(bytes);

    assertThat(index.hasHeaderEnd()).isFalse();
    assertThat(index.bodyOffset()).isEqualTo(bytes.length);
    assertThat(index.value(index.first("Call-ID").orElseThrow())).isEqualTo("x");
    assertThat(index.first("Call-ID").orElseThrow().lineEnd()).isEqualTo(bytes.length);
  }

  @Test
  void scan_baddnWithoutEmptyLine_findsAllHeaders() {
    byte[] bytes = Messages.resource("baddn.dat");
    HeaderIndex index = HeaderIndex.scan(bytes);

    assertThat(index.hasHeaderEnd()).isFalse();
    assertThat(index.bodyOffset()).isEqualTo(bytes.length);
    assertThat(index.first("Content-Length")).isPresent();
    assertThat(index.malformedLines()).isZero();
  }

  @Test
  void scan_garbageLines_skippedAndCounted() {
    HeaderIndex index =
        HeaderIndex.scan(
            crlf(
                """
                INVITE sip:a@h SIP/2.0
                 leading fold without a header
                this line has no colon
                : no name
                bad name: value
                Via: SIP/2.0/UDP h;branch=z9hG4bK1
                \u0001\u0002: control
                Call-ID: x

                body"""));

    assertThat(names(index)).containsExactly("Via", "Call-ID");
    assertThat(index.malformedLines()).isEqualTo(5);
    assertThat(index.hasHeaderEnd()).isTrue();
  }

  @Test
  void scan_leadingCrlfs_skippedBeforeStartLine() {
    HeaderIndex index = HeaderIndex.scan(crlf("\n\nOPTIONS sip:a@h SIP/2.0\nCall-ID: x\n\n"));

    assertThat(index.startLine()).isEqualTo("OPTIONS sip:a@h SIP/2.0");
    assertThat(names(index)).containsExactly("Call-ID");
  }

  @Test
  void scan_response_looksLikeResponse() {
    HeaderIndex index = HeaderIndex.scan(crlf("SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP h\n\n"));

    assertThat(index.looksLikeResponse()).isTrue();
    assertThat(index.looksLikeRequest()).isFalse();
  }

  @Test
  void scan_garbageStartLine_neitherRequestNorResponse() {
    assertThat(HeaderIndex.scan(crlf("hello\n\n")).looksLikeRequest()).isFalse();
    assertThat(HeaderIndex.scan(crlf("INVITE sip:a@h HTTP/1.1\n\n")).looksLikeRequest()).isFalse();
    assertThat(HeaderIndex.scan(crlf("INVITE  sip:a@h  SIP/2.0\n\n")).looksLikeRequest()).isTrue();
  }

  @Test
  void scan_emptyAndTruncatedInput_neverThrows() {
    for (String s : new String[] {"", "\r\n", "\r\n\r\n", "INVITE", "\r", "A: b\r", "X\r\n \r\n"}) {
      HeaderIndex index = HeaderIndex.scan(s.getBytes(StandardCharsets.ISO_8859_1));
      assertThat(index.looksLikeRequest()).isFalse();
      assertThat(index.bodyOffset()).isLessThanOrEqualTo(s.length());
    }
    assertThat(HeaderIndex.scan(new byte[0]).startLine()).isEmpty();
  }

  @Test
  void scan_emptyValue_isEmptyString() {
    HeaderIndex index = HeaderIndex.scan(crlf("OPTIONS sip:a@h SIP/2.0\nSubject:   \nX:\n\n"));

    assertThat(index.headers()).extracting(index::value).containsExactly("", "");
  }

  @Test
  void value_utf8AndInvalidBytes_decodedWithReplacement() {
    byte[] head = crlf("MESSAGE sip:a@h SIP/2.0\nSubject: caf\u00e9 \n\n");
    HeaderIndex index = HeaderIndex.scan(head);
    assertThat(index.value(index.first("s").orElseThrow())).isEqualTo("caf\u00e9");

    byte[] latin1 =
        "MESSAGE sip:a@h SIP/2.0\r\nSubject: caf\u00e9\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    HeaderIndex invalid = HeaderIndex.scan(latin1);
    assertThat(invalid.value(invalid.first("Subject").orElseThrow())).isEqualTo("caf\uFFFD");
  }

  @Test
  void scan_wsinv_findsFoldedViasAndCompactForms() {
    byte[] bytes = Messages.resource("wsinv.dat");
    HeaderIndex index = HeaderIndex.scan(bytes);

    assertThat(index.malformedLines()).isZero();
    assertThat(index.hasHeaderEnd()).isTrue();
    assertThat(index.all("Via"))
        .extracting(index::value)
        .containsExactly(
            "SIP  /   2.0 /UDP 192.0.2.2;branch=390skdjuw",
            "SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8  ,"
                + " SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239");
    assertThat(index.value(index.first("MaX-fOrWaRdS").orElseThrow())).isEqualTo("0068");
    assertThat(index.value(index.first("Subject").orElseThrow())).isEmpty();
    assertThat(index.value(index.first("Contact").orElseThrow()))
        .isEqualTo(
            "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam = newvalue ;"
                + " secondparam ; q = 0.33");
    assertThat(new String(bytes, index.bodyOffset(), 3, StandardCharsets.US_ASCII))
        .isEqualTo("v=0");
  }

  @Test
  void scan_longreq_findsAllVias() {
    HeaderIndex index = HeaderIndex.scan(Messages.resource("longreq.dat"));

    assertThat(index.all("v")).hasSize(34);
    assertThat(index.malformedLines()).isZero();
  }
}
