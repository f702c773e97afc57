package org.sipsentry.proxy.analyze;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.transport.TcpFrameDecoder;

/**
 * Puts the TCP segments of a capture back into byte streams, one per direction of each connection,
 * and cuts each stream into SIP messages with the proxy's own {@link TcpFrameDecoder} (by
 * Content-Length, RFC 3261 §18.3), so that a stream is framed exactly as the proxy framed it.
 *
 * <p>Segments are taken in capture order. A segment that repeats bytes already seen (a
 * retransmission) contributes only its new bytes. <b>Not handled:</b> segments captured out of
 * order, and segments the capture missed. A segment that starts beyond the next expected byte is a
 * gap: it is reported, the message being assembled is dropped and the stream starts again at that
 * segment (the next message boundary is found only if the segment starts one). A stream whose SYN
 * was not captured starts at its first segment with data.
 *
 * <p>At most {@value #MAX_STREAMS} streams are followed at once; the least recently active one is
 * dropped to make room. Each buffers at most one message of {@code maxMessageBytes}.
 */
final class TcpStreams implements AutoCloseable {

  /** Concurrent connections followed; a capture of a busy trunk rarely has more. */
  static final int MAX_STREAMS = 10_000;

  /** Receives each message. */
  interface MessageSink {
    void message(Segment last, byte[] message);
  }

  /** Receives each gap. */
  interface GapSink {
    void gap(Segment segment, String detail);
  }

  private final int maxMessageBytes;
  private final MessageSink messages;
  private final GapSink gaps;
  private final ProxyStats stats = new ProxyStats();
  private final Map<Key, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);

  TcpStreams(int maxMessageBytes, MessageSink messages, GapSink gaps) {
    this.maxMessageBytes = maxMessageBytes;
    this.messages = messages;
    this.gaps = gaps;
  }

  /** Counters of the decoder ({@code tcp.framing_error}, {@code tcp.keepalive}). */
  ProxyStats stats() {
    return stats;
  }

  void segment(Segment segment) {
    Key key = new Key(segment.source(), segment.destination());
    Stream stream = streams.get(key);
    if (segment.syn()) {
      // A new connection on this address pair: whatever came before is another stream.
      if (stream != null) {
        stream.close();
      }
      stream = new Stream(new EmbeddedChannel(new TcpFrameDecoder(maxMessageBytes, stats)));
      stream.next = (segment.sequence() + 1) & 0xFFFFFFFFL;
      put(key, stream);
    }
    byte[] data = segment.payload();
    if (data.length > 0) {
      if (stream == null) {
        stream = new Stream(new EmbeddedChannel(new TcpFrameDecoder(maxMessageBytes, stats)));
        stream.next = segment.sequence();
        put(key, stream);
      }
      feed(key, stream, segment, data);
    }
    if (segment.finOrReset() && stream != null) {
      stream.close();
      streams.remove(key);
    }
  }

  private void feed(Key key, Stream stream, Segment segment, byte[] data) {
    // Distance of the segment's start from the next expected byte, modulo 2^32 (RFC 9293 §3.4).
    int ahead = (int) (segment.sequence() - stream.next);
    int from = 0;
    if (ahead > 0) {
      gaps.gap(
          segment,
          "TCP "
              + key
              + ": "
              + Integer.toUnsignedString(ahead)
              + " bytes missing before this segment; stream restarted here");
      stream.close();
      Stream restarted =
          new Stream(new EmbeddedChannel(new TcpFrameDecoder(maxMessageBytes, stats)));
      streams.put(key, restarted);
      stream = restarted;
    } else if (ahead < 0) {
      from = -ahead;
      if (from >= data.length) {
        return;
      }
    }
    stream.next = (segment.sequence() + data.length) & 0xFFFFFFFFL;
    EmbeddedChannel channel = stream.channel;
    if (!channel.isActive()) {
      // The decoder closed the connection after a framing error, as the proxy would.
      return;
    }
    channel.writeInbound(Unpooled.wrappedBuffer(data, from, data.length - from));
    Object frame;
    while ((frame = channel.readInbound()) != null) {
      messages.message(segment, (byte[]) frame);
    }
    discardOutbound(channel);
  }

  private void put(Key key, Stream stream) {
    streams.put(key, stream);
    if (streams.size() > MAX_STREAMS) {
      Iterator<Map.Entry<Key, Stream>> eldest = streams.entrySet().iterator();
      eldest.next().getValue().close();
      eldest.remove();
    }
  }

  /** The decoder answers keep-alives and framing errors on the connection: not ours to send. */
  private static void discardOutbound(EmbeddedChannel channel) {
    Object written;
    while ((written = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(written);
    }
  }

  @Override
  public void close() {
    streams.values().forEach(Stream::close);
    streams.clear();
  }

  private record Key(InetSocketAddress source, InetSocketAddress destination) {
    @Override
    public String toString() {
      return source.getAddress().getHostAddress()
          + ":"
          + source.getPort()
          + " > "
          + destination.getAddress().getHostAddress()
          + ":"
          + destination.getPort();
    }
  }

  private static final class Stream {
    final EmbeddedChannel channel;
    long next;

    Stream(EmbeddedChannel channel) {
      this.channel = channel;
    }

    void close() {
      channel.finishAndReleaseAll();
    }
  }
}
