package org.sipsentry.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to the {@link Router} and writes its response when it completes,
 * possibly on another thread; responses leave in the order the requests came (HTTP/1.1 §9.3.2
 * pipelining). A request the decoder could not read is answered 400 and the connection closed. One
 * instance per connection.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Router.Route router;

  /** Completes when the response to the latest request has been handed to the channel. */
  private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

  AdminHandler(Router router) {
    this(router::handle);
  }

  AdminHandler(Router.Route router) {
    this.router = router;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      log.debug(
          "admin: bad request from {}: {}",
          ctx.channel().remoteAddress(),
          request.decoderResult().cause().toString());
      respond(
          ctx,
          false,
          AdminResponse.error(HttpResponseStatus.BAD_REQUEST, "the request is not valid HTTP"));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    Map<String, String> headers = new HashMap<>();
    request
        .headers()
        .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    AdminRequest admin =
        new AdminRequest(
            request.method().name(),
            new QueryStringDecoder(request.uri()).path(),
            ByteBufUtil.getBytes(request.content()),
            headers);
    CompletableFuture<AdminResponse> response;
    try {
      response = router.handle(admin);
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<AdminResponse> answered =
        response.exceptionally(
            e -> {
              log.error("admin: {} {} failed", admin.method(), admin.path(), e);
              return AdminResponse.error(
                  HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; see the log");
            });
    written =
        written
            .thenCombine(answered, (previous, r) -> r)
            .thenAccept(r -> ctx.executor().execute(() -> respond(ctx, keepAlive, r)));
  }

  /** Writes {@code r}; closes the connection after it unless {@code keepAlive}. */
  static void respond(ChannelHandlerContext ctx, boolean keepAlive, AdminResponse r) {
    byte[] body;
    CharSequence contentType = HttpHeaderValues.APPLICATION_JSON;
    if (r.body() instanceof AdminResponse.Text text) {
      body = text.bytes();
      contentType = text.contentType();
    } else {
      try {
        body = JSON.writeValueAsBytes(r.body());
      } catch (JsonProcessingException e) {
        log.error("admin: cannot write the response body {}", r.body(), e);
        body = "{\"error\":\"internal error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().forEach((name, value) -> response.headers().set(name, value));
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof ReadTimeoutException) {
      log.debug("admin: closing idle connection from {}", ctx.channel().remoteAddress());
    } else {
      log.debug("admin: connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
