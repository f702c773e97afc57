package org.sipsentry.proxy.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Netty's aggregator, except that a request whose body is over the limit is answered with the
 * endpoint's JSON error body instead of Netty's bare 413 with an empty body: {@link
 * AdminResponse#error}'s shape, or under {@code /stir/v1/} the STIR API's {@code requestError}
 * shape (ATIS-1000082, message id {@value #STIR_TOO_LARGE}, as the STIR routes answer a body over
 * their own limit). The connection is closed after the answer: the rest of the body is not read.
 */
final class AdminAggregator extends HttpObjectAggregator {

  /** The STIR API's path prefix; its errors have their own shape. */
  static final String STIR_PREFIX = "/stir/v1/";

  /** The STIR API's message id for a body that is too large (as stirapi.AtisJson.TOO_LARGE). */
  static final String STIR_TOO_LARGE = "SVC4130";

  private final int maxBodyBytes;

  AdminAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (!(oversized instanceof HttpRequest request)) {
      ctx.close();
      return;
    }
    AdminHandler.respond(ctx, false, tooLarge(new QueryStringDecoder(request.uri()).path()));
  }

  /** The 413 for a request to {@code path}. */
  AdminResponse tooLarge(String path) {
    HttpResponseStatus status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
    String text = "the body is larger than " + maxBodyBytes + " bytes";
    if (!path.startsWith(STIR_PREFIX)) {
      return AdminResponse.error(status, text);
    }
    Map<String, Object> exception = new LinkedHashMap<>();
    exception.put("messageId", STIR_TOO_LARGE);
    exception.put("text", text);
    return AdminResponse.json(
        status, Map.of("requestError", Map.of("serviceException", exception)));
  }
}
