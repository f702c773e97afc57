package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lab kit as a lab engineer runs it: {@code examples/lab/run-lab.sh} starts {@code
 * bin/sipsentry run} (the built distribution) with an openssl STI PKI, a certificate server and a
 * SIPp UAS, plays its eight scenarios and prints {@code scenario | expected | got | result}; every
 * row must say PASS. With {@code --capture} it also leaves a tshark capture of the run and its
 * audit log, which {@link #capture()} hands to tests that analyse them.
 *
 * <p>Issue 5's "analyze on a tshark capture of that run reports the same verdicts as the audit
 * log": {@code bin/sipsentry analyze --json} on the callers' leg, and on both legs (where it skips
 * the INVITEs SipSentry forwarded), gives every call of the audit log its action, reasons, trunk,
 * source, verstat, STIR failure and response code, and no other call.
 */
class LabIT {

  /** The repository root (Failsafe runs in the module directory). */
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private static final Path WORK = Path.of("target/lab").toAbsolutePath();

  /** The scenarios of run-lab.sh, in the order it plays them. */
  static final List<String> SCENARIOS =
      List.of(
          "legit-a-attested",
          "replayed-passport",
          "spoofed-bank-cli",
          "from-pai-mismatch",
          "stale-passport",
          "missing-identity",
          "anonymous-call",
          "robocall-burst");

  /** One row of run-lab.sh's table: {@code scenario | expected | got | result}. */
  private static final Pattern ROW =
      Pattern.compile("^(\\S+)\\s*\\| (.*?)\\s*\\| (.*?)\\s*\\| (PASS|FAIL)$");

  /** The calls of a run: one per scenario, and robocall-burst's per-caller (5) + 5. */
  private static final int CALLS = SCENARIOS.size() - 1 + 10;

  /**
   * What {@code run-lab.sh --capture} leaves behind, for {@code bin/sipsentry analyze}: the capture
   * of both legs (with the INVITEs SipSentry forwarded, which analyze skips), the callers' leg
   * alone, the audit log of the run, and the lab config (whose folder also holds the SP
   * certificate, {@code sp.pem}, for {@code analyze --cert}).
   */
  record Capture(Path pcap, Path callers, Path auditLog, Path config, String output) {}

  private static Capture capture;

  /** One run of run-lab.sh: its exit code and everything it printed. */
  private record Run(int exit, String output) {}

  /** One SIP message of a capture, as tshark decodes it. */
  private record Message(int sourcePort, int destinationPort, String method, String callId) {}

  @Test
  void runLab_playsEveryScenario_allPass() throws Exception {
    Run run = runLab("plain");

    assertThat(run.exit()).as(run.output()).isZero();
    assertEveryScenarioPasses(run.output());
  }

  @Test
  void runLabWithCapture_capturesBothLegsOfEveryCall_andTheCallersLegApart() throws Exception {
    Capture result = capture();
    String config = Files.readString(result.config());
    int proxyPort = port(config, "udp: 127\\.0\\.0\\.1:(\\d+)");
    int uasPort = port(config, "address: 127\\.0\\.0\\.1:(\\d+)");
    Set<String> calls = new TreeSet<>();
    Set<String> forwardedCalls = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(result.auditLog(), StandardCharsets.UTF_8)) {
      JsonNode entry = json.readTree(line);
      calls.add(entry.get("call-id").asText());
      if (!entry.at("/verdict/action").asText().equals("block")) {
        forwardedCalls.add(entry.get("call-id").asText());
      }
    }
    assertThat(calls).as(result.output()).hasSize(CALLS);

