package org.sipsentry.proxy.stirapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.admin.AdminServer;
import org.sipsentry.proxy.admin.Router;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.ManCases;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * The STIR REST API routes served by a real {@link AdminServer}, over HTTP on loopback, with the
 * verifier and test PKI of the MAN cases (certificates from memory, clock at the case's instant).
 */
class StirRestApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReference<StirServices> services = new AtomicReference<>(StirServices.NONE);
  private final AtomicReference<Instant> now = new AtomicReference<>(ManCases.AT);
  private AdminServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    Router router =
        Router.builder()
            .post("/stir/v1/verification", new VerificationRoute(services::get, clock))
            .post("/stir/v1/signing", new SigningRoute(services::get))
            .build();
    server = AdminServer.start(new HostPort("127.0.0.1", freeTcpPort()), router);
    base = URI.create("http://127.0.0.1:" + server.address().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** MAN cases with one Identity header and no out-of-band attest/origid: what the API carries. */
  static Stream<ManCases.Case> restCases() {
    return ManCases.all().stream()
        .filter(c -> c.identityHeaders().size() == 1)
        .filter(c -> c.attestationIndicator().isEmpty() && c.originationId().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("restCases")
  void verification_manCase_answersTheVerifiersVerstatAndCode(ManCases.Case c) throws Exception {
    useVerifierOf(c);
    ObjectNode request = verificationRequest(c.caller(), c.callee(), c.identityHeaders().get(0));
    Optional<Instant> date = c.date().flatMap(StirRequest::parseDate);
    date.ifPresent(
        d -> ((ObjectNode) request.get("verificationRequest")).put("time", d.getEpochSecond()));

    HttpResponse<String> response = post("/stir/v1/verification", request.toString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body()).get("verificationResponse");
    if (c.expectsPass()) {
      assertThat(answer.get("verstat").asText()).isEqualTo(StirSummary.PASSED);
      assertThat(answer.has("reasoncode")).as("failure fields only on failure").isFalse();
      assertThat(answer.has("reasontext")).isFalse();
    } else {
      assertThat(answer.get("verstat").asText()).isEqualTo(StirSummary.FAILED);
      assertThat(answer.get("reasoncode").asInt()).isEqualTo(c.expectedCode());
      assertThat(answer.get("reasontext").asText()).isEqualTo(c.expected().get().reason());
    }
  }

  @Test
  void verification_staleTime_returns403StaleDate() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    useVerifierOf(c);
    ObjectNode request = verificationRequest(c.caller(), c.callee(), c.identityHeaders().get(0));
    ((ObjectNode) request.get("verificationRequest")).put("time", c.now().getEpochSecond() - 3600);

    JsonNode answer = verify(request.toString());

    assertThat(answer.get("verstat").asText()).isEqualTo("TN-Validation-Failed");
    assertThat(answer.get("reasoncode").asInt()).isEqualTo(403);
    assertThat(answer.get("reasontext").asText()).isEqualTo("Stale Date");
  }

  @Test
  void verification_certificateSourceDown_answersNoTnValidationWith436() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    services.set(
        new StirServices(
            Optional.of(
                new StirVerifier(
                    StirPolicy.DEFAULT,
                    (x5u, at) ->
                        CompletableFuture.completedFuture(
                            new CertificateValidation.Invalid(
                                StirFailure.CERTIFICATE_UNAVAILABLE, "timed out", true)),
                    Es256.shared())),
            Optional.empty()));

    JsonNode answer =
        verify(verificationRequest(c.caller(), c.callee(), c.identityHeaders().get(0)).toString());

    assertThat(answer.get("verstat").asText()).isEqualTo("No-TN-Validation");
    assertThat(answer.get("reasoncode").asInt()).isEqualTo(436);
  }

  @Test
  void verification_notJson_returns400WithRequestError() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));

    HttpResponse<String> response = post("/stir/v1/verification", "{\"verificationRequest\":");

    assertRefused(response, 400, "SVC4000", "not valid JSON: Unexpected end-of-input");
    assertThat(response.body()).doesNotContain("Source").doesNotContain("java.");
  }

  @Test
  void verification_unknownField_returns400NamingIt() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));
    ObjectNode request = verificationRequest("+41446681800", "+41446681801", "x");
    ((ObjectNode) request.get("verificationRequest")).put("callId", "abc");

    HttpResponse<String> response = post("/stir/v1/verification", request.toString());

    assertRefused(
        response,
        400,
        "SVC4000",
        "unknown field verificationRequest.callId; expected only from, identity, time, to");
  }

  @Test
  void verification_missingIdentity_returns400() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));
    ObjectNode request = verificationRequest("+41446681800", "+41446681801", "x");
    ((ObjectNode) request.get("verificationRequest")).remove("identity");

    assertRefused(
        post("/stir/v1/verification", request.toString()),
        400,
        "SVC4000",
        "verificationRequest.identity is missing");
  }

  @Test
  void verification_tnAsJsonNumber_returns400() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));
    String body =
        "{\"verificationRequest\":{\"from\":{\"tn\":41446681800},\"to\":{\"tn\":[\"41446681801\"]},"
            + "\"identity\":\"x\"}}";

    assertRefused(
        post("/stir/v1/verification", body),
        400,
        "SVC4000",
        "verificationRequest.from.tn has the wrong type; expected a string");
  }

  @Test
  void verification_twoCallees_returns400() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));
    ObjectNode request = verificationRequest("+41446681800", "+41446681801", "x");
    ((ArrayNode) request.get("verificationRequest").get("to").get("tn")).add("41446681802");

    assertRefused(
        post("/stir/v1/verification", request.toString()),
        400,
        "SVC4001",
        "verificationRequest.to.tn holds 2 numbers; expected exactly one");
  }

  @Test
  void verification_bodyOverCap_returns413() throws Exception {
    useVerifierOf(ManCases.byId("man-04"));
    String identity = "a".repeat(AtisJson.MAX_BODY_BYTES);

    assertRefused(
        post(
            "/stir/v1/verification",
            verificationRequest("+41446681800", "+41446681801", identity).toString()),
        413,
        "SVC4130",
        "at most 8192 are accepted");
  }

  @Test
  void verification_withoutStirSection_returns503() throws Exception {
    HttpResponse<String> response =
        post(
            "/stir/v1/verification",
            verificationRequest("+41446681800", "+41446681801", "x").toString());

    assertRefused(response, 503, "SVC5030", "STIR verification is not configured");
  }

  @Test
  void verification_get_isNotAllowed() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(base.resolve("/stir/v1/verification")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void signing_validRequest_returnsAnIdentityTheVerificationRoutePasses() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    useVerifierOf(c);
    useSigner();
    String body =
        "{\"signingRequest\":{\"attest\":\"B\",\"orig\":{\"tn\":\"33612345678\"},"
            + "\"dest\":{\"tn\":[\"33987654321\"]},\"iat\":"
            + ManCases.IAT.getEpochSecond()
            + ",\"origid\":\"123e4567-e89b-12d3-a456-426655440000\"}}";

    HttpResponse<String> signed = post("/stir/v1/signing", body);

    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    String identity = JSON.readTree(signed.body()).get("signingResponse").get("identity").asText();
    assertThat(identity).endsWith(";info=<" + ManCases.X5U + ">;alg=ES256;ppt=shaken");
    JsonNode verified = verify(verificationRequest(c.caller(), c.callee(), identity).toString());
    assertThat(verified.get("verstat").asText()).isEqualTo("TN-Validation-Passed");
    JsonNode wrongCaller =
        verify(verificationRequest(ManCases.OTHER, c.callee(), identity).toString());
    assertThat(wrongCaller.get("verstat").asText()).isEqualTo("TN-Validation-Failed");
    assertThat(wrongCaller.get("reasoncode").asInt()).isEqualTo(438);
  }

  @Test
  void signing_attestD_returns400() throws Exception {
    useSigner();

    assertRefused(
        post("/stir/v1/signing", signingRequest("D", "41446681800", 1_700_000_000L)),
        400,
        "SVC4001",
        "signingRequest.attest \"D\"; expected A, B or C");
  }

  @Test
  void signing_origNotANumber_returns400() throws Exception {
    useSigner();

    assertRefused(
        post("/stir/v1/signing", signingRequest("A", "alice", 1_700_000_000L)),
        400,
        "SVC4001",
        "signingRequest.orig.tn \"alice\" is not a telephone number");
  }

  @Test
  void signing_iatAsFraction_returns400() throws Exception {
    useSigner();
    String body = signingRequest("A", "41446681800", 1L).replace("\"iat\":1", "\"iat\":1.5");

    assertRefused(
        post("/stir/v1/signing", body),
        400,
        "SVC4000",
        "signingRequest.iat has the wrong type; expected an integer");
  }

  @Test
  void signing_withoutKey_returns503() throws Exception {
    assertRefused(
        post("/stir/v1/signing", signingRequest("A", "41446681800", 1_700_000_000L)),
        503,
        "SVC5030",
        "STIR signing is not configured");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void useVerifierOf(ManCases.Case c) {
    now.set(c.now());
    services.set(
        new StirServices(
            Optional.of(new StirVerifier(c.policy(), c.certificateSource(), Es256.shared())),
            services.get().signer()));
  }

  private void useSigner() {
    services.set(
        new StirServices(
            services.get().verifier(),
            Optional.of(
                new PassportSigner(
                    TestPki.endEntity().privateKey(), ManCases.X5U, Es256.shared()))));
  }

  private static ObjectNode verificationRequest(String from, String to, String identity) {
    ObjectNode request = JSON.createObjectNode();
    ObjectNode inner = request.putObject("verificationRequest");
    inner.putObject("from").put("tn", from);
    inner.putObject("to").putArray("tn").add(to);
    inner.put("identity", identity);
    return request;
  }

  private static String signingRequest(String attest, String orig, long iat) {
    return "{\"signingRequest\":{\"attest\":\""
        + attest
        + "\",\"orig\":{\"tn\":\""
        + orig
        + "\"},\"dest\":{\"tn\":[\"41446681801\"]},\"iat\":"
        + iat
        + ",\"origid\":\"o-1\"}}";
  }

  private JsonNode verify(String body) throws Exception {
    HttpResponse<String> response = post("/stir/v1/verification", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("verificationResponse");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(
      HttpResponse<String> response, int status, String messageId, String textPart)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode exception = JSON.readTree(response.body()).get("requestError").get("serviceException");
    assertThat(exception.get("messageId").asText()).isEqualTo(messageId);
    assertThat(exception.get("text").asText()).contains(textPart);
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
