package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * {@code sipsentry verify} without {@code --cert}: the x5u is fetched from an HTTP server on
 * 127.0.0.1, under the proxy's fetch policy opened only by the lab flags. The certificates are
 * valid around {@link TestPki#NOW}, so every call verifies {@code --at} then.
 */
class VerifyFetchTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long IAT = TestPki.NOW.getEpochSecond() - 2;
  private static final String CALLER = "+41446680001";
  private static final String CALLEE = "+41446681800";

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final AtomicInteger requests = new AtomicInteger();

  HttpServer server;
  int status = 200;
  String x5u;
  Path anchor;

  @BeforeEach
  void startServer() throws IOException {
    byte[] chain =
        TestPki.pemBytes(TestPki.endEntity().certificate(), TestPki.intermediate().certificate());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/sp.pem",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = status == 200 ? chain : "unavailable".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
          }
        });
    server.start();
    x5u = "http://127.0.0.1:" + server.getAddress().getPort() + "/sp.pem";
    anchor = TestPki.writePem(dir.resolve("root.pem"), TestPki.pem(TestPki.root().certificate()));
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void verify_httpX5uOnLoopback_fetchesAndPassesWhenTheLabFlagsAllowIt() throws Exception {
    int code = verify(x5u, "--allow-http", "--allow-loopback", "--allow-port", port());

    assertThat(code).as(out.toString()).isZero();
    JsonNode report = report();
    assertThat(report.get("verstat").asText()).isEqualTo("TN-Validation-Passed");
    assertThat(report.get("spc").asText()).isEqualTo(TestPki.SPC);
    assertThat(report.get("x5u").asText()).isEqualTo(x5u);
    assertThat(requests).hasValue(1);
  }

  @Test
  void verify_loopbackX5uWithoutAllowLoopback_fails436WithoutConnecting() throws Exception {
    int code = verify(x5u, "--allow-http", "--allow-port", port());

    assertThat(code).isEqualTo(Verify.EXIT_FAILED);
    JsonNode report = report();
    assertThat(report.get("code").asInt()).isEqualTo(436);
    assertThat(report.get("failure").asText()).isEqualTo("certificate-unavailable");
    assertThat(report.get("x5u").asText()).isEqualTo(x5u);
    assertThat(requests).hasValue(0);
  }

  @Test
  void verify_httpX5uWithoutAllowHttp_fails436WithoutConnecting() throws Exception {
    int code = verify(x5u, "--allow-loopback", "--allow-port", port());

    assertThat(code).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("code").asInt()).isEqualTo(436);
    assertThat(requests).hasValue(0);
  }

  @Test
  void verify_portNotAllowed_fails436WithoutConnecting() throws Exception {
    int code = verify(x5u, "--allow-http", "--allow-loopback");

    assertThat(code).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("code").asInt()).isEqualTo(436);
    assertThat(requests).hasValue(0);
  }

  @Test
  void verify_serverError_isIndeterminateNoTnValidation() throws Exception {
    status = 503;

    int code = verify(x5u, "--allow-http", "--allow-loopback", "--allow-port", port());

    assertThat(code).isEqualTo(Verify.EXIT_FAILED);
    JsonNode report = report();
    assertThat(report.get("verstat").asText()).isEqualTo("No-TN-Validation");
    assertThat(report.get("code").asInt()).isEqualTo(436);
    assertThat(report.get("indeterminate").asBoolean()).isTrue();
    assertThat(requests).hasPositiveValue();
  }

  @Test
  void verify_badAllowPort_exits2() throws Exception {
    assertThat(verify(x5u, "--allow-port", "70000")).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--allow-port 70000 is not a port");
  }

  /** Signs a header for {@code url} at {@link #IAT} and verifies it at {@link TestPki#NOW}. */
  private int verify(String url, String... flags) throws Exception {
    assertThat(
            run(
                "sign",
                "--key",
                key().toString(),
                "--x5u",
                url,
                "--orig",
                CALLER,
                "--dest",
                CALLEE,
                "--iat",
                Long.toString(IAT)))
        .isZero();
    String identity = out.toString().strip();
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--identity",
                identity,
                "--from",
                CALLER,
                "--to",
                CALLEE,
                "--at",
                Long.toString(TestPki.NOW.getEpochSecond()),
                "--trust-anchor",
                anchor.toString()));
    args.addAll(List.of(flags));
    return run(args.toArray(String[]::new));
  }

  private Path key() {
    return TestPki.writePem(
        dir.resolve("sp-key.pem"), TestPki.pem(TestPki.endEntity().privateKey()));
  }

  private String port() {
    return Integer.toString(server.getAddress().getPort());
  }

  private JsonNode report() throws Exception {
    return JSON.readTree(out.toString());
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
