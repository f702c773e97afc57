package org.sipsentry.proxy.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.RateLimitedLog;
import org.sipsentry.proxy.core.Inbound;
import org.sipsentry.sip.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One datagram is one SIP message (RFC 3261 §18.3): copy it out and hand it on. */
final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final Logger log = LoggerFactory.getLogger(UdpHandler.class);

  private static final RateLimitedLog networkLog = RateLimitedLog.of(log);

  private final MessageSink sink;
  private final ProxyStats stats;

  UdpHandler(MessageSink sink, ProxyStats stats) {
    this.sink = sink;
    this.stats = stats;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    // The one copy out of Netty's buffer; SimpleChannelInboundHandler releases the packet.
    byte[] message = ByteBufUtil.getBytes(packet.content());
    try {
      sink.onMessage(message, new Inbound(packet.sender(), Transport.UDP, 0), ctx.executor());
    } catch (RuntimeException e) {
      // Our bug, not the peer's: log it, count it, and keep serving the socket.
      stats.increment("internal_error");
      log.error("failed to handle a UDP message from {}", packet.sender(), e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket has no peer to blame or close: count and carry on.
    stats.increment("udp.socket_error");
    networkLog.debug("udp.socket_error", "UDP socket error: {}", cause);
  }
}
