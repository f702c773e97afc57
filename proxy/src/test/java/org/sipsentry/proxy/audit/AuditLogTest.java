package org.sipsentry.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.StirFailure;

class AuditLogTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static final Instant TIME = Instant.parse("2025-03-01T12:00:00.123Z");

  @TempDir Path dir;

  final ProxyStats stats = new ProxyStats();

  @Test
  void record_blockedCall_writesOneJsonLineWithEveryField() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Verdict block =
        new Verdict(
            Action.BLOCK,
            90,
            List.of("from-pai-mismatch", "untrusted-pai"),
            Optional.of(new SipStatus(608, "Rejected")),
            List.of(
                new Finding("from-pai-mismatch", 60, "From +41446681800 ≠ PAI +41791234567"),
                new Finding("untrusted-pai", 30, "untrusted trunk \"default\" sent PAI")));

    AuditLog audit = AuditLog.open(file, stats);
    audit.record(new AuditRecord(TIME, call("call-1@198.51.100.7"), block));
    audit.close();

    List<JsonNode> lines = readLines(file);
    assertThat(lines).hasSize(1);
    JsonNode line = lines.get(0);
    assertThat(fieldNames(line))
        .containsExactly(
            "time",
            "call-id",
            "source",
            "trunk",
            "from",
            "pai",
            "to",
            "request-uri",
            "findings",
            "verdict");
    assertThat(line.get("time").asText()).isEqualTo("2025-03-01T12:00:00.123Z");
    assertThat(line.get("call-id").asText()).isEqualTo("call-1@198.51.100.7");
    assertThat(line.get("source").asText()).isEqualTo("udp:198.51.100.7:40000");
    assertThat(line.get("trunk").asText()).isEqualTo("peer");
    assertThat(line.get("from").asText()).isEqualTo("sip:+41446681800@198.51.100.7");
    assertThat(line.get("pai").get(0).asText()).isEqualTo("sip:+41791234567@198.51.100.7");
    assertThat(line.get("pai").get(1).asText()).isEqualTo("tel:+41791234567");
    assertThat(line.get("to").asText()).isEqualTo("sip:+41446681801@192.0.2.10");
    assertThat(line.get("request-uri").asText()).isEqualTo("sip:+41446681801@192.0.2.10");
    JsonNode findings = line.get("findings");
    assertThat(findings).hasSize(2);
    assertThat(findings.get(0).get("rule").asText()).isEqualTo("from-pai-mismatch");
    assertThat(findings.get(0).get("weight").asInt()).isEqualTo(60);
    assertThat(findings.get(0).get("evidence").asText())
        .isEqualTo("From +41446681800 ≠ PAI +41791234567");
    assertThat(findings.get(1).get("evidence").asText())
        .isEqualTo("untrusted trunk \"default\" sent PAI");
    JsonNode verdict = line.get("verdict");
    assertThat(fieldNames(verdict)).containsExactly("action", "score", "reasons", "code", "reason");
    assertThat(verdict.get("action").asText()).isEqualTo("block");
    assertThat(verdict.get("score").asInt()).isEqualTo(90);
    assertThat(verdict.get("reasons").get(0).asText()).isEqualTo("from-pai-mismatch");
    assertThat(verdict.get("reasons").get(1).asText()).isEqualTo("untrusted-pai");
    assertThat(verdict.get("code").asInt()).isEqualTo(608);
    assertThat(verdict.get("reason").asText()).isEqualTo("Rejected");
    assertThat(stats.get("audit.queued")).isEqualTo(1);
    assertThat(stats.get("audit.written")).isEqualTo(1);
  }

  @Test
  void record_allowedCall_hasNoResponseFields() throws Exception {
    Path file = dir.resolve("audit.jsonl");

    AuditLog audit = AuditLog.open(file, stats);
    audit.record(new AuditRecord(TIME, call("call-2"), allow()));
    audit.close();

    JsonNode verdict = readLines(file).get(0).get("verdict");
    assertThat(fieldNames(verdict)).containsExactly("action", "score", "reasons");
    assertThat(verdict.get("action").asText()).isEqualTo("allow");
    assertThat(verdict.get("reasons")).isEmpty();
  }

  @Test
  void record_stirPass_stirObjectWithVerstatAndCertificateFields() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    StirSummary passed =
        new StirSummary(
            "TN-Validation-Passed-A",
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.of(Attestation.A),
            Optional.of("4437c2f4-1a1b-4a5e-9f00-000000000001"),
            Optional.of("https://certs.example.net/sp.pem"),
            Optional.of("1234"),
            false);

    AuditLog audit = AuditLog.open(file, stats);
    audit.record(new AuditRecord(TIME, call("call-3"), withStir(passed)));
    audit.close();

    JsonNode line = readLines(file).get(0);
    assertThat(fieldNames(line)).endsWith("verdict", "stir");
    JsonNode stir = line.get("stir");
    assertThat(fieldNames(stir)).containsExactly("verstat", "attest", "spc", "origid", "x5u");
    assertThat(stir.get("verstat").asText()).isEqualTo("TN-Validation-Passed-A");
    assertThat(stir.get("attest").asText()).isEqualTo("A");
    assertThat(stir.get("spc").asText()).isEqualTo("1234");
    assertThat(stir.get("origid").asText()).isEqualTo("4437c2f4-1a1b-4a5e-9f00-000000000001");
    assertThat(stir.get("x5u").asText()).isEqualTo("https://certs.example.net/sp.pem");
  }

  @Test
  void record_stirIndeterminateFailure_stirObjectWithFailureAndCode() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    StirSummary failed =
        new StirSummary(
            "TN-Validation-Failed",
            Optional.of(StirFailure.CERTIFICATE_UNAVAILABLE),
            Optional.of(new SipStatus(436, "Bad Identity Info")),
            true,
            Optional.empty(),
            Optional.empty(),
            Optional.of("https://slow.example.net/\"quoted\".pem"),
            Optional.empty(),
            false);

    AuditLog audit = AuditLog.open(file, stats);
    audit.record(new AuditRecord(TIME, call("call-4"), withStir(failed)));
    audit.close();

    JsonNode stir = readLines(file).get(0).get("stir");
    assertThat(fieldNames(stir))
        .containsExactly("verstat", "failure", "code", "reason", "indeterminate", "x5u");
    assertThat(stir.get("failure").asText()).isEqualTo("certificate-unavailable");
    assertThat(stir.get("code").asInt()).isEqualTo(436);
    assertThat(stir.get("reason").asText()).isEqualTo("Bad Identity Info");
    assertThat(stir.get("indeterminate").asBoolean()).isTrue();
    assertThat(stir.get("x5u").asText()).isEqualTo("https://slow.example.net/\"quoted\".pem");
  }

  @Test
  void record_callNotVerified_hasNoStirObject() throws Exception {
    Path file = dir.resolve("audit.jsonl");

    AuditLog audit = AuditLog.open(file, stats);
    audit.record(new AuditRecord(TIME, call("call-5"), allow()));
    audit.close();

    assertThat(readLines(file).get(0).has("stir")).isFalse();
  }

  private static Verdict withStir(StirSummary stir) {
    return new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of(), Optional.of(stir));
  }

  @Test
  void close_flushesEveryQueuedRecordInOrder() throws Exception {
    Path file = dir.resolve("audit.jsonl");

    AuditLog audit = AuditLog.open(file, stats);
    for (int i = 0; i < 5_000; i++) {
      audit.record(new AuditRecord(TIME, call("call-" + i), allow()));
    }
    audit.close();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(5_000);
    assertThat(JSON.readTree(lines.get(0)).get("call-id").asText()).isEqualTo("call-0");
    assertThat(JSON.readTree(lines.get(4_999)).get("call-id").asText()).isEqualTo("call-4999");
    assertThat(stats.get("audit.written")).isEqualTo(5_000);
  }

  @Test
  void open_existingFile_appends() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AuditLog first = AuditLog.open(file, stats);
    first.record(new AuditRecord(TIME, call("first"), allow()));
    first.close();

    AuditLog second = AuditLog.open(file, stats);
    second.record(new AuditRecord(TIME, call("second"), allow()));
    second.close();

    assertThat(readLines(file))
        .extracting(line -> line.get("call-id").asText())
        .containsExactly("first", "second");
  }

  @Test
  void open_missingDirectory_createdAndFileNamed() throws Exception {
    Path file = dir.resolve("var/log/sipsentry/audit.jsonl");

    AuditLog audit = AuditLog.open(file, stats);
    audit.close();

    assertThat(file).exists().isEmptyFile();
    assertThat(audit.file()).isEqualTo(file);
  }

  @Test
  void open_pathIsADirectory_throws() {
    org.assertj.core.api.Assertions.assertThatIOException()
        .isThrownBy(() -> AuditLog.open(dir, stats));
  }

  static CallContext call(String callId) {
    return new CallContext(
        callId,
        new InetSocketAddress("198.51.100.7", 40000),
        Transport.UDP,
        new Trunk("peer", List.of(Cidr.parse("198.51.100.0/24")), false),
        "sip:+41446681801@192.0.2.10",
        new NameAddress(
            "Alice",
            "sip:+41446681800@198.51.100.7",
            "sip",
            "+41446681800",
            "198.51.100.7",
            Map.of(),
            "f1"),
        NameAddress.of("sip", "+41446681801", "192.0.2.10"),
        List.of(
            NameAddress.of("sip", "+41791234567", "198.51.100.7"),
            NameAddress.of("tel", "+41791234567", "")),
        List.of(),
        List.of(),
        List.of(),
        "",
        List.of());
  }

  static Verdict allow() {
    return new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of());
  }

  static List<JsonNode> readLines(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