    // Both legs: every call's INVITE reached SipSentry, and each call it let through went on from
    // its port to the UAS.
    List<Message> all = messages(result.pcap());
    assertThat(invitesOf(all, m -> m.destinationPort() == proxyPort)).isEqualTo(calls);
    assertThat(invitesOf(all, m -> m.sourcePort() == proxyPort && m.destinationPort() == uasPort))
        .isEqualTo(forwardedCalls);
    // The callers' leg: the same INVITEs in, nothing to or from the UAS.
    List<Message> callers = messages(result.callers());
    assertThat(invitesOf(callers, m -> m.destinationPort() == proxyPort)).isEqualTo(calls);
    assertThat(callers)
        .isNotEmpty()
        .noneMatch(m -> m.sourcePort() == uasPort || m.destinationPort() == uasPort);
  }

  @Test
  void analyzeOfTheCallersLeg_givesEveryCallTheVerdictOfTheAuditLog() throws Exception {
    Capture result = capture();
    Map<String, String> audit = verdictsOfAuditLog(result.auditLog());

    Analysis analysis = analyze(result, result.callers());

    assertThat(analysis.exit()).as(analysis.err()).isZero();
    assertThat(analysis.verdicts()).isEqualTo(audit);
    assertThat(analysis.lines()).hasSize(CALLS);
    assertThat(analysis.err())
        .contains(
            CALLS
                + " INVITEs analysed (0 retransmissions, 0 answered before inspection), 0 INVITEs"
                + " forwarded by SipSentry and not judged, 0 incomplete IP datagrams, 0 problems");
    // The lab's calls differ in every compared field: the comparison can fail.
    assertThat(audit.values())
        .anyMatch(
            v ->
                v.startsWith("allow [stir-attestation-a] carrier ")
                    && v.endsWith(" TN-Validation-Passed - -"))
        .anyMatch(v -> v.startsWith("label [from-pai-mismatch, stir-attestation-a] carrier "))
        .anyMatch(v -> v.startsWith("block [passport-replay, stir-attestation-a] carrier "))
        .anyMatch(v -> v.startsWith("block [domestic-cli-from-abroad, protected-number,"))
        .anyMatch(
            v -> v.startsWith("block [stir-failed] carrier ") && v.endsWith(" stale-date 403"))
        .anyMatch(
            v -> v.startsWith("block [stir-failed] carrier ") && v.endsWith(" no-identity 428"))
        .anyMatch(
            v -> v.startsWith("block [anonymous-caller] default ") && v.endsWith(" null - 433"))
        .anyMatch(v -> v.startsWith("block [rate-exceeded] default ") && v.endsWith(" 608"));
  }

  @Test
  void analyzeOfBothLegs_skipsTheInvitesSipSentryForwarded_andGivesTheSameVerdicts()
      throws Exception {
    Capture result = capture();
    Map<String, String> audit = verdictsOfAuditLog(result.auditLog());
    long forwarded = audit.values().stream().filter(v -> !v.startsWith("block ")).count();

    Analysis analysis = analyze(result, result.pcap());

    assertThat(analysis.exit()).as(analysis.err()).isZero();
    assertThat(analysis.verdicts()).isEqualTo(audit);
    assertThat(analysis.lines()).hasSize(CALLS);
    // Every call let through went on to the UAS: that INVITE was seen and not judged.
    assertThat(forwarded).isPositive();
    assertThat(analysis.err())
        .contains(
            CALLS
                + " INVITEs analysed (0 retransmissions, 0 answered before inspection), "
                + forwarded
                + " INVITEs forwarded by SipSentry and not judged, 0 incomplete IP datagrams, 0"
                + " problems");
  }

  /** What {@code bin/sipsentry analyze --json} printed: one object per INVITE, and stderr. */
  private record Analysis(int exit, List<JsonNode> lines, String err) {

    /** Call-ID → the fields {@link #verdictsOfAuditLog} gives, from analyze's names. */
    Map<String, String> verdicts() {
      Map<String, String> verdicts = new TreeMap<>();
      for (JsonNode line : lines) {
        verdicts.put(
            line.get("call-id").asText(),
            verdict(
                line.get("action"),
                line.get("reasons"),
                line.get("trunk"),
                line.get("source"),
                line.get("verstat"),
                line.get("stir-failure"),
                line.get("code")));
      }
      return verdicts;
    }
  }

  /**
   * Call-ID → "action [reasons] trunk source verstat stir-failure code" of each audit line ({@code
   * null} verstat: the trunk does not verify; {@code -}: no such field).
   */
  private static Map<String, String> verdictsOfAuditLog(Path auditLog) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> verdicts = new TreeMap<>();
    for (String text : Files.readAllLines(auditLog, StandardCharsets.UTF_8)) {
      JsonNode line = json.readTree(text);
      String callId = line.get("call-id").asText();
      assertThat(verdicts).as("one audit line per call").doesNotContainKey(callId);
      JsonNode stir = line.get("stir");
      verdicts.put(
          callId,
          verdict(
              line.at("/verdict/action"),
              line.at("/verdict/reasons"),
              line.get("trunk"),
              line.get("source"),
              stir == null ? NullNode.getInstance() : stir.get("verstat"),
              stir == null ? null : stir.get("failure"),
              line.at("/verdict/code")));
    }
    return verdicts;
  }

  private static String verdict(
      JsonNode action,
      JsonNode reasons,
      JsonNode trunk,
      JsonNode source,
      JsonNode verstat,
      JsonNode stirFailure,
      JsonNode code) {
    List<String> reasonList = new ArrayList<>();
    reasons.forEach(reason -> reasonList.add(reason.asText()));
    return action.asText()
        + " "
        + reasonList
        + " "
        + trunk.asText()
        + " "
        + source.asText()
        + " "
        + verstat.asText()
        + " "
        + (stirFailure == null || stirFailure.isMissingNode() ? "-" : stirFailure.asText())
        + " "
        + (code == null || code.isMissingNode() ? "-" : code.asText());
  }

  /**
   * Runs {@code bin/sipsentry analyze --json --config <lab config> --cert <lab folder> <capture>}
   * (the distribution run-lab.sh has just used); every line it prints must be a JSON object.
   */
  private static Analysis analyze(Capture lab, Path capture) throws Exception {
    String name = capture.getFileName().toString();
    Path out = WORK.resolve(name + ".analyze.jsonl");
    Path err = WORK.resolve(name + ".analyze.err");
    Process analyze =
        new ProcessBuilder(
                REPO.resolve("bin/sipsentry").toString(),
                "analyze",
                "--json",
                "--config",
                lab.config().toString(),
                "--cert",
                lab.config().getParent().toString(),
                capture.toString())
            .directory(REPO.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean finished = analyze.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      analyze.destroyForcibly().waitFor();
    }
    assertThat(finished).as("analyze finished in time: %s", Files.readString(err)).isTrue();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(json.readTree(line));
    }
    return new Analysis(analyze.exitValue(), lines, Files.readString(err));
  }

  /**
   * Runs {@code run-lab.sh --capture} once (later calls return the same run) and asserts that it
   * passed; returns what it left, for a test that analyses the capture and compares its verdicts
   * with the audit log's: {@code bin/sipsentry analyze <callers> --config <config> --cert <the
   * config's folder> --json}.
   */
  static synchronized Capture capture() throws Exception {
    if (capture == null) {
      Path pcap = Files.createDirectories(WORK).resolve("lab.pcapng");
      Run run = runLab("capture", "--capture", pcap.toString());
      assertThat(run.exit()).as(run.output()).isZero();
      assertEveryScenarioPasses(run.output());
      Path callers = WORK.resolve("lab.callers.pcapng");
      Path auditLog = WORK.resolve("lab.audit.jsonl");
      Path config = WORK.resolve("lab.lab/lab.yaml");
      assertThat(run.output())
          .contains("run-lab: capture   " + pcap)
          .contains("run-lab: callers   " + callers)
          .contains("run-lab: audit log " + auditLog)
          .contains("run-lab: config    " + config);
      capture = new Capture(pcap, callers, auditLog, config, run.output());
    }
    return capture;
  }

  /**
   * Runs run-lab.sh with {@code --keep target/lab/<name>} (emptied first) and {@code arguments};
   * its output goes to {@code target/lab/<name>.out}.
   */
  private static Run runLab(String name, String... arguments) throws Exception {
    Path keep = WORK.resolve(name);
    if (Files.exists(keep)) {
      try (Stream<Path> files = Files.walk(keep)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(WORK);
    Path output = WORK.resolve(name + ".out");
    List<String> command = new ArrayList<>();
    command.add(REPO.resolve("examples/lab/run-lab.sh").toString());
    command.add("--keep");
    command.add(keep.toString());
    command.addAll(List.of(arguments));
    Process lab =
        new ProcessBuilder(command)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = lab.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      lab.destroy();
      if (!lab.waitFor(10, TimeUnit.SECONDS)) {
        lab.destroyForcibly().waitFor();
      }
    }
    String text = Files.readString(output);
    assertThat(finished).as("run-lab.sh finished in time:\n%s", text).isTrue();
    return new Run(lab.exitValue(), text);
  }

  private static void assertEveryScenarioPasses(String output) {
    List<String> scenarios = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        scenarios.add(row.group(1));
        assertThat(row.group(4)).as("%s\n%s", line, output).isEqualTo("PASS");
        assertThat(row.group(3)).as(line).isEqualTo(row.group(2));
      }
    }
    assertThat(scenarios).as(output).containsExactlyElementsOf(SCENARIOS);
    assertThat(output).contains("run-lab: 8 scenarios, 8 PASS, 0 FAIL");
  }

  /** The SIP messages of {@code pcap}, read with tshark. */
  private static List<Message> messages(Path pcap) throws IOException, InterruptedException {
    Path out = pcap.resolveSibling(pcap.getFileName() + ".txt");
    Process tshark =
        new ProcessBuilder(
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "sip",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "udp.srcport",
                "-e",
                "udp.dstport",
                "-e",
                "sip.Method",
                "-e",
                "sip.Call-ID")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(out.toFile())
            .start();
    assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tshark.exitValue()).as("tshark -r %s", pcap).isZero();
    List<Message> messages = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      String[] fields = line.split("\\|", -1);
      messages.add(
          new Message(
              Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), fields[2], fields[3]));
    }
    return messages;
  }

  /** The Call-IDs of the INVITEs among {@code messages} that pass {@code filter}. */
  private static Set<String> invitesOf(List<Message> messages, Predicate<Message> filter) {
    Set<String> callIds = new TreeSet<>();
    for (Message message : messages) {
      if (message.method().equals("INVITE") && filter.test(message)) {
        callIds.add(message.callId());
      }
    }
    return callIds;
  }

  private static int port(String config, String regexp) {
    Matcher matcher = Pattern.compile(regexp).matcher(config);
    assertThat(matcher.find()).as("%s in %s", regexp, config).isTrue();
    return Integer.parseInt(matcher.group(1));
  }
}
