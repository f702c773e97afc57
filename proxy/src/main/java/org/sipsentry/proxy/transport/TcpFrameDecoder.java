package org.sipsentry.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.RateLimitedLog;
import org.sipsentry.proxy.core.StatelessProxy;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.HeaderLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), emitting each as a
 * {@code byte[]}.
 *
 * <p>Over a stream Content-Length is mandatory: a message without exactly one well-formed
 * Content-Length, or larger than the limit, leaves no way to find the next message, so the
 * connection is answered with a 400 when the head looks like a request and then closed (RFC 4475
 * §3.1.2.3). CRLF keep-alives between messages are skipped; a double CRLF ping is answered with a
 * single CRLF pong (RFC 5626 §3.5.1).
 *
 * <p>Public for {@code sipsentry analyze}, which frames captured TCP streams with it in an {@code
 * EmbeddedChannel}, so that a capture is cut into messages exactly as the proxy cut them.
 */
public final class TcpFrameDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(TcpFrameDecoder.class);

  /** A peer that cannot frame SIP over TCP is the peer's problem: DEBUG, rate-limited. */
  private static final RateLimitedLog networkLog = RateLimitedLog.of(log);

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  /** Content-Length values longer than this cannot be below any sane limit. */
  private static final int MAX_LENGTH_DIGITS = 9;

  private final int maxMessageBytes;
  private final ProxyStats stats;

  /** Length of the message being received, once its head has been read; -1 before that. */
  private int frameLength = -1;

  /** After a framing error nothing more is read: the connection is being closed. */
  private boolean failed;

  public TcpFrameDecoder(int maxMessageBytes, ProxyStats stats) {
    this.maxMessageBytes = maxMessageBytes;
    this.stats = stats;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.isReadable()) {
      if (frameLength < 0) {
        skipKeepAlives(ctx, in);
        if (!in.isReadable()) {
          return;
        }
        int headEnd = indexOfHeadEnd(in);
        if (headEnd < 0) {
          if (in.readableBytes() > maxMessageBytes) {
            fail(
                ctx,
                in,
                "no end of headers within " + maxMessageBytes + " bytes",
                513,
                "Message Too Large");
          }
          return;
        }
        int headLength = headEnd - in.readerIndex();
        byte[] head = new byte[headLength];
        in.getBytes(in.readerIndex(), head);
        int contentLength = contentLength(HeaderIndex.scan(head));
        if (contentLength < 0) {
          fail(ctx, in, "missing, repeated or malformed Content-Length", 400, "Bad Content-Length");
          return;
        }
        if ((long) headLength + contentLength > maxMessageBytes) {
          fail(
              ctx,
              in,
              "message of " + ((long) headLength + contentLength) + " bytes",
              513,
              "Message Too Large");
          return;
        }
        frameLength = headLength + contentLength;
      }
      if (in.readableBytes() < frameLength) {
        return;
      }
      byte[] frame = new byte[frameLength];
      in.readBytes(frame);
      frameLength = -1;
      out.add(frame);
    }
  }

  /** Skips CR and LF between messages; answers each double-CRLF ping with a CRLF pong. */
  private void skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
    int crlfs = 0;
    while (in.isReadable()) {
      byte b = in.getByte(in.readerIndex());
      if (b != CR && b != LF) {
        break;
      }
      in.skipBytes(1);
      if (b == LF) {
        crlfs++;
      }
    }
    if (crlfs >= 2) {
      stats.increment("tcp.keepalive");
      ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {CR, LF}));
    }
  }

  /** The index just past the CRLFCRLF that ends the head, or -1 if it has not arrived. */
  private int indexOfHeadEnd(ByteBuf in) {
    int end = in.writerIndex() - 3;
    int limit = Math.min(end, in.readerIndex() + maxMessageBytes);
    for (int i = in.readerIndex(); i < limit; i++) {
      if (in.getByte(i) == CR
          && in.getByte(i + 1) == LF
          && in.getByte(i + 2) == CR
          && in.getByte(i + 3) == LF) {
        return i + 4;
      }
    }
    return -1;
  }

  /** The single Content-Length's value, or -1 when there is none, several, or a bad one. */
  private static int contentLength(HeaderIndex head) {
    List<HeaderLine> lines = head.all("Content-Length");
    if (lines.size() != 1) {
      return -1;
    }
    String value = head.value(lines.get(0));
    if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(value);
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String why, int code, String reason) {
    failed = true;
    stats.increment("tcp.framing_error");
    networkLog.debug(
        "tcp.framing_error",
        "closing TCP connection from {}: {}",
        ctx.channel().remoteAddress(),
        why);
    byte[] head = new byte[Math.min(in.readableBytes(), maxMessageBytes)];
    in.getBytes(in.readerIndex(), head);
    in.skipBytes(in.readableBytes());
    Optional<byte[]> response = StatelessProxy.answerToMalformed(head, code, reason);
    if (response.isPresent()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(response.get()))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }
}
