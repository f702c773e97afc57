package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} while SIPp pushes calls (config {@code metrics-lab.yaml}): 200 calls, over
 * UDP then TCP, some allowed (a valid caller), some blocked 433 (anonymous). After each batch the
 * admin endpoint is scraped over a real socket, with the bearer token, and the counters must agree
 * with SIPp's own counts: invites by action, findings by reason, 433s answered, INVITEs and BYEs
 * received and forwarded by transport, decisions timed, audit records written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

  private static final String TOKEN = "metrics-it-7f3a9c";

  /** Per transport: allowed calls, then blocked ones; 200 calls in all. */
  private static final int ALLOWED = 60;

  private static final int BLOCKED = 40;

  private static final String INVITES_ALLOWED = "sipsentry_invites_total{action=\"allow\"}";
  private static final String INVITES_BLOCKED = "sipsentry_invites_total{action=\"block\"}";
  private static final String FINDINGS_ANONYMOUS =
      "sipsentry_findings_total{reason=\"anonymous-caller\"}";
  private static final String ANSWERED_433 = "sipsentry_answered_total{reason=\"433\"}";
  private static final String DECISIONS = "sipsentry_decision_seconds_count";
  private static final String AUDIT_WRITTEN = "sipsentry_audit_records_total{outcome=\"written\"}";

  private final HttpClient http = HttpClient.newHttpClient();

  private Path dir;
  private LabProxy proxy;
  private URI metrics;

  /** The scrape after the UDP calls, which the TCP calls must move on from. */
  private Map<String, Double> afterUdp;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    int adminPort = Ports.free();
    proxy = LabProxy.start("metrics-lab", dir, Map.of("ADMIN_PORT", String.valueOf(adminPort)));
    metrics = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @Order(1)
  void metrics_withoutToken401_wrongToken401_withToken200() throws Exception {
    HttpResponse<String> none = get(null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"sipsentry\"");
    assertThat(none.body()).contains("\"status\":401");
    assertThat(get("not-" + TOKEN).statusCode()).isEqualTo(401);

    HttpResponse<String> ok = get(TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    Map<String, Double> before = parse(ok.body());
    assertThat(before).containsEntry(DECISIONS, 0.0).doesNotContainKey(INVITES_ALLOWED);
    assertThat(before.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
  }

  @Test
  @Order(2)
  void udpCalls_countersEqualSippCounts() throws Exception {
    Batch batch = calls("u1");
    Map<String, Double> after = scrapeWhenAudited(batch.total());

    assertCalls(after, Map.of(), batch);
    // Over UDP SIPp may retransmit (Timer A); a retransmitted INVITE is received again but
    // judged once, so only the received count may exceed the calls.
    assertThat(after.get(messages("received", "request", "INVITE", "udp")))
        .isBetween((double) batch.total(), (double) (batch.total() + batch.retransmissions()));
    assertThat(after.get(messages("forwarded", "request", "BYE", "udp")))
        .isBetween((double) ALLOWED, (double) (ALLOWED + batch.retransmissions()));
    afterUdp = after;
  }

  @Test
  @Order(3)
  void tcpCalls_countersMoveByExactlySippCounts() throws Exception {
    assertThat(afterUdp).as("the UDP scrape").isNotNull();
    Batch batch = calls("t1");
    Map<String, Double> after = scrapeWhenAudited(2 * batch.total());

    assertCalls(after, afterUdp, batch);
    // TCP is reliable: no retransmissions, every count is exact.
    assertThat(batch.retransmissions()).isZero();
    assertThat(after.get(messages("received", "request", "INVITE", "tcp")))
        .isEqualTo((double) batch.total());
    assertThat(after.get(messages("forwarded", "request", "INVITE", "tcp")))
        .isEqualTo((double) batch.allowed().successful());
    assertThat(after.get(messages("received", "request", "BYE", "tcp")))
        .isEqualTo((double) batch.allowed().successful());
    assertThat(after.get(messages("forwarded", "response", "INVITE", "tcp")))
        .as("the UAS's 180 and 200 of each allowed call")
        .isGreaterThanOrEqualTo(2.0 * batch.allowed().successful());
    assertThat(after.get(messages("received", "request", "ACK", "tcp")))
        .as("the ACKs of the 200s and of the 433s")
        .isEqualTo((double) batch.total());
    assertThat(after.get("sipsentry_absorbed_total{what=\"ack\"}"))
        .as("the ACK of every 433, over both transports")
        .isEqualTo(2.0 * BLOCKED);
  }

  /** The allowed and blocked calls of one transport and what SIPp counted. */
  private record Batch(SippStats allowed, SippStats blocked) {
    int total() {
      return (int) (allowed.successful() + blocked.successful());
    }

    long retransmissions() {
      return allowed.retransmissions() + blocked.retransmissions();
    }
  }

  private Batch calls(String transport) throws Exception {
    Path allowedStats = dir.resolve("allowed-" + transport + ".csv");
    Path uac =
        Scenarios.render(
            "identity-call/uac.xml",
            Map.of("from_user", "+41446681801", "pai_user", ""),
            dir,
            "allowed-" + transport + ".xml");
    try (Sipp uas = proxy.uas(transport, "-sn", "uas", "-m", String.valueOf(ALLOWED))) {
      Sipp calls =
          proxy.uac(
              "127.0.0.1",
              transport,
              concat(
                  SippStats.options(allowedStats),
                  "-sf",
                  uac.toString(),
                  "-m",
                  String.valueOf(ALLOWED),
                  "-r",
                  "50"));
      assertThat(calls.await(Duration.ofSeconds(90))).as(calls.describe()).isZero();
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
    Path blockedStats = dir.resolve("blocked-" + transport + ".csv");
    Path blocked =
        Scenarios.render(
            "blocked-call/uac.xml",
            Map.of("from_user", "anonymous", "extra_header", "Privacy: id", "expect_code", "433"),
            dir,
            "blocked-" + transport + ".xml");
    Sipp calls =
        proxy.uac(
            "127.0.0.1",
            transport,
            concat(
                SippStats.options(blockedStats),
                "-sf",
                blocked.toString(),
                "-m",
                String.valueOf(BLOCKED),
                "-r",
                "50"));
    assertThat(calls.await(Duration.ofSeconds(90))).as(calls.describe()).isZero();
    Batch batch = new Batch(SippStats.read(allowedStats), SippStats.read(blockedStats));
    assertThat(batch.allowed())
        .isEqualTo(new SippStats(ALLOWED, 0, batch.allowed().retransmissions()));
    assertThat(batch.blocked())
        .isEqualTo(new SippStats(BLOCKED, 0, batch.blocked().retransmissions()));
    return batch;
  }

  /** The counters of {@code after} moved from {@code before} by exactly what SIPp counted. */
  private static void assertCalls(
      Map<String, Double> after, Map<String, Double> before, Batch batch) {
    assertThat(moved(after, before, INVITES_ALLOWED)).isEqualTo(batch.allowed().successful());
    assertThat(moved(after, before, INVITES_BLOCKED)).isEqualTo(batch.blocked().successful());
    assertThat(moved(after, before, FINDINGS_ANONYMOUS)).isEqualTo(batch.blocked().successful());
    assertThat(moved(after, before, ANSWERED_433)).isEqualTo(batch.blocked().successful());
    assertThat(moved(after, before, DECISIONS)).isEqualTo(batch.total());
    assertThat(moved(after, before, AUDIT_WRITTEN)).isEqualTo(batch.total());
    // The reasons add up: every blocked call has exactly one finding, the allowed ones none.
    double findings =
        after.entrySet().stream()
            .filter(e -> e.getKey().startsWith("sipsentry_findings_total{"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    assertThat(findings).isEqualTo(after.get(INVITES_BLOCKED));
  }

  private static long moved(Map<String, Double> after, Map<String, Double> before, String key) {
    assertThat(after).as("scraped series").containsKey(key);
    return Math.round(after.get(key) - before.getOrDefault(key, 0.0));
  }

  private static String messages(String direction, String kind, String method, String transport) {
    return "sipsentry_messages_total{direction=\""
        + direction
        + "\",kind=\""
        + kind
        + "\",method=\""
        + method
        + "\",transport=\""
        + transport
        + "\"}";
  }

  /** Scrapes until the audit writer has caught up with {@code calls} decisions, then once more. */
  private Map<String, Double> scrapeWhenAudited(int calls) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> parse(get(TOKEN).body()).getOrDefault(AUDIT_WRITTEN, 0.0) >= calls);
    try {
      HttpResponse<String> response = get(TOKEN);
      assertThat(response.statusCode()).isEqualTo(200);
      return parse(response.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> get(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Prometheus text: series (name and labels as written) → value; comments skipped. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> series = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return series;
  }

  private static String[] concat(String[] first, String... second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
