package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.reload.ConfigWatch;
import org.sipsentry.proxy.reload.ReloadOutcome;

/**
 * Hot reload under real traffic: SIPp places 160 calls at 20 calls/s, each from an invalid caller
 * number (score 40), through the proxy started from a config file that labels them (block at 70).
 * Half-way, the file is replaced the way editors save (a new file renamed over it) with one that
 * blocks at 40; the file watch reloads it. Every call must end as expected (answered when labelled,
 * 608 and ACK when blocked), calls decided before the change labelled and after it blocked. Then a
 * broken file must change nothing and be counted as a failed reload.
 */
class ReloadIT {

  private static final String CALLER = "127.0.0.1";
  private static final Path RESOURCES = Path.of("target/test-classes/reload").toAbsolutePath();
  private static final int CALLS = 160;
  private static final int RATE = 20;

  @TempDir Path dir;

  private final Map<String, String> values = new java.util.HashMap<>();
  private Path config;

  @Test
  void reload_midRun_laterCallsBlockedNoneFail_thenBrokenFileChangesNothing() throws Exception {
    int port = Ports.free();
    values.put("PROXY_PORT", String.valueOf(port));
    values.put("OTHER_PORT", String.valueOf(Ports.free()));
    values.put("UAS_PORT", String.valueOf(Ports.free()));
    values.put("AUDIT_LOG", dir.resolve("audit.jsonl").toString());
    config = dir.resolve("sipsentry.yaml");
    write("before.yaml", config);

    try (SipSentry sentry = SipSentry.start(config, UnaryOperator.identity());
        ConfigWatch watch =
            ConfigWatch.start(config, ConfigWatch.DEFAULT_DEBOUNCE, sentry::reload);
        Sipp uas = uas();
        Sipp uac = uac(port, CALLS)) {
      // Traffic, with the file replaced half-way through.
      Thread.sleep(CALLS * 1000L / RATE / 2);
      Instant changed = Instant.now();
      Path edited = dir.resolve(".sipsentry.yaml.tmp");
      write("after.yaml", edited);
      Files.move(
          edited, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> sentry.stats().get("config.reload.ok") == 1);
      Instant reloaded = Instant.now();
      // The listen address needs a restart: reported, not applied.
      ProxySettings running = sentry.settings();
      assertThat(running.udpListen().orElseThrow().port()).isEqualTo(port);
      assertThat(running.detector().blockThreshold()).isEqualTo(40);
      assertThat(uac.await(Duration.ofSeconds(40))).as(uac.describe()).isZero();

      List<JsonNode> audit = auditRecords(sentry, CALLS);
      int labelled = 0;
      int blocked = 0;
      for (JsonNode record : audit) {
        Instant time = Instant.parse(record.get("time").asText());
        String action = record.at("/verdict/action").asText();
        if (time.isBefore(changed)) {
          assertThat(action).as("decided before the change: %s", record).isEqualTo("label");
        } else if (time.isAfter(reloaded)) {
          assertThat(action).as("decided after the reload: %s", record).isEqualTo("block");
        }
        labelled += action.equals("label") ? 1 : 0;
        blocked += action.equals("block") ? 1 : 0;
      }
      String timeline =
          "file changed "
              + changed
              + ", reloaded by "
              + reloaded
              + "; first "
              + audit.get(0)
              + "; last "
              + audit.get(audit.size() - 1);
      assertThat(labelled + blocked).as(timeline).isEqualTo(CALLS);
      assertThat(labelled).as(timeline).isGreaterThanOrEqualTo(CALLS / 4);
      assertThat(blocked).as(timeline).isGreaterThanOrEqualTo(CALLS / 4);
      assertThat(sentry.stats().get("invite.block")).isEqualTo(blocked);
      // Each blocked call's ACK reached the proxy that blocked it and was absorbed there.
      assertThat(sentry.stats().get("absorbed.ack")).isEqualTo(blocked);

      // A broken edit: refused, counted, and the calls after it still blocked.
      write("broken.yaml", config);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> sentry.stats().get("config.reload.failed") == 1);
      assertThat(sentry.settings()).isSameAs(running);
      ReloadOutcome direct = sentry.reload();
      assertThat(direct).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(((ReloadOutcome.Rejected) direct).error())
          .startsWith(config + " line 9: thresholds.block: 170 is out of range");
      assertThat(sentry.stats().get("config.reload.failed")).isEqualTo(2);
      assertThat(sentry.stats().get("config.reload.ok")).isEqualTo(1);

      try (Sipp after = uac(port, RATE)) {
        assertThat(after.await(Duration.ofSeconds(20))).as(after.describe()).isZero();
      }
      List<JsonNode> all = auditRecords(sentry, CALLS + RATE);
      for (JsonNode record : all.subList(CALLS, CALLS + RATE)) {
        assertThat(record.at("/verdict/action").asText()).as("%s", record).isEqualTo("block");
      }

      // Fixed again, reloaded on request: applied, with the listen change reported.
      write("after.yaml", config);
      ReloadOutcome fixed = sentry.reload();
      assertThat(fixed).isInstanceOf(ReloadOutcome.Applied.class);
      assertThat(((ReloadOutcome.Applied) fixed).needsRestart())
          .singleElement()
          .asString()
          .startsWith("listen.udp 127.0.0.1:" + values.get("OTHER_PORT"));
    }
  }

  private void write(String template, Path target) throws Exception {
    Scenarios.fill(RESOURCES.resolve(template), values, target, StandardCharsets.UTF_8);
  }

  private Sipp uas() throws Exception {
    return Sipp.start(
        dir,
        "-sf",
        RESOURCES.resolve("uas.xml").toString(),
        "-i",
        "127.0.0.1",
        "-p",
        values.get("UAS_PORT"),
        "-t",
        "u1");
  }

  private Sipp uac(int port, int calls) throws Exception {
    return Sipp.start(
        dir,
        "-sf",
        RESOURCES.resolve("uac.xml").toString(),
        "127.0.0.1:" + port,
        "-i",
        CALLER,
        "-p",
        String.valueOf(Ports.free()),
        "-t",
        "u1",
        "-r",
        String.valueOf(RATE),
        "-m",
        String.valueOf(calls),
        "-recv_timeout",
        "5000",
        "-timeout",
        "40s",
        "-timeout_error");
  }

  private static List<JsonNode> auditRecords(SipSentry sentry, int expected) throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sentry.stats().get("audit.written") >= expected);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    Path log = sentry.settings().auditLog();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      records.add(json.readTree(line));
    }
    return records;
  }
}
