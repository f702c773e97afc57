package org.sipsentry.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.proxy.NettyLeakCheck;
import org.sipsentry.proxy.ProxyStats;

class TcpFrameDecoderTest {

  @RegisterExtension final NettyLeakCheck leaks = new NettyLeakCheck();

  /** Small, so that limits are reached with small inputs. */
  static final int MAX_MESSAGE_BYTES = 1024;

  static final String OPTIONS_HEAD =
      "OPTIONS sip:192.0.2.10 SIP/2.0\r\n"
          + "Via: SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bK-o1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: <sip:probe@198.51.100.7>;tag=o1\r\n"
          + "To: <sip:192.0.2.10>\r\n"
          + "Call-ID: options-1@198.51.100.7\r\n"
          + "CSeq: 7 OPTIONS\r\n";

  static final String OPTIONS = OPTIONS_HEAD + "Content-Length: 0\r\n\r\n";

  final ProxyStats stats = new ProxyStats();
  final EmbeddedChannel channel =
      new EmbeddedChannel(new TcpFrameDecoder(MAX_MESSAGE_BYTES, stats));

  @AfterEach
  void closeChannel() {
    // Whatever a test left behind is released, so a failed assertion does not also leak.
    channel.finishAndReleaseAll();
  }

  @Test
  void decode_twoMessagesInOneBuffer_emitsBoth() {
    String second = OPTIONS.replace("CSeq: 7", "CSeq: 8");

    channel.writeInbound(buffer(bytes(OPTIONS + second)));

    assertThat(readFrames()).containsExactly(OPTIONS, second);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_messageSplitByteByByte_emitsItOnceComplete() {
    byte[] message = withBody(OPTIONS_HEAD, "v=0\r\n".getBytes(StandardCharsets.US_ASCII));

    for (int i = 0; i < message.length - 1; i++) {
      channel.writeInbound(buffer(new byte[] {message[i]}));
      assertThat((Object) channel.readInbound()).as("frame after %d bytes", i + 1).isNull();
    }
    channel.writeInbound(buffer(new byte[] {message[message.length - 1]}));

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_bodyWithNulBytesAndBlankLines_passedIntact() {
    byte[] body = {'a', 0, 'b', 0, '\r', '\n', '\r', '\n', 'c', (byte) 0xff, 0};
    byte[] message = withBody(OPTIONS_HEAD, body);

    channel.writeInbound(buffer(concat(message, bytes(OPTIONS))));

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat(new String((byte[]) channel.readInbound(), StandardCharsets.UTF_8))
        .isEqualTo(OPTIONS);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_compactContentLength_framesByIt() {
    byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] message = concat(bytes(OPTIONS_HEAD + "l: 5\r\n\r\n"), body);

    channel.writeInbound(buffer(concat(message, bytes(OPTIONS))));

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat((byte[]) channel.readInbound()).isEqualTo(bytes(OPTIONS));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_singleCrlfKeepAlives_skippedWithoutAnswer() {
    channel.writeInbound(buffer(bytes("\r\n")));
    channel.writeInbound(buffer(bytes("\r\n" + OPTIONS + "\r\n")));

    assertThat(readFrames()).containsExactly(OPTIONS);
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(stats.get("tcp.keepalive")).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_doubleCrlfPing_answeredWithCrlfPong() {
    channel.writeInbound(buffer(bytes("\r\n\r\n")));

    assertThat(readOutbound()).containsExactly("\r\n");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(stats.get("tcp.keepalive")).isEqualTo(1);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_pingThenMessage_answersAndEmits() {
    channel.writeInbound(buffer(bytes("\r\n\r\n" + OPTIONS)));

    assertThat(readOutbound()).containsExactly("\r\n");
    assertThat(readFrames()).containsExactly(OPTIONS);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_requestWithoutContentLength_answers400AndCloses() {
    channel.writeInbound(buffer(bytes(OPTIONS_HEAD + "\r\n")));

    List<String> written = readOutbound();
    assertThat(written).hasSize(1);
    assertThat(written.get(0))
        .startsWith("SIP/2.0 400 Bad Content-Length\r\n")
        .contains("\r\nCall-ID: options-1@198.51.100.7\r\n")
        .endsWith("Content-Length: 0\r\n\r\n");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(stats.get("tcp.framing_error")).isEqualTo(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_bytesArrivingAfterAFramingError_areNotDecoded() {
    // A peer keeps sending while the close is under way: none of it may become a message.
    EmbeddedChannel slowToClose =
        new EmbeddedChannel(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                promise.setSuccess();
              }
            },
            new TcpFrameDecoder(MAX_MESSAGE_BYTES, stats));
    try {
      slowToClose.writeInbound(buffer(bytes(OPTIONS_HEAD + "Content-Length: -1\r\n\r\n")));
      slowToClose.writeInbound(buffer(bytes(OPTIONS + OPTIONS)));

      assertThat((Object) slowToClose.readInbound()).isNull();
      assertThat(stats.get("tcp.framing_error")).isEqualTo(1);
    } finally {
      slowToClose.finishAndReleaseAll();
    }
  }

  @Test
  void decode_responseWithoutContentLength_closesWithoutAnswer() {
    String response =
        "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK-sS-1\r\n"
            + "From: <sip:probe@198.51.100.7>;tag=o1\r\n"
            + "To: <sip:192.0.2.10>;tag=t\r\n"
            + "Call-ID: options-1@198.51.100.7\r\n"
            + "CSeq: 7 OPTIONS\r\n\r\n";

    channel.writeInbound(buffer(bytes(response)));

    assertThat(readOutbound()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @ParameterizedTest(name = "Content-Length: {0}")
  @ValueSource(strings = {"-1", "abc", "5x", "", "1 2", "+5", "9999999999", "0x10"})
  void decode_badContentLength_closes(String value) {
    channel.writeInbound(buffer(bytes(OPTIONS_HEAD + "Content-Length: " + value + "\r\n\r\n")));

    assertThat(readOutbound()).singleElement().asString().startsWith("SIP/2.0 400 ");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_repeatedContentLength_closes() {
    channel.writeInbound(
        buffer(bytes(OPTIONS_HEAD + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n")));

    assertThat(readOutbound()).singleElement().asString().startsWith("SIP/2.0 400 ");
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_contentLengthBeyondTheLimit_answers513AndCloses() {
    channel.writeInbound(buffer(bytes(OPTIONS_HEAD + "Content-Length: 2000\r\n\r\nv=0")));

    assertThat(readOutbound())
        .singleElement()
        .asString()
        .startsWith("SIP/2.0 513 Message Too Large\r\n");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_messageOfExactlyTheLimit_accepted() {
    int headLength = bytes(OPTIONS_HEAD + "Content-Length: 000\r\n\r\n").length;
    int bodyLength = MAX_MESSAGE_BYTES - headLength;
    byte[] message =
        concat(
            bytes(OPTIONS_HEAD + "Content-Length: " + bodyLength + "\r\n\r\n"),
            new byte[bodyLength]);
    assertThat(message).hasSize(MAX_MESSAGE_BYTES);

    channel.writeInbound(buffer(message));

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_headersWithoutEndBeyondTheLimit_closes() {
    StringBuilder head = new StringBuilder(OPTIONS_HEAD);
    while (head.length() <= MAX_MESSAGE_BYTES) {
      head.append("X-Filler: ").append("f".repeat(40)).append("\r\n");
    }

    // In two writes: the first, under the limit, just waits for more.
    byte[] all = bytes(head.toString());
    channel.writeInbound(buffer(java.util.Arrays.copyOf(all, 600)));
    assertThat(channel.isOpen()).isTrue();
    channel.writeInbound(buffer(java.util.Arrays.copyOfRange(all, 600, all.length)));

    assertThat(readOutbound())
        .singleElement()
        .asString()
        .startsWith("SIP/2.0 513 Message Too Large\r\n");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(stats.get("tcp.framing_error")).isEqualTo(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_garbageWithoutHeaderEnd_closesWithoutAnswer() {
    byte[] garbage = new byte[MAX_MESSAGE_BYTES + 1];
    java.util.Arrays.fill(garbage, (byte) 'x');

    channel.writeInbound(buffer(garbage));

    assertThat(readOutbound()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_incompleteMessageAtClose_discarded() {
    channel.writeInbound(buffer(bytes(OPTIONS_HEAD)));

    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** A pooled (hence leak-tracked) buffer holding {@code bytes}. */
  static ByteBuf buffer(byte[] bytes) {
    return ByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] withBody(String head, byte[] body) {
    return concat(bytes(head + "Content-Length: " + body.length + "\r\n\r\n"), body);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  List<String> readFrames() {
    List<String> frames = new ArrayList<>();
    for (byte[] frame; (frame = channel.readInbound()) != null; ) {
      frames.add(new String(frame, StandardCharsets.UTF_8));
    }
    return frames;
  }

  /** Everything written back to the peer, each buffer released once read. */
  List<String> readOutbound() {
    List<String> written = new ArrayList<>();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      try {
        written.add(out.toString(StandardCharsets.UTF_8));
      } finally {
        out.release();
      }
    }
    return written;
  }
}
