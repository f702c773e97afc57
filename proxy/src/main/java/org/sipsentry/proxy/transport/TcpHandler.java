package org.sipsentry.proxy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.RateLimitedLog;
import org.sipsentry.proxy.core.Inbound;
import org.sipsentry.sip.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every TCP pipeline, accepted or opened by us: registers the connection so that
 * responses can find it, and hands each framed message on.
 */
final class TcpHandler extends SimpleChannelInboundHandler<byte[]> {

  private static final Logger log = LoggerFactory.getLogger(TcpHandler.class);

  /** Resets and other connection errors are the network's doing: DEBUG, rate-limited. */
  private static final RateLimitedLog networkLog = RateLimitedLog.of(log);

  private final TcpConnections connections;
  private final MessageSink sink;
  private final ProxyStats stats;
  private long id;

  TcpHandler(TcpConnections connections, MessageSink sink, ProxyStats stats) {
    this.connections = connections;
    this.sink = sink;
    this.stats = stats;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    id = connections.register(ctx.channel());
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    connections.unregister(id, ctx.channel());
    super.channelInactive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] message) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    try {
      sink.onMessage(message, new Inbound(peer, Transport.TCP, id), ctx.executor());
    } catch (RuntimeException e) {
      // Our bug, not the peer's: log it, count it, and keep the connection.
      stats.increment("internal_error");
      log.error("failed to handle a TCP message from {}", peer, e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.increment("tcp.connection_error");
    networkLog.debug(
        "tcp.connection_error",
        "TCP connection {} failed; closing: {}",
        ctx.channel().remoteAddress(),
        cause);
    ctx.close();
  }
}
