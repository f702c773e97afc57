package org.sipsentry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipsentry.proxy.HostPort;

/** The admin endpoint's HTTP behaviour, over real sockets. */
class AdminServerTest {

  private final CompletableFuture<AdminResponse> slow = new CompletableFuture<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AdminServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    Router router =
        Router.builder()
            .get("/health", request -> done(HttpResponseStatus.OK, Map.of("status", "up")))
            .post(
                "/echo",
                request ->
                    done(
                        HttpResponseStatus.OK,
                        Map.of("bytes", request.body().length, "method", request.method())))
            .get("/slow", request -> slow)
            .get(
                "/broken",
                request -> CompletableFuture.failedFuture(new IllegalStateException("our bug")))
            .build();
    server = AdminServer.start(new HostPort("127.0.0.1", freeTcpPort()), router);
    base = URI.create("http://127.0.0.1:" + server.address().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void get_knownPath_200Json() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/health")).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"up\"}");
  }

  @Test
  void get_unknownPath_404Json() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/nope")).GET());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"error\":\"no resource /nope\"");
  }

  @Test
  void delete_knownPath_405WithAllow() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/health")).DELETE());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).contains("GET");
  }

  @Test
  void post_bodyWithinLimit_reachesTheRoute() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"bytes\":7");
  }

  @Test
  void post_bodyOverTheLimit_413WithJsonError() throws Exception {
    byte[] body = new byte[AdminServer.MAX_BODY_BYTES + 1];

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo("{\"status\":413,\"error\":\"the body is larger than 65536 bytes\"}");
  }

  @Test
  void post_stirApiBodyOverTheLimit_413WithRequestErrorAndClosed() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      socket.setSoTimeout(5000);
      String head =
          "POST /stir/v1/verification HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\n"
              + "Content-Length: "
              + (AdminServer.MAX_BODY_BYTES + 1)
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));

      String response = readToEnd(socket.getInputStream());

      assertThat(response)
          .startsWith("HTTP/1.1 413 Request Entity Too Large")
          .contains("content-type: application/json")
          .contains("connection: close")
          .endsWith(
              "{\"requestError\":{\"serviceException\":{\"messageId\":\"SVC4130\","
                  + "\"text\":\"the body is larger than 65536 bytes\"}}}");
    }
  }

  @Test
  void routeFails_500AndTheServerGoesOn() throws Exception {
    HttpResponse<String> failed = send(HttpRequest.newBuilder(base.resolve("/broken")).GET());
    HttpResponse<String> after = send(HttpRequest.newBuilder(base.resolve("/health")).GET());

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(after.statusCode()).isEqualTo(200);
  }

  @Test
  void garbage_400AndClosed() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      String response = readToEnd(socket.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 400 Bad Request").contains("connection: close");
    }
  }

  @Test
  void keepAlive_pipelinedRequests_answeredInOrderOnOneConnectionEvenWhenTheFirstIsSlower()
      throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      socket.setSoTimeout(5000);
      String get = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      socket
          .getOutputStream()
          .write(
              (get.formatted("/slow") + get.formatted("/health"))
                  .getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(200);
      slow.complete(AdminResponse.json(HttpResponseStatus.ACCEPTED, Map.of("slow", true)));

      String both = readUntil(socket.getInputStream(), "{\"status\":\"up\"}");

      assertThat(both.indexOf("HTTP/1.1 202")).isZero();
      assertThat(both.indexOf("HTTP/1.1 200")).isGreaterThan(both.indexOf("{\"slow\":true}"));
      assertThat(both).contains("connection: keep-alive").doesNotContain("connection: close");
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<AdminResponse> done(HttpResponseStatus status, Object body) {
    return CompletableFuture.completedFuture(AdminResponse.json(status, body));
  }

  private static String readToEnd(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!read.toString(StandardCharsets.US_ASCII).contains(end)) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      read.write(buffer, 0, n);
    }
    return read.toString(StandardCharsets.US_ASCII);
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
