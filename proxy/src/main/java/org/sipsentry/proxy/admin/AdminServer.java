package org.sipsentry.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.sipsentry.proxy.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint: HTTP/1.1 with JSON bodies on its own single-thread event loop, apart
 * from SIP's, so a slow admin client never delays a call. Routes come from a {@link Router}; they
 * must not block the loop.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Admin requests carry small JSON documents; a larger body is answered 413 (JSON body). */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Netty's default; a request line longer than this is answered 400. */
  private static final int MAX_INITIAL_LINE = 4096;

  /** Netty's default; headers larger than this are answered 400. */
  private static final int MAX_HEADER_BYTES = 8192;

  /** A kept-alive connection quiet for this long is closed. */
  private static final int IDLE_SECONDS = 60;

  private final EventLoopGroup group;
  private final Channel channel;

  private AdminServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds {@code listen} and serves {@code router}.
   *
   * @throws IOException when the address cannot be bound; the message names it
   */
  public static AdminServer start(HostPort listen, Router router) throws IOException {
    Objects.requireNonNull(router, "router");
    return start(listen, router::handle);
  }

  /**
   * Binds {@code listen} and answers every request with {@code handler}, e.g. a {@link BearerAuth}
   * in front of a {@link Router}.
   *
   * @throws IOException when the address cannot be bound; the message names it
   */
  public static AdminServer start(HostPort listen, Router.Route handler) throws IOException {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(handler, "handler");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast(
                            new HttpServerCodec(
                                MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_HEADER_BYTES))
                        .addLast(new AdminAggregator(MAX_BODY_BYTES))
                        .addLast(new AdminHandler(handler));
                  }
                });
    try {
      Channel channel =
          bootstrap.bind(new InetSocketAddress(listen.host(), listen.port())).sync().channel();
      AdminServer server = new AdminServer(group, channel);
      log.info("admin endpoint on http://{}", listen);
      return server;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException("interrupted while binding the admin endpoint " + listen, e);
    } catch (Exception e) {
      // bind's BindException arrives here too: sync() rethrows it unchecked.
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IOException("cannot listen on admin " + listen + ": " + e, e);
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Stops accepting and closes the connections. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
