package org.sipsentry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.SipSentry;

/** The admin endpoint of a real proxy started from a config file, through a real HTTP client. */
class SipSentryAdminTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();
  private int sipPort;

  @org.junit.jupiter.api.BeforeEach
  void pickSipPort() throws Exception {
    sipPort = freeUdpPort();
  }

  @Test
  void postReload_validThenBrokenThenBadListFile_200Then422NamingFileLineAndKey() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Path list = Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    int admin = AdminServerTest.freeTcpPort();
    Files.writeString(file, config(admin, 70));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      URI base = URI.create("http://127.0.0.1:" + admin);
      assertThat(sentry.adminAddress()).contains(new InetSocketAddress("127.0.0.1", admin));
      assertThat(get(base.resolve("/health")).statusCode()).isEqualTo(200);

      Files.writeString(file, config(admin, 40));
      HttpResponse<String> applied = post(base.resolve("/config/reload"));
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(applied.body());
      assertThat(body.get("generation").asLong()).isEqualTo(2);
      assertThat(body.get("applied").toString())
          .contains("thresholds.block 70 -> 40")
          .contains("number lists read again from deny.txt");
      assertThat(body.get("not-applied").size()).isZero();
      assertThat(sentry.settings().detector().blockThreshold()).isEqualTo(40);

      Files.writeString(file, config(admin, 170));
      HttpResponse<String> refused = post(base.resolve("/config/reload"));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      JsonNode error = JSON.readTree(refused.body());
      assertThat(error.get("generation").asLong()).isEqualTo(2);
      assertThat(error.at("/errors/0/file").asText()).isEqualTo(file.toString());
      assertThat(error.at("/errors/0/line").asInt()).isEqualTo(8);
      assertThat(error.at("/errors/0/key").asText()).isEqualTo("thresholds.block");
      assertThat(error.at("/errors/0/problem").asText()).startsWith("170 is out of range");

      Files.writeString(file, config(admin, 40));
      Files.writeString(list, "+41446681800\nnot-a-number\n");
      HttpResponse<String> badList = post(base.resolve("/config/reload"));
      assertThat(badList.statusCode()).as(badList.body()).isEqualTo(422);
      assertThat(JSON.readTree(badList.body()).at("/errors/0/problem").asText())
          .startsWith(list + " line 2: ");
      assertThat(sentry.generation()).isEqualTo(2);
      assertThat(sentry.stats().get("config.reload.failed")).isEqualTo(2);
    }
  }

  @Test
  void postReload_adminAddressChanged_appliedButReportedAsNeedingRestart() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    int admin = AdminServerTest.freeTcpPort();
    Files.writeString(file, config(admin, 70));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      int other = AdminServerTest.freeTcpPort();
      Files.writeString(file, config(other, 70));

      HttpResponse<String> response =
          post(URI.create("http://127.0.0.1:" + admin + "/config/reload"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).at("/not-applied/0").asText())
          .startsWith("admin.listen 127.0.0.1:" + other)
          .endsWith("needs restart");
      assertThat(sentry.adminAddress()).contains(new InetSocketAddress("127.0.0.1", admin));
    }
  }

  @Test
  void getMetrics_prometheusTextWithJvmMetersOrOpenMetricsWhenAsked() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    int admin = AdminServerTest.freeTcpPort();
    Files.writeString(file, config(admin, 70));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      URI metrics = URI.create("http://127.0.0.1:" + admin + "/metrics");
      sentry.reload();

      HttpResponse<String> text = get(metrics);

      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(text.body())
          .contains("sipsentry_config_reloads_total{outcome=\"ok\"} 1")
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_threads_live_threads ")
          .contains("process_uptime_seconds ")
          .contains("sipsentry_decision_seconds_count 0");

      HttpResponse<String> open =
          client.send(
              HttpRequest.newBuilder(metrics)
                  .header("Accept", "application/openmetrics-text; version=1.0.0")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(open.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text");
      assertThat(open.body()).endsWith("# EOF\n");
    }
  }

  @Test
  void adminToken_metricsAndReloadNeedIt_healthDoesNot() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    Path token = Files.writeString(dir.resolve("admin.token"), "lab-token-1\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    int admin = AdminServerTest.freeTcpPort();
    Files.writeString(file, config(admin, 70) + "  token-file: admin.token\n");
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      URI base = URI.create("http://127.0.0.1:" + admin);

      HttpResponse<String> refused = get(base.resolve("/metrics"));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(JSON.readTree(refused.body()).get("status").asInt()).isEqualTo(401);
      assertThat(post(base.resolve("/config/reload")).statusCode()).isEqualTo(401);
      assertThat(get(base.resolve("/health")).statusCode()).isEqualTo(200);

      HttpResponse<String> allowed =
          client.send(
              HttpRequest.newBuilder(base.resolve("/metrics"))
                  .header("Authorization", "Bearer lab-token-1")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).contains("sipsentry_decision_seconds_count");
    }
  }

  @Test
  void getReady_auditDirectoryReplacedByAFile_503NamingTheAuditLogThen200WhenRepaired()
      throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    int admin = AdminServerTest.freeTcpPort();
    Path logs = dir.resolve("logs");
    Files.writeString(
        file,
        config(admin, 70).replace(dir.resolve("audit.jsonl").toString(), logs + "/audit.jsonl"));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      URI ready = URI.create("http://127.0.0.1:" + admin + "/ready");
      HttpResponse<String> up = get(ready);
      assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
      assertThat(JSON.readTree(up.body()).get("status").asText()).isEqualTo("ready");

      // Replacing the directory by a regular file stops root too, unlike chmod.
      Path away = dir.resolve("logs-away");
      Files.move(logs, away);
      Files.writeString(logs, "not a directory\n");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get(ready).statusCode() == 503);
      JsonNode down = JSON.readTree(get(ready).body());
      assertThat(down.get("status").asText()).isEqualTo("not ready");
      assertThat(down.at("/not-ready/audit-log").asText())
          .startsWith("cannot write " + logs.resolve("audit.jsonl"));
      assertThat(get(URI.create("http://127.0.0.1:" + admin + "/health")).statusCode())
          .isEqualTo(200);

      Files.delete(logs);
      Files.move(away, logs);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get(ready).statusCode() == 200);
      assertThat(sentry.notReady()).isEmpty();
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String config(int adminPort, int block) {
    return "listen:\n"
        + "  udp: 127.0.0.1:"
        + sipPort
        + "\n"
        + "next-hop:\n"
        + "  address: 127.0.0.1:5080\n"
        + "home-country: CH\n"
        + "thresholds:\n"
        + "  label: 30\n"
        + "  block: "
        + block
        + "\n"
        + "lists:\n"
        + "  deny:\n"
        + "    numbers: [{file: deny.txt}]\n"
        + "audit-log: "
        + dir.resolve("audit.jsonl")
        + "\n"
        + "admin:\n"
        + "  listen: 127.0.0.1:"
        + adminPort
        + "\n";
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return socket.getLocalPort();
    }
  }
}
