package org.sipsentry.proxy.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.Transport;

class TcpStreamsTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 5060);
  private static final long ISN = 0xFFFFFF00L; // sequence numbers wrap within the test

  private final List<String> messages = new ArrayList<>();
  private final List<String> gaps = new ArrayList<>();
  private final TcpStreams streams =
      new TcpStreams(
          65536,
          (last, message) ->
              messages.add(last.packet() + ":" + new String(message, StandardCharsets.US_ASCII)),
          (segment, detail) -> gaps.add(segment.packet() + ":" + detail));
  private long packet;

  @AfterEach
  void close() {
    streams.close();
  }

  private static String message(String method, String body) {
    return method
        + " sip:bob@example.com SIP/2.0\r\nCall-ID: "
        + method
        + "\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private void send(long sequence, boolean syn, String data) {
    streams.segment(
        new Segment(
            ++packet,
            Instant.EPOCH,
            Transport.TCP,
            CLIENT,
            SERVER,
            data.getBytes(StandardCharsets.US_ASCII),
            sequence & 0xFFFFFFFFL,
            syn,
            false));
  }

  @Test
  void segment_twoMessagesInOne_framesBoth() {
    send(ISN, true, "");
    send(ISN + 1, false, message("INVITE", "v=0\r\n") + message("BYE", ""));

    assertThat(messages)
        .containsExactly("2:" + message("INVITE", "v=0\r\n"), "2:" + message("BYE", ""));
    assertThat(gaps).isEmpty();
  }

  @Test
  void segment_oneMessageOverThree_framedWhenComplete() {
    String invite = message("INVITE", "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");
    send(ISN, true, "");
    send(ISN + 1, false, invite.substring(0, 10));
    send(ISN + 11, false, invite.substring(10, 60));
    assertThat(messages).isEmpty();
    send(ISN + 61, false, invite.substring(60));

    assertThat(messages).containsExactly("4:" + invite);
  }

  @Test
  void segment_retransmittedAndOverlapping_bytesTakenOnce() {
    String invite = message("INVITE", "");
    send(ISN, true, "");
    send(ISN + 1, false, invite.substring(0, 20));
    send(ISN + 1, false, invite.substring(0, 20)); // a retransmission
    send(ISN + 11, false, invite.substring(10)); // overlaps the first ten bytes

    assertThat(messages).containsExactly("4:" + invite);
    assertThat(gaps).isEmpty();
  }

  @Test
  void segment_missingBytes_reportsGapAndResumesAtNextMessage() {
    String first = message("INVITE", "");
    String second = message("OPTIONS", "");
    send(ISN, true, "");
    send(ISN + 1, false, first.substring(0, 20));
    // The rest of the INVITE was not captured; the next segment starts the OPTIONS.
    send(ISN + 1 + first.length(), false, second);

    assertThat(gaps)
        .containsExactly(
            "3:TCP 192.0.2.1:40000 > 192.0.2.2:5060: "
                + (first.length() - 20)
                + " bytes missing before this segment; stream restarted here");
    assertThat(messages).containsExactly("3:" + second);
  }

  @Test
  void segment_streamWithoutSyn_startsAtFirstData() {
    send(12345, false, message("INVITE", ""));

    assertThat(messages).containsExactly("1:" + message("INVITE", ""));
  }

  @Test
  void segment_noContentLength_streamFramedNoFurtherAsTheProxyWould() {
    send(ISN, true, "");
    send(ISN + 1, false, "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\n\r\n");
    send(ISN + 51, false, message("BYE", ""));

    assertThat(messages).isEmpty();
    assertThat(streams.stats().get("tcp.framing_error")).isEqualTo(1);
    assertThat(gaps).isEmpty();
  }
}
