package org.sipsentry.proxy.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.RateLimitedLog;
import org.sipsentry.proxy.core.Outbound;
import org.sipsentry.sip.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket and the TCP listener with their connections, on one Netty event loop group. Sends
 * for the proxy ({@link Outbound}): UDP from the listening socket, so that replies come back to it;
 * TCP on an open connection to the destination, or a new one.
 */
public final class SipTransports implements Outbound, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SipTransports.class);

  /**
   * An unreachable destination (the next hop, most often) is worth a WARN an operator sees, but a
   * dead next hop under load must not write a line per message.
   */
  private static final RateLimitedLog networkLog = RateLimitedLog.of(log);

  /** Absorbs bursts of datagrams while the event loop is busy (~3,000 INVITEs of 1.4 KB). */
  private static final int UDP_RECEIVE_BUFFER = 4 << 20;

  private static final int TCP_CONNECT_TIMEOUT_MILLIS = 2_000;

  private final ProxySettings settings;

  /** {@link #sentBy(ProxySettings, Transport)} for UDP and TCP: listen addresses are start-only. */
  private final String udpSentBy;

  private final String tcpSentBy;
  private final ProxyStats stats;
  private final EventLoopGroup group;
  private final TcpConnections connections = new TcpConnections();

  /** The connection we opened (or are opening) to each destination. */
  private final ConcurrentHashMap<InetSocketAddress, ChannelFuture> outbound =
      new ConcurrentHashMap<>();

  private Channel udp;
  private Channel tcp;
  private Bootstrap tcpClient;

  public SipTransports(ProxySettings settings, ProxyStats stats) {
    this.settings = settings;
    this.udpSentBy = sentBy(settings, Transport.UDP);
    this.tcpSentBy = sentBy(settings, Transport.TCP);
    this.stats = stats;
    this.group =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
  }

  /** Binds the configured listeners; returns once they are bound. */
  public void bind(MessageSink sink) throws InterruptedException {
    if (settings.udpListen().isPresent()) {
      udp =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              // One byte over the limit, so that an oversized datagram is seen as such
              // rather than silently truncated to a parseable message.
              .option(
                  ChannelOption.RCVBUF_ALLOCATOR,
                  new FixedRecvByteBufAllocator(settings.maxMessageBytes() + 1))
              .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
              .handler(new UdpHandler(sink, stats))
              .bind(address(settings.udpListen().get()))
              .sync()
              .channel();
    }
    ChannelInitializer<SocketChannel> pipeline =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel
                .pipeline()
                .addLast("framing", new TcpFrameDecoder(settings.maxMessageBytes(), stats))
                .addLast("sip", new TcpHandler(connections, sink, stats));
          }
        };
    if (settings.tcpListen().isPresent()) {
      tcp =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(pipeline)
              .bind(address(settings.tcpListen().get()))
              .sync()
              .channel();
    }
    tcpClient =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TCP_CONNECT_TIMEOUT_MILLIS)
            .handler(pipeline);
  }

  /** The bound UDP address, if listening on UDP. */
  public Optional<InetSocketAddress> udpAddress() {
    return Optional.ofNullable(udp).map(channel -> (InetSocketAddress) channel.localAddress());
  }

  /** The bound TCP address, if listening on TCP. */
  public Optional<InetSocketAddress> tcpAddress() {
    return Optional.ofNullable(tcp).map(channel -> (InetSocketAddress) channel.localAddress());
  }

  @Override
  public String sentBy(Transport transport) {
    return transport == Transport.UDP ? udpSentBy : tcpSentBy;
  }

  /**
   * The sent-by ({@code host:port}) of the Via the proxy under {@code settings} adds to requests it
   * forwards over {@code transport}: that transport's listen address, else the other one.
   */
  public static String sentBy(ProxySettings settings, Transport transport) {
    Optional<HostPort> listen =
        transport == Transport.UDP ? settings.udpListen() : settings.tcpListen();
    return listen
        .orElseGet(() -> settings.udpListen().orElseGet(settings.tcpListen()::get))
        .toString();
  }

  @Override
  public void send(
      Transport transport,
      InetSocketAddress destination,
      long connectionId,
      byte[] message,
      Runnable undeliverable) {
    if (transport == Transport.UDP) {
      if (udp == null) {
        stats.increment("dropped.no_udp_socket");
        undeliverable.run();
        return;
      }
      udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), destination))
          .addListener(
              future -> {
                if (!future.isSuccess()) {
                  stats.increment("udp.send_failed");
                  networkLog.warn(
                      "udp.send_failed", "UDP send to {} failed: {}", destination, future.cause());
                  undeliverable.run();
                }
              });
      return;
    }
    Channel open = connections.find(connectionId, destination);
    if (open != null) {
      write(open, message, undeliverable);
      return;
    }
    // One connection per destination: messages queue behind the attempt, and the entry stays
    // until the connection closes (a connection is registered by its handler only after the
    // connect future completes, so removing the entry on completion would open a second one).
    ChannelFuture connection =
        outbound.compute(
            destination,
            (peer, existing) -> {
              if (existing != null
                  && (!existing.isDone()
                      || (existing.isSuccess() && existing.channel().isActive()))) {
                return existing;
              }
              ChannelFuture attempt = tcpClient.connect(peer);
              attempt.channel().closeFuture().addListener(closed -> outbound.remove(peer, attempt));
              return attempt;
            });
    connection.addListener(
        (ChannelFuture done) -> {
          if (done.isSuccess()) {
            write(done.channel(), message, undeliverable);
          } else {
            stats.increment("tcp.connect_failed");
            networkLog.warn(
                "tcp.connect_failed", "TCP connection to {} failed: {}", destination, done.cause());
            undeliverable.run();
          }
        });
  }

  private void write(Channel channel, byte[] message, Runnable undeliverable) {
    channel
        .writeAndFlush(Unpooled.wrappedBuffer(message))
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                stats.increment("tcp.send_failed");
                undeliverable.run();
              }
            });
  }

  /** Number of open TCP connections, both directions. */
  public int tcpConnections() {
    return connections.size();
  }

  /**
   * Stops taking new connections, the first step of a graceful stop: the TCP listener closes (new
   * connections are refused). The UDP socket and the open TCP connections keep reading, so that
   * responses and in-dialog requests of calls already forwarded are still relayed during the drain;
   * new calls are turned away by the proxy itself (see {@code InFlight#stopping}).
   */
  public void stopAccepting() {
    if (tcp != null) {
      tcp.close().awaitUninterruptibly();
    }
  }

  /** Closes the sockets and stops the event loops, waiting up to a few seconds. */
  @Override
  public void close() {
    if (udp != null) {
      udp.close().awaitUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static InetSocketAddress address(HostPort hostPort) {
    return new InetSocketAddress(hostPort.host(), hostPort.port());
  }
}
