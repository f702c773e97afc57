package org.sipsentry.sip.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test messages: text with {@code \n} line ends turned into CRLF, and the RFC 4475 samples. */
final class Messages {

  private Messages() {}

  static byte[] crlf(String text) {
    return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] resource(String name) {
    try (InputStream in = Messages.class.getResourceAsStream("/wire/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /wire/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final String INVITE =
      """
      INVITE sip:+14155550100@example.com SIP/2.0
      Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds
      Max-Forwards: 70
      To: <sip:+14155550100@example.com>
      From: "Alice" <sip:+12125550199@example.net>;tag=1928301774
      Call-ID: a84b4c76e66710@pc33.example.net
      CSeq: 314159 INVITE
      Contact: <sip:alice@192.0.2.10>
      P-Asserted-Identity: <sip:+12125550199@example.net;user=phone>
      Content-Type: application/sdp
      Content-Length: 4

      v=0
      """;
}
