package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.reload.ConfigWatch;

/**
 * Reload through the admin endpoint and through a list file, under real traffic: SIPp places 240
 * calls at 20 calls/s from the invalid caller number +41000 (score 40). A third of the way in, the
 * config file gets block 40 and {@code POST /config/reload} applies it; two thirds in, the allow
 * list file gets the number, the way editors save (a new file renamed over it), and the watch
 * applies it. Every call must succeed; calls decided before the POST are labelled, between its
 * answer and the list edit blocked, after the list was applied allowed. Then the reload latencies
 * are measured: POST to answer (the configuration is in force when it answers) and list file edit
 * to applied; they are printed as {@code MEASURE ...} lines for docs/PERFORMANCE.md.
 */
class AdminReloadIT {

  private static final Path RESOURCES =
      Path.of("target/test-classes/admin-reload").toAbsolutePath();
  private static final Path SIPP = Path.of("target/test-classes/reload").toAbsolutePath();
  private static final String CALLER_NUMBER = "+41000";
  private static final int CALLS = 240;
  private static final int RATE = 20;
  private static final int SAMPLES = 20;

  @TempDir Path dir;

  private final Map<String, String> values = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Path config;
  private Path allow;

  @Test
  void postThenListEdit_midRun_newCallsUseTheNewConfigAndNoneFail() throws Exception {
    int port = Ports.free();
    values.put("PROXY_PORT", String.valueOf(port));
    values.put("UAS_PORT", String.valueOf(Ports.free()));
    values.put("ADMIN_PORT", String.valueOf(Ports.free()));
    values.put("AUDIT_LOG", dir.resolve("audit.jsonl").toString());
    values.put("BLOCK", "70");
    config = dir.resolve("sipsentry.yaml");
    allow = dir.resolve("allow.txt");
    writeConfig();
    Files.writeString(allow, "# nobody yet\n+41446681899\n");
    URI reload = URI.create("http://127.0.0.1:" + values.get("ADMIN_PORT") + "/config/reload");

    try (SipSentry sentry = SipSentry.start(config, UnaryOperator.identity());
        Sipp uas = uas();
        Sipp uac = uac(port)) {
      sentry.watchFiles(ConfigWatch.DEFAULT_DEBOUNCE);
      long phase = CALLS * 1000L / RATE / 3;

      Thread.sleep(phase);
      values.put("BLOCK", "40");
      writeConfig();
      Instant posted = Instant.now();
      long postStart = System.nanoTime();
      HttpResponse<String> applied = post(reload);
      long postNanos = System.nanoTime() - postStart;
      Instant answered = Instant.now();
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      assertThat(json.readTree(applied.body()).get("applied").toString())
          .contains("thresholds.block 70 -> 40");
      // The watch saw the config file's write too and reloads it once more, unchanged.
      await().atMost(Duration.ofSeconds(5)).until(() -> sentry.generation() == 3);

      Thread.sleep(phase - Duration.between(posted, Instant.now()).toMillis());
      Instant edited = Instant.now();
      long listNanos = editAllowList(sentry, "+41446681899\n" + CALLER_NUMBER + "\n");
      Instant listApplied = Instant.now();
      assertThat(sentry.generation()).isEqualTo(4);

      assertThat(uac.await(Duration.ofSeconds(40))).as(uac.describe()).isZero();
      List<JsonNode> audit = auditRecords(sentry, CALLS);
      Map<String, Integer> actions = new HashMap<>();
      for (JsonNode record : audit) {
        Instant time = Instant.parse(record.get("time").asText());
        String action = record.at("/verdict/action").asText();
        actions.merge(action, 1, Integer::sum);
        if (time.isBefore(posted)) {
          assertThat(action).as("before the POST: %s", record).isEqualTo("label");
        } else if (time.isAfter(answered) && time.isBefore(edited)) {
          assertThat(action)
              .as("after the POST, before the list edit: %s", record)
              .isEqualTo("block");
        } else if (time.isAfter(listApplied)) {
          assertThat(action).as("after the list edit: %s", record).isEqualTo("allow");
        }
      }
      assertThat(actions.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CALLS);
      assertThat(actions.getOrDefault("label", 0))
          .as("%s", actions)
          .isGreaterThanOrEqualTo(CALLS / 6);
      assertThat(actions.getOrDefault("block", 0))
          .as("%s", actions)
          .isGreaterThanOrEqualTo(CALLS / 6);
      assertThat(actions.getOrDefault("allow", 0))
          .as("%s", actions)
          .isGreaterThanOrEqualTo(CALLS / 6);
      assertThat(sentry.stats().get("absorbed.ack")).isEqualTo((long) actions.get("block"));
      assertThat(sentry.stats().get("config.reload.failed")).isZero();
      System.out.printf(
          "MEASURE under %d calls/s: POST /config/reload -> 200 %.1f ms; allow-list edit -> applied %.1f ms%n",
          RATE, postNanos / 1e6, listNanos / 1e6);

      // Latency, without traffic: POST (unchanged file) and list file edits.
      long[] posts = new long[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        long start = System.nanoTime();
        assertThat(post(reload).statusCode()).isEqualTo(200);
        posts[i] = System.nanoTime() - start;
      }
      long[] edits = new long[5];
      for (int i = 0; i < edits.length; i++) {
        edits[i] = editAllowList(sentry, "+4144668190" + i + "\n" + CALLER_NUMBER + "\n");
      }
      System.out.println(
          "MEASURE POST /config/reload -> 200, " + SAMPLES + " runs: " + summary(posts));
      System.out.println(
          "MEASURE list file edit -> applied (debounce "
              + ConfigWatch.DEFAULT_DEBOUNCE.toMillis()
              + " ms), "
              + edits.length
              + " runs: "
              + summary(edits));
    }
  }

  /** Replaces the allow list as editors do and waits for the watch to apply it; the nanos taken. */
  private long editAllowList(SipSentry sentry, String content) throws Exception {
    long before = sentry.generation();
    Path temporary = dir.resolve(".allow.txt.swp");
    Files.writeString(temporary, content);
    long start = System.nanoTime();
    Files.move(
        temporary, allow, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    await()
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> sentry.generation() == before + 1);
    return System.nanoTime() - start;
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "min %.1f ms, median %.1f ms, max %.1f ms",
        sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private HttpResponse<String> post(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void writeConfig() throws Exception {
    Scenarios.fill(RESOURCES.resolve("sipsentry.yaml"), values, config, StandardCharsets.UTF_8);
  }

  private Sipp uas() throws Exception {
    return Sipp.start(
        dir,
        "-sf",
        SIPP.resolve("uas.xml").toString(),
        "-i",
        "127.0.0.1",
        "-p",
        values.get("UAS_PORT"),
        "-t",
        "u1");
  }

  private Sipp uac(int port) throws Exception {
    return Sipp.start(
        dir,
        "-sf",
        SIPP.resolve("uac.xml").toString(),
        "127.0.0.1:" + port,
        "-i",
        "127.0.0.1",
        "-p",
        String.valueOf(Ports.free()),
        "-t",
        "u1",
        "-r",
        String.valueOf(RATE),
        "-m",
        String.valueOf(CALLS),
        "-recv_timeout",
        "5000",
        "-timeout",
        "40s",
        "-timeout_error");
  }

  private List<JsonNode> auditRecords(SipSentry sentry, int expected) throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sentry.stats().get("audit.written") >= expected);
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(sentry.settings().auditLog(), StandardCharsets.UTF_8)) {
      records.add(json.readTree(line));
    }
    return records;
  }
}
