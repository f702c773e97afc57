package org.sipsentry.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.config.ConfigLoader;

/**
 * The real proxy on loopback, started through its public entry points from a YAML config template
 * ({@code src/test/resources/config/<name>.yaml}) whose {@code ${...}} placeholders are filled with
 * free ports and the test's own directory.
 */
final class LabProxy implements AutoCloseable {

  final int port;
  final int uasPort;
  final Path dir;
  final Path auditLog;
  final SipSentry sentry;

  private LabProxy(int port, int uasPort, Path dir, Path auditLog, SipSentry sentry) {
    this.port = port;
    this.uasPort = uasPort;
    this.dir = dir;
    this.auditLog = auditLog;
    this.sentry = sentry;
  }

  /** Starts the proxy with config template {@code name}, forwarding to a fresh UAS port. */
  static LabProxy start(String name, Path dir) throws Exception {
    return start(name, dir, Map.of());
  }

  /**
   * As {@link #start(String, Path)}, filling in the template's own placeholders from {@code values}
   * too; a placeholder left unfilled is an error.
   */
  static LabProxy start(String name, Path dir, Map<String, String> values) throws Exception {
    int port = Ports.free();
    int uasPort = Ports.free();
    Path auditLog = dir.resolve("audit.jsonl");
    String template = Files.readString(Path.of("target/test-classes/config/" + name + ".yaml"));
    String yaml = template;
    Map<String, String> all = new java.util.HashMap<>(values);
    all.put("PROXY_PORT", String.valueOf(port));
    all.put("UAS_PORT", String.valueOf(uasPort));
    all.put("AUDIT_LOG", auditLog.toString());
    for (Map.Entry<String, String> value : all.entrySet()) {
      yaml = yaml.replace("${" + value.getKey() + "}", value.getValue());
    }
    if (yaml.contains("${")) {
      throw new IllegalArgumentException(name + ".yaml still has a placeholder: " + yaml);
    }
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    SipSentry sentry = SipSentry.start(ConfigLoader.load(config));
    return new LabProxy(port, uasPort, dir, auditLog, sentry);
  }

  /** {@code 127.0.0.1:<port>}: where SIPp UACs send. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * Starts a SIPp UAS on the port this proxy forwards to; it fails if it has not finished within 60
   * s.
   *
   * @param transport SIPp's {@code -t} value ({@code u1} for UDP, {@code t1} for TCP)
   * @param arguments the scenario ({@code -sn uas} or {@code -sf FILE}) and any other options
   */
  Sipp uas(String transport, String... arguments) throws IOException {
    return Sipp.start(
        dir,
        concat(
            arguments,
            "-i",
            "127.0.0.1",
            "-p",
            String.valueOf(uasPort),
            "-t",
            transport,
            "-timeout",
            "60s",
            "-timeout_error"));
  }

  /**
   * Starts a SIPp UAC that sends to this proxy from {@code sourceIp} and a free port, and fails if
   * it has not finished within 60 s.
   */
  Sipp uac(String sourceIp, String transport, String... arguments) throws IOException {
    return Sipp.start(
        dir,
        concat(
            arguments,
            address(),
            "-i",
            sourceIp,
            "-p",
            String.valueOf(Ports.free()),
            "-t",
            transport,
            "-timeout",
            "60s",
            "-timeout_error"));
  }

  private static String[] concat(String[] first, String... second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  long counter(String name) {
    return sentry.stats().get(name);
  }

  /** Waits until the audit log has {@code expected} lines, then returns them parsed. */
  List<JsonNode> auditRecords(int expected) throws IOException {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sentry.stats().get("audit.written") >= expected);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(auditLog, StandardCharsets.UTF_8)) {
      records.add(json.readTree(line));
    }
    return records;
  }

  @Override
  public void close() {
    sentry.close();
  }
}
