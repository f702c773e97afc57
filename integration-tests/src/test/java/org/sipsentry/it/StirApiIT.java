package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.Attestation;

/**
 * The STIR REST API gives the SIP path's verdict: the same Identity headers go through the real
 * proxy in SIPp INVITEs (config {@code stir-api-lab.yaml}: a verify trunk that forwards failures,
 * so that the audit log has every verdict) and to {@code POST /stir/v1/verification} over HTTP on
 * the admin port; verstat and code must agree, and be the expected ones. A header that {@code POST
 * /stir/v1/signing} made passes on the SIP path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StirApiIT {

  private static final String CARRIER = "127.0.0.3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Path dir;
  private StirLab lab;
  private LabPki pki;
  private LabProxy proxy;
  private URI admin;

  /** One Identity header sent by one caller, and the verdict both paths must give it. */
  private record Case(String name, String caller, String identity, String verstat, int code) {}

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    int adminPort = Ports.free();
    lab = StirLab.signing("StirApiIT", dir, adminPort);
    pki = lab.pki;
    proxy = lab.proxy;
    admin = URI.create("http://127.0.0.1:" + adminPort);
  }

  @AfterAll
  void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void restVerification_givesTheSipPathsVerdict_forTheSameIdentityHeaders() throws Exception {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "good",
            "41446681911",
            lab.sign("41446681911", Instant.now()),
            "TN-Validation-Passed",
            0));
    cases.add(
        new Case(
            "tampered signature",
            "41446681912",
            StirCalls.tamper(lab.sign("41446681912", Instant.now())),
            "TN-Validation-Failed",
            438));
    cases.add(
        new Case(
            "stale iat",
            "41446681913",
            lab.sign("41446681913", Instant.now().minusSeconds(300)),
            "TN-Validation-Failed",
            403));
    cases.add(
        new Case(
            "wrong tn (signed for another caller)",
            "41446681914",
            lab.sign("41446681999", Instant.now()),
            "TN-Validation-Failed",
            438));
    cases.add(
        new Case(
            "bad x5u (a port the fetch policy refuses)",
            "41446681915",
            pki.identity(
                Attestation.A,
                "http://127.0.0.1:1/sp.pem",
                "41446681915",
                StirCalls.CALLEE,
                UUID.randomUUID().toString()),
            "TN-Validation-Failed",
            436));

    Map<String, JsonNode> sip = sipVerdicts(cases);

    for (Case c : cases) {
      JsonNode rest = restVerdict(c.caller(), c.identity());
      JsonNode audit = sip.get(c.caller()).get("stir");
      assertThat(rest.get("verstat").asText()).as(c.name()).isEqualTo(c.verstat());
      assertThat(audit.get("verstat").asText()).as(c.name()).isEqualTo(c.verstat());
      if (c.code() == 0) {
        assertThat(rest.has("reasoncode")).as(c.name()).isFalse();
        assertThat(audit.has("code")).as(c.name()).isFalse();
      } else {
        assertThat(rest.get("reasoncode").asInt()).as(c.name()).isEqualTo(c.code());
        assertThat(audit.get("code").asInt()).as(c.name()).isEqualTo(c.code());
        assertThat(rest.get("reasontext").asText()).as(c.name()).isNotEmpty();
      }
    }
  }

  @Test
  void restSigning_makesAHeaderTheSipPathPasses() throws Exception {
    String caller = "41446681921";
    ObjectNode request = JSON.createObjectNode();
    ObjectNode signing = request.putObject("signingRequest");
    signing.put("attest", "A");
    signing.putObject("orig").put("tn", caller);
    signing.putObject("dest").putArray("tn").add(StirCalls.CALLEE);
    signing.put("iat", Instant.now().getEpochSecond());
    signing.put("origid", UUID.randomUUID().toString());

    HttpResponse<String> response = post("/stir/v1/signing", request.toString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String identity =
        JSON.readTree(response.body()).get("signingResponse").get("identity").asText();
    Map<String, JsonNode> sip =
        sipVerdicts(List.of(new Case("rest-signed", caller, identity, "TN-Validation-Passed", 0)));
    assertThat(sip.get(caller).get("stir").get("verstat").asText())
        .isEqualTo("TN-Validation-Passed");
    assertThat(restVerdict(caller, identity).get("verstat").asText())
        .isEqualTo("TN-Validation-Passed");
  }

  @Test
  void restVerification_malformedJson_is400WithAJsonError() throws Exception {
    HttpResponse<String> response = post("/stir/v1/verification", "{\"verificationRequest\":[");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(
            JSON.readTree(response.body())
                .get("requestError")
                .get("serviceException")
                .get("messageId")
                .asText())
        .isEqualTo("SVC4000");
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * Sends one SIPp call per case through the proxy on the verify trunk and returns each caller's
   * audit line.
   */
  private Map<String, JsonNode> sipVerdicts(List<Case> cases) throws Exception {
    long before = proxy.counter("audit.written");
    Map<String, String> identities = new LinkedHashMap<>();
    cases.forEach(c -> identities.put(c.caller(), c.identity()));
    Path csv =
        StirCalls.csv(
            dir, "calls-" + before, new ArrayList<>(identities.keySet()), identities::get);
    try (Sipp uas = proxy.uas("u1", "-sn", "uas", "-m", String.valueOf(cases.size()));
        Sipp uac =
            proxy.uac(
                CARRIER,
                "u1",
                "-sf",
                StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE).toString(),
                "-inf",
                csv.toString(),
                "-m",
                String.valueOf(cases.size()),
                "-r",
                "10")) {
      assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
    Map<String, JsonNode> byCaller = new HashMap<>();
    for (JsonNode line : proxy.auditRecords((int) before + cases.size())) {
      String from = line.get("from").asText();
      String caller = from.substring(from.indexOf('+') + 1, from.indexOf('@'));
      if (identities.containsKey(caller)) {
        byCaller.put(caller, line);
      }
    }
    assertThat(byCaller.keySet()).isEqualTo(identities.keySet());
    return byCaller;
  }

  /** The REST answer for the call: from the caller, to the callee, no Date (as the INVITE). */
  private JsonNode restVerdict(String caller, String identity) throws Exception {
    ObjectNode request = JSON.createObjectNode();
    ObjectNode verification = request.putObject("verificationRequest");
    verification.putObject("from").put("tn", "+" + caller);
    verification.putObject("to").putArray("tn").add("+" + StirCalls.CALLEE);
    verification.put("identity", identity);
    HttpResponse<String> response = post("/stir/v1/verification", request.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("verificationResponse");
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(admin.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
