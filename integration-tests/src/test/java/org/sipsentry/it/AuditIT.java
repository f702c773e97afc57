package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log loses nothing: the INVITEs SIPp says it sent (its {@code -trace_counts} file,
 * column {@code 0_INVITE_Sent}, retransmissions counted apart) equal the audit lines, across the
 * files rotated during the run, and none is dropped; while the audit directory is unusable, {@code
 * GET /ready} answers 503, and once it is repaired every record of the calls in between is written.
 */
class AuditIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** 20 s at 200 calls/s over UDP: enough to rotate several times, cheap enough for CI. */
  private static final int RATE = 200;

  private static final int CALLS = 4000;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sippLoad_auditLinesEqualInvitesSentAcrossRotatedFiles_noneDropped(@TempDir Path dir)
      throws Exception {
    Path logs = dir.resolve("logs");
    try (LabProxy proxy = start(dir, logs, "512KiB");
        Sipp uas = proxy.uas("u1", "-sn", "uas")) {
      Sipp uac =
          proxy.uac(
              "127.0.0.1",
              "u1",
              "-sn",
              "uac",
              "-m",
              String.valueOf(CALLS),
              "-r",
              String.valueOf(RATE),
              "-trace_counts");
      int exit = uac.await(Duration.ofSeconds(90));

      long sent = invitesSent(dir);
      assertThat(sent).as(uac.describe()).isEqualTo(CALLS);
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.counter("audit.written") >= sent);
      List<String> callIds = auditCallIds(logs);
      assertThat(callIds).as("audit lines (SIPp exit %d)", exit).hasSize((int) sent);
      assertThat(new HashSet<>(callIds)).as("one line per transaction").hasSize((int) sent);
      assertThat(proxy.counter("audit.rotated")).as("rotated during the run").isGreaterThan(1);
      assertThat(rotatedFiles(logs)).hasSize((int) proxy.counter("audit.rotated"));
      assertThat(proxy.counter("audit.dropped")).isZero();
      assertThat(proxy.counter("audit.blocked_calls")).isZero();
      assertThat(proxy.counter("audit.write_failed")).isZero();
    }
  }

  @Test
  void ready_auditDirectoryUnusableMidRun_503ThenRecovers_noRecordLost(@TempDir Path dir)
      throws Exception {
    Path logs = dir.resolve("logs");
    try (LabProxy proxy = start(dir, logs, "0");
        Sipp uas = proxy.uas("u1", "-sn", "uas")) {
      URI ready = URI.create("http://127.0.0.1:" + adminPort(proxy) + "/ready");
      assertThat(get(ready).statusCode()).isEqualTo(200);
      Sipp uac =
          proxy.uac("127.0.0.1", "u1", "-sn", "uac", "-m", "600", "-r", "50", "-trace_counts");
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.counter("audit.written") >= 100);

      // The directory becomes a regular file: no user, root included, can write there.
      Path away = dir.resolve("logs-away");
      Files.move(logs, away);
      Files.writeString(logs, "not a directory\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> get(ready).statusCode() == 503);
      HttpResponse<String> notReady = get(ready);
      JsonNode body = JSON.readTree(notReady.body());
      assertThat(body.get("status").asText()).isEqualTo("not ready");
      assertThat(body.at("/not-ready/audit-log").asText()).contains(logs.toString());
      long writtenWhenBroken = proxy.counter("audit.written");
      long queuedWhenBroken = proxy.counter("audit.queued");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> proxy.counter("audit.queued") >= queuedWhenBroken + 100);
      assertThat(proxy.counter("audit.written")).isEqualTo(writtenWhenBroken);
      assertThat(get(ready).statusCode()).isEqualTo(503);

      Files.delete(logs);
      Files.move(away, logs);
      await().atMost(Duration.ofSeconds(5)).until(() -> get(ready).statusCode() == 200);
      assertThat(uac.await(Duration.ofSeconds(60))).as(uac.describe()).isZero();

      long sent = invitesSent(dir);
      assertThat(sent).isEqualTo(600);
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.counter("audit.written") >= sent);
      List<String> callIds = auditCallIds(logs);
      assertThat(callIds).hasSize((int) sent);
      assertThat(new HashSet<>(callIds)).hasSize((int) sent);
      assertThat(proxy.counter("audit.dropped")).isZero();
      assertThat(proxy.counter("audit.blocked_calls")).isZero();
      assertThat(proxy.counter("audit.write_failed")).isPositive();
    }
  }

  private static LabProxy start(Path dir, Path logs, String maxSize) throws Exception {
    return LabProxy.start(
        "audit",
        dir,
        Map.of(
            "ADMIN_PORT",
            String.valueOf(Ports.free()),
            "AUDIT_FILE",
            logs.resolve("audit.jsonl").toString(),
            "MAX_SIZE",
            maxSize));
  }

  private static int adminPort(LabProxy proxy) {
    return proxy.sentry.adminAddress().orElseThrow().getPort();
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The {@code 0_INVITE_Sent} column of the last row of SIPp's {@code uac_<pid>_counts.csv}: the
   * initial INVITEs it sent, without retransmissions.
   */
  static long invitesSent(Path dir) throws IOException {
    Path counts;
    try (Stream<Path> files = Files.list(dir)) {
      counts =
          files
              .filter(p -> p.getFileName().toString().matches("uac_\\d+_counts\\.csv"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no SIPp counts file in " + dir));
    }
    List<String> lines = Files.readAllLines(counts, StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(";"));
    int column = header.indexOf("0_INVITE_Sent");
    assertThat(column).as(lines.get(0)).isNotNegative();
    return Long.parseLong(lines.get(lines.size() - 1).split(";")[column].strip());
  }

  static List<Path> rotatedFiles(Path logs) throws IOException {
    try (Stream<Path> files = Files.list(logs)) {
      return files
          .filter(p -> p.getFileName().toString().matches("audit-\\d{8}-\\d{6}(-\\d+)?\\.jsonl"))
          .sorted()
          .toList();
    }
  }

  /** The call-ids of every audit line, in the rotated files and the current one. */
  static List<String> auditCallIds(Path logs) throws IOException {
    List<Path> files = new ArrayList<>(rotatedFiles(logs));
    files.add(logs.resolve("audit.jsonl"));
    List<String> ids = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path file : files) {
      if (seen.add(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          ids.add(JSON.readTree(line).get("call-id").asText());
        }
      }
    }
    return ids;
  }
}
