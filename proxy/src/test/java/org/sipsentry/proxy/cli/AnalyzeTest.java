package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipsentry.proxy.analyze.TestCaptures;

/**
 * {@code sipsentry analyze} on real captures (src/test/resources/analyze/captures, provenance in
 * its README.md). Each capture's whole output, table and JSON, is kept in a golden file under
 * analyze/golden; run with {@code -Dgolden.update=true} to rewrite them from the current output,
 * then review the diff. The other tests pin the facts the golden files must show.
 */
class AnalyzeTest {

  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final Path RESOURCES = Path.of("src/test/resources/analyze");
  private static final Path CONFIG = RESOURCES.resolve("analyze.yaml");
  private static final Path CAPTURES = RESOURCES.resolve("captures");
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sipp.pcap",
        "sipp_sll.pcap",
        "sipp-nsec.pcap",
        "sipp-truncated.pcap",
        "sipp-corrupt.pcap",
        "fragmented_tcp_sip.pcap",
        "fragmented_udp_sip.pcap",
        "wireshark.pcap",
        "invalid-content-length.pcap",
        "cool.pcap",
        "ipv6-udp.pcapng",
        "sll-ipv6.pcapng",
        "tcp-ipv4.pcapng",
        "tcp-ipv4-truncated.pcapng",
        "tcp-ipv4-corrupt.pcapng"
      })
  void analyze_capture_printsWhatItsGoldenFileSays(String capture) throws IOException {
    Result table = analyze(CAPTURES.resolve(capture).toString());
    Result json = analyze("--json", CAPTURES.resolve(capture).toString());
    String actual =
        "exit "
            + table.code
            + "\n--- table (stdout)\n"
            + table.out
            + "--- stderr\n"
            + table.err
            + "--- json (stdout)\n"
            + json.out;
    Path golden = RESOURCES.resolve("golden").resolve(capture + ".txt");
    if (UPDATE) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual);
    }
    assertThat(golden).as("golden file (write it with -Dgolden.update=true)").exists();
    assertThat(actual)
        .as("output for %s (rewrite with -Dgolden.update=true)", capture)
        .isEqualTo(Files.readString(golden));
    assertThat(json.code).isEqualTo(table.code);
    assertThat(json.err).isEqualTo(table.err);
  }

  @Test
  void analyze_sippCalls_fiveInvitesAllowedAndExit0() {
    Result result = analyze("--json", capture("sipp.pcap"));

    assertThat(result.code).isZero();
    assertThat(result.lines()).hasSize(5);
    assertThat(result.lines())
        .allSatisfy(
            line -> {
              assertThat(line.get("action").asText()).isEqualTo("allow");
              assertThat(line.get("source").asText()).isEqualTo("udp:127.0.0.1:5060");
            });
    assertThat(result.err)
        .isEqualTo(
            "sipsentry analyze: 30 packets, 30 SIP messages, 5 INVITEs analysed (0"
                + " retransmissions, 0 answered before inspection), 0 INVITEs forwarded by"
                + " SipSentry and not judged, 0 incomplete IP datagrams, 0 problems\n");
  }

  @Test
  void analyze_sameCallsAsLinuxCookedAndNanosecondPcap_sameVerdicts() {
    List<String> ethernet = analyze("--json", capture("sipp.pcap")).out.lines().toList();

    assertThat(analyze("--json", capture("sipp_sll.pcap")).out.lines()).isEqualTo(ethernet);
    assertThat(analyze("--json", capture("sipp-nsec.pcap")).out.lines()).isEqualTo(ethernet);
  }

  @Test
  void analyze_sameAddressOverUdpAndTcp_matchesTrunkByTransport() {
    // analyze.yaml trusts 127.0.0.1 and ::1 over TCP only.
    JsonNode udp = analyze("--json", capture("ipv6-udp.pcapng")).lines().get(0);
    JsonNode tcp = analyze("--json", capture("tcp-ipv4.pcapng")).lines().get(0);

    assertThat(udp.get("source").asText()).isEqualTo("udp:0:0:0:0:0:0:0:1:5060");
    assertThat(udp.get("trunk").asText()).isEqualTo("default");
    assertThat(udp.get("reasons").toString()).contains("untrusted-pai");
    assertThat(tcp.get("source").asText()).startsWith("tcp:127.0.0.1:");
    assertThat(tcp.get("trunk").asText()).isEqualTo("carrier-tcp");
    assertThat(tcp.get("reasons").toString()).isEqualTo("[\"from-pai-mismatch\"]");
  }

  @Test
  void analyze_ipv6OverLinuxCooked_decodesTheInvite() {
    Result result = analyze("--json", capture("sll-ipv6.pcapng"));

    assertThat(result.code).isZero();
    assertThat(result.lines()).singleElement();
    assertThat(result.lines().get(0).get("pai").get(0).asText())
        .isEqualTo("sip:+41791234567@[::1];user=phone");
  }

  @Test
  void analyze_inviteOverThreeTcpSegments_isReassembled() {
    Result result = analyze("--json", capture("fragmented_tcp_sip.pcap"));

    assertThat(result.code).isZero();
    assertThat(result.lines()).singleElement();
    assertThat(result.lines().get(0).get("packet").asLong()).isEqualTo(8);
    assertThat(result.lines().get(0).get("source").asText()).startsWith("tcp:10.192.243.79:");
  }

  @Test
  void analyze_retransmittedInvites_analysedOnce() {
    Result result = analyze("--json", capture("wireshark.pcap"));

    // 11 INVITEs on the wire: 7 transactions (some after a 407), 4 retransmissions.
    assertThat(result.lines()).hasSize(7);
    assertThat(result.err).contains("7 INVITEs analysed (4 retransmissions,");
  }

  @Test
  void analyze_inviteFragmentsMissing_countedAsIncompleteDatagram() {
    Result result = analyze(capture("fragmented_udp_sip.pcap"));

    assertThat(result.code).isZero();
    assertThat(result.err).contains("5 SIP messages, 0 INVITEs analysed").contains("1 incomplete");
  }

  @Test
  void analyze_invitesTheProxyAnswersItself_countedNotJudged(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("refused.pcap");
    Files.write(
        file,
        TestCaptures.pcap(
            List.of(
                datagram("Max-Forwards: 0\r\n", "1"),
                datagram("Max-Forwards: 70\r\nProxy-Require: foo\r\n", "2"),
                datagram("Max-Forwards: 70\r\n", "3"))));

    Result result = analyze("--json", file.toString());

    assertThat(result.code).isZero();
    assertThat(result.lines()).singleElement();
    assertThat(result.lines().get(0).get("call-id").asText()).isEqualTo("c3");
    assertThat(result.err).contains("1 INVITEs analysed (0 retransmissions, 2 answered before");
  }

  @Test
  void analyze_invitesSipSentryForwarded_countedOnceNotJudged(@TempDir Path dir)
      throws IOException {
    // analyze.yaml listens on 127.0.0.1:5060; the proxy's Vias carry the branch prefix z9hG4bK-sS-.
    String caller = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-c";
    String ours = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sS-0a1b2c";
    Path file = dir.resolve("forwarded.pcap");
    Files.write(
        file,
        TestCaptures.pcap(
            List.of(
                // Call 1 arrives, then leaves SipSentry for the next hop (twice: a retransmission).
                withVias(caller + "1\r\nMax-Forwards: 70\r\n", "1"),
                withVias(ours + "1\r\n" + caller + "1;received=192.0.2.1\r\n", "1"),
                withVias(ours + "1\r\n" + caller + "1;received=192.0.2.1\r\n", "1"),
                // Our prefix, but another sent-by: another SipSentry upstream, a call to judge.
                withVias(
                    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-sS-2\r\n" + caller + "2\r\n",
                    "2"),
                // The sent-by, but not our prefix: judged too.
                withVias("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-3\r\n", "3"),
                // Our Via below another one: the INVITE came back, the proxy answers 482.
                withVias(
                    "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-4\r\n" + ours + "4\r\n", "4"))));

    Result result = analyze("--json", file.toString());

    assertThat(result.code).isZero();
    assertThat(result.lines())
        .extracting(line -> line.get("call-id").asText())
        .containsExactly("c1", "c2", "c3");
    assertThat(result.err)
        .contains(
            "3 INVITEs analysed (0 retransmissions, 1 answered before inspection), 1 INVITEs"
                + " forwarded by SipSentry and not judged,");
  }

  @Test
  void analyze_forwardedOverTcpListenAddress_recognisedToo(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("tcp.yaml");
    Files.writeString(
        config,
        Files.readString(CONFIG)
            .replace("  udp: 127.0.0.1:5060\n", "  udp: 127.0.0.1:5060\n  tcp: '[::1]:5061'\n"));
    Path file = dir.resolve("forwarded-tcp.pcap");
    Files.write(
        file,
        TestCaptures.pcap(
            List.of(
                withVias(
                    "Via: SIP/2.0/TCP [::1]:5061;branch=z9hG4bK-sS-9;i=4\r\n"
                        + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-x\r\n",
                    "1"))));

    Result result = analyze("--json", "--config", config.toString(), file.toString());

    assertThat(result.code).as(result.err).isZero();
    assertThat(result.lines()).isEmpty();
    assertThat(result.err).contains("0 INVITEs analysed").contains("1 INVITEs forwarded");
  }

  /** An INVITE from 192.0.2.1 with {@code vias} (each line ending in CRLF) as its only Vias. */
  private static TestCaptures.Datagram withVias(String vias, String n) {
    return invite(vias, n);
  }

  private static TestCaptures.Datagram datagram(String headers, String n) {
    return invite("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-" + n + "\r\n" + headers, n);
  }

  private static TestCaptures.Datagram invite(String viasAndHeaders, String n) {
    String invite =
        "INVITE sip:+41446681801@198.51.100.1 SIP/2.0\r\n"
            + viasAndHeaders
            + "From: <sip:+41446681800@192.0.2.1;user=phone>;tag=f"
            + n
            + "\r\n"
            + "To: <sip:+41446681801@198.51.100.1;user=phone>\r\n"
            + "Call-ID: c"
            + n
            + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";
    return new TestCaptures.Datagram(
        Instant.parse("2026-03-01T12:00:00Z"),
        new InetSocketAddress("192.0.2.1", 5060),
        new InetSocketAddress("198.51.100.1", 5060),
        invite.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void analyze_truncatedPcap_reportsPacketAndAnalysesWhatCameBefore() {
    Result result = analyze("--json", capture("sipp-truncated.pcap"));

    assertThat(result.code).isEqualTo(Analyze.EXIT_PROBLEMS);
    assertThat(result.lines()).hasSize(2);
    assertThat(result.err)
        .contains("sipp-truncated.pcap: packet 11: truncated record, rest of file skipped")
        .contains("1 problem\n");
  }

  @Test
  void analyze_truncatedPcapng_reportsPacketAndAnalysesWhatCameBefore() {
    Result result = analyze("--json", capture("tcp-ipv4-truncated.pcapng"));

    assertThat(result.code).isEqualTo(Analyze.EXIT_PROBLEMS);
    assertThat(result.lines()).hasSize(1);
    assertThat(result.err)
        .contains("packet 10: truncated: block of 480 bytes has only 368 in the file");
  }

  @Test
  void analyze_corruptPackets_reportedByNumberAndTheRestAnalysed() {
    // Packet 5 has an IP header of version 0, packet 17 an INVITE with a bad Content-Length.
    Result result = analyze("--json", capture("sipp-corrupt.pcap"));

    assertThat(result.code).isEqualTo(Analyze.EXIT_PROBLEMS);
    assertThat(result.lines().stream().map(line -> line.get("call-id").asText()))
        .containsExactly("1-16732@127.0.1.1", "3-16732@127.0.1.1", "5-16732@127.0.1.1");
    assertThat(result.err.lines().filter(line -> line.contains(": packet ")))
        .containsExactly(
            capture("sipp-corrupt.pcap")
                + ": packet 5: undecodable packet: IP header of version 0 in an IPv4 frame",
            capture("sipp-corrupt.pcap")
                + ": packet 17: INVITE not parsed (BAD_CONTENT_LENGTH: Content-Length is not a"
                + " number: x 129); the proxy would answer 400");
  }

  @Test
  void analyze_corruptPcapngBlock_reportedAndReadingGoesOn() {
    Result result = analyze("--json", capture("tcp-ipv4-corrupt.pcapng"));

    assertThat(result.code).isEqualTo(Analyze.EXIT_PROBLEMS);
    assertThat(result.lines()).hasSize(2);
    assertThat(result.err).contains("packet 3: corrupt block: trailing length differs");
  }

  @Test
  void analyze_unreadableRecordHeader_reportedAsPacket1() {
    Result result = analyze(capture("cool.pcap"));

    assertThat(result.code).isEqualTo(Analyze.EXIT_PROBLEMS);
    assertThat(result.err).contains("cool.pcap: packet 1: unreadable record, rest of file skipped");
  }

  @Test
  void analyze_notACapture_exits2() {
    Result result = analyze(CONFIG.toString());

    assertThat(result.code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(result.err).startsWith(CONFIG + ": not a pcap or pcapng file (starts with 2320");
  }

  @Test
  void analyze_badNow_exits2NamingTheOption() {
    Result result = analyze("--now", "yesterday", capture("sipp.pcap"));

    assertThat(result.code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(result.err).contains("--now \"yesterday\" is not an ISO instant");
  }

  @Test
  void analyze_badConfig_exits2WithTheConfigError() {
    Result result =
        analyze(
            "--config",
            "src/test/resources/config/three-mistakes.yaml",
            "--json",
            capture("sipp.pcap"));

    assertThat(result.code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(result.err).contains("three-mistakes.yaml line 6");
    assertThat(result.out).isEmpty();
  }

  private static String capture(String name) {
    return CAPTURES.resolve(name).toString();
  }

  /** Runs {@code analyze --config analyze.yaml ARGS} (or with the {@code --config} given). */
  private static Result analyze(String... args) {
    List<String> command = new ArrayList<>(List.of("analyze"));
    if (!List.of(args).contains("--config")) {
      command.add("--config");
      command.add(CONFIG.toString());
    }
    command.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(command.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), withoutLogLines(err.toString()));
  }

  /** Log lines (timestamp first) depend on the run; the command's own lines do not. */
  private static String withoutLogLines(String err) {
    return err.lines()
        .filter(line -> !line.matches("^\\d{4}-\\d\\d-\\d\\dT.*"))
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }

  private record Result(int code, String out, String err) {
    List<JsonNode> lines() {
      return out.lines()
          .map(
              line -> {
                try {
                  return JSON.readTree(line);
                } catch (IOException e) {
                  throw new AssertionError("not JSON: " + line, e);
                }
              })
          .toList();
    }
  }
}
