package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.analyze.TestCaptures;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * {@code sipsentry analyze} on a trunk that verifies STIR/SHAKEN: a capture of one INVITE signed at
 * {@link TestPki#NOW} and captured two seconds later, its certificate served by {@code --cert DIR}.
 * Verified as at the capture time it passes; as at a later {@code --now} it is stale. Without
 * {@code --cert} the x5u is fetched, as the proxy fetches it.
 */
class AnalyzeStirTest {

  private static final String X5U = "https://cert.example.net/sti/sp.pem";
  private static final Instant CAPTURED = TestPki.NOW.plusSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path anchors;
  private Path config;
  private Path capture;
  private Path certs;

  @BeforeEach
  void setUp() throws Exception {
    anchors = Files.createDirectories(dir.resolve("sti-ca"));
    TestPki.writePem(anchors.resolve("root.pem"), TestPki.pem(TestPki.root().certificate()));
    certs = Files.createDirectories(dir.resolve("certs"));
    TestPki.writePem(certs.resolve("sp.pem"), new String(chain(), StandardCharsets.US_ASCII));
    config = writeConfig("");
    capture = writeCapture(X5U);
  }

  private static byte[] chain() {
    return TestPki.pemBytes(
        TestPki.endEntity().certificate(), TestPki.intermediate().certificate());
  }

  /** The config: 192.0.2.1 is a trusted carrier whose calls are verified. */
  private Path writeConfig(String fetch) throws Exception {
    Path file = dir.resolve("stir.yaml");
    Files.writeString(
        file,
        "listen:\n"
            + "  udp: 127.0.0.1:5060\n"
            + "next-hop:\n"
            + "  address: 127.0.0.1:5080\n"
            + "home-country: CH\n"
            + "trunks:\n"
            + "  - name: carrier\n"
            + "    sources: [192.0.2.1/32]\n"
            + "    trusted: true\n"
            + "    stir:\n"
            + "      mode: verify\n"
            + "stir:\n"
            + "  trust-anchors: "
            + anchors
            + "\n"
            + "  policy:\n"
            + "    max-age: 60s\n"
            + fetch
            + "audit-log: /dev/null\n");
    return file;
  }

  /** One INVITE signed at {@link TestPki#NOW} with {@code x5u}, captured 2 s later. */
  private Path writeCapture(String x5u) throws Exception {
    PassportSigner signer =
        new PassportSigner(TestPki.endEntity().privateKey(), x5u, Es256.shared());
    String passport =
        signer.passport(
            Attestation.A,
            CanonicalTn.parse("+41446681800").orElseThrow(),
            List.of(CanonicalTn.parse("+41446681801").orElseThrow()),
            TestPki.NOW,
            "de305d54-75b4-431b-adb2-eb6b9e546014");
    String invite =
        "INVITE sip:+41446681801@198.51.100.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-stir-1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:+41446681800@192.0.2.1;user=phone>;tag=f1\r\n"
            + "To: <sip:+41446681801@198.51.100.1;user=phone>\r\n"
            + "P-Asserted-Identity: <sip:+41446681800@192.0.2.1;user=phone>\r\n"
            + "Call-ID: stir-1@192.0.2.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Identity: "
            + passport
            + ";info=<"
            + x5u
            + ">;alg=ES256;ppt=shaken\r\n"
            + "Content-Length: 0\r\n\r\n";
    Path file = dir.resolve("signed.pcap");
    Files.write(
        file,
        TestCaptures.pcap(
            List.of(
                new TestCaptures.Datagram(
                    CAPTURED,
                    new InetSocketAddress("192.0.2.1", 5060),
                    new InetSocketAddress("198.51.100.1", 5060),
                    invite.getBytes(StandardCharsets.US_ASCII)))));
    return file;
  }

  @Test
  void analyze_withoutCert_fetchesTheX5uAsTheProxyWould() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    server.createContext(
        "/sti/sp.pem",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = chain();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
          }
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      config =
          writeConfig(
              "  fetch:\n"
                  + "    allow-http: true\n"
                  + "    allowed-ports: ["
                  + port
                  + "]\n"
                  + "    allow-addresses: [loopback]\n");
      capture = writeCapture("http://127.0.0.1:" + port + "/sti/sp.pem");

      JsonNode call = analyzeOne();

      assertThat(call.get("verstat").asText()).isEqualTo("TN-Validation-Passed");
      assertThat(requests.get()).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void analyze_signedCallAtCaptureTime_passesWithCertificateFromDirectory() throws Exception {
    JsonNode call = analyzeOne("--cert", certs.toString());

    assertThat(call.get("trunk").asText()).isEqualTo("carrier");
    assertThat(call.get("verstat").asText()).isEqualTo("TN-Validation-Passed");
    assertThat(call.has("stir-failure")).isFalse();
    assertThat(call.get("time").asText()).isEqualTo(CAPTURED.toString());
  }

  @Test
  void analyze_signedCallAtLaterNow_isStale() throws Exception {
    String later = TestPki.NOW.plus(Duration.ofHours(1)).toString();

    JsonNode call = analyzeOne("--cert", certs.toString(), "--now", later);

    assertThat(call.get("verstat").asText()).isEqualTo("TN-Validation-Failed");
    assertThat(call.get("stir-failure").asText()).isEqualTo("stale-date");
    assertThat(call.get("reasons").toString()).contains("stir-failed");
  }

  @Test
  void analyze_certificateFileMissing_failsVerification() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    JsonNode call = analyzeOne("--cert", empty.toString());

    assertThat(call.get("verstat").asText()).isNotEqualTo("TN-Validation-Passed");
    assertThat(call.get("stir-failure").asText()).isEqualTo("certificate-unavailable");
  }

  private JsonNode analyzeOne(String... options) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("analyze", "--config", config.toString(), "--json"));
    args.addAll(List.of(options));
    args.add(capture.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as(err.toString()).hasSize(1);
    return JSON.readTree(lines.get(0));
  }
}
