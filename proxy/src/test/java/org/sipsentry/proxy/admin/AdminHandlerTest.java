package org.sipsentry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link AdminHandler} in the admin pipeline, without sockets. */
class AdminHandlerTest {

  private final CompletableFuture<AdminResponse> later = new CompletableFuture<>();
  private final Router router =
      Router.builder()
          .get(
              "/health",
              request ->
                  CompletableFuture.completedFuture(
                      AdminResponse.json(HttpResponseStatus.OK, Map.of("status", "up"))))
          .post("/later", request -> later)
          .build();

  @Test
  void request_completedLaterOnAnotherThread_answeredOnTheChannelsLoopAndNothingLeaks()
      throws Exception {
    EmbeddedChannel channel = channel();
    channel.writeInbound(ascii("POST /later HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"));
    assertThat((Object) channel.readOutbound()).isNull();

    Thread completer =
        new Thread(
            () -> later.complete(AdminResponse.json(HttpResponseStatus.OK, Map.of("done", 1))));
    completer.start();
    completer.join();
    channel.runPendingTasks();

    String response = readAll(channel);
    assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("{\"done\":1}");
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void request_http10WithoutKeepAlive_answeredThenClosed() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(ascii("GET /health HTTP/1.0\r\n\r\n"));
    channel.runPendingTasks();

    String response = readAll(channel);
    assertThat(response).startsWith("HTTP/1.1 200 OK").contains("connection: close");
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new HttpServerCodec(),
        new HttpObjectAggregator(AdminServer.MAX_BODY_BYTES),
        new AdminHandler(router));
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static String readAll(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      text.append(out.toString(StandardCharsets.US_ASCII));
      out.release();
    }
    return text.toString();
  }
}
