package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.ManCases;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * {@code sipsentry verify} through {@link Main#execute}, with the chain given by {@code --cert}.
 */
class VerifyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  static Stream<ManCases.Case> manCases() {
    return ManCases.man().stream();
  }

  static Stream<ManCases.Case> quirks() {
    return ManCases.quirks().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manCases")
  void verify_manCase_givesExpectedCodeAndExitStatus(ManCases.Case c) throws Exception {
    assertExpectedOutcome(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quirks")
  void verify_carrierQuirk_givesExpectedCodeAndExitStatus(ManCases.Case c) throws Exception {
    assertExpectedOutcome(c);
  }

  @Test
  void verify_validHeader_printsPassWithAttestSpcOrigidAndX5u() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");

    int code = run(args(c));

    assertThat(code).isZero();
    JsonNode report = report();
    assertThat(report.get("verstat").asText()).isEqualTo("TN-Validation-Passed");
    assertThat(report.get("code").asInt()).isEqualTo(200);
    assertThat(report.get("reason").asText()).isEqualTo("OK");
    assertThat(report.get("attest").asText()).isEqualTo("A");
    assertThat(report.get("spc").asText()).isEqualTo(TestPki.SPC);
    assertThat(report.get("origid").asText()).isEqualTo(ManCases.ORIGID);
    assertThat(report.get("x5u").asText()).isEqualTo(ManCases.X5U);
    assertThat(report.get("failure").isNull()).isTrue();
    assertThat(report.get("detail").isNull()).isTrue();
    assertThat(report.get("provider").asText()).isEqualTo(Es256.shared().providerName());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void verify_failure_printsFailedVerstatIdDetailAndX5u() throws Exception {
    ManCases.Case c = ManCases.byId("man-25");

    assertThat(run(args(c))).isEqualTo(Verify.EXIT_FAILED);

    JsonNode report = report();
    assertThat(report.get("verstat").asText()).isEqualTo("TN-Validation-Failed");
    assertThat(report.get("code").asInt()).isEqualTo(438);
    assertThat(report.get("reason").asText()).isEqualTo("Invalid Identity Header");
    assertThat(report.get("failure").asText()).isEqualTo("orig-mismatch");
    assertThat(report.get("detail").asText()).contains("orig.tn");
    assertThat(report.get("x5u").asText()).isEqualTo(ManCases.X5U);
    assertThat(report.get("attest").isNull()).isTrue();
    assertThat(report.get("indeterminate").asBoolean()).isFalse();
  }

  @Test
  void verify_noIdentityHeader_printsNoTnValidation428() throws Exception {
    int code = run(args(ManCases.byId("man-10")));

    assertThat(code).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("verstat").asText()).isEqualTo("No-TN-Validation");
    assertThat(report().get("code").asInt()).isEqualTo(428);
    assertThat(report().get("x5u").isNull()).isTrue();
  }

  @Test
  void verify_withoutStrict_acceptsExtensionParameterThatStrictRefuses() throws Exception {
    ManCases.Case c = ManCases.byId("man-20");
    List<String> lenient = new ArrayList<>(args(c));
    lenient.remove("--strict");

    assertThat(run(lenient)).isZero();
    assertThat(run(args(c))).isEqualTo(Verify.EXIT_FAILED);
  }

  @Test
  void verify_withoutTrustAnchor_failsUntrusted437() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    List<String> args = new ArrayList<>(args(c));
    int at = args.indexOf("--trust-anchor");
    args.remove(at + 1);
    args.remove(at);

    assertThat(run(args)).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("code").asInt()).isEqualTo(437);
    assertThat(report().get("failure").asText()).isEqualTo("certificate-untrusted");
    assertThat(report().get("detail").asText()).contains("--trust-anchor");
  }

  @Test
  void verify_trustAnchorDirectory_isLoaded() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    Path anchors = Files.createDirectories(dir.resolve("anchors"));
    TestPki.writePem(anchors.resolve("root.pem"), ManCases.trustAnchorPem());
    List<String> args = new ArrayList<>(args(c));
    args.set(args.indexOf("--trust-anchor") + 1, anchors.toString());

    assertThat(run(args)).isZero();
  }

  @Test
  void verify_otherRoot_failsUntrusted() throws Exception {
    ManCases.Case c = ManCases.byId("man-04");
    List<String> args = new ArrayList<>(args(c));
    Path other =
        TestPki.writePem(
            dir.resolve("other.pem"), TestPki.pem(TestPki.otherRoot().root().certificate()));
    args.set(args.indexOf("--trust-anchor") + 1, other.toString());

    assertThat(run(args)).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("failure").asText()).isEqualTo("certificate-untrusted");
  }

  @Test
  void verify_withoutAt_verifiesAtTheCurrentTime() throws Exception {
    // The case's iat is two seconds before TestPki.NOW, months before any run of this test.
    List<String> args = new ArrayList<>(args(ManCases.byId("man-04")));
    int at = args.indexOf("--at");
    args.remove(at + 1);
    args.remove(at);

    assertThat(run(args)).isEqualTo(Verify.EXIT_FAILED);
    assertThat(report().get("failure").asText()).isEqualTo("stale-date");
  }

  @Test
  void verify_badDate_exits2NamingIt() throws Exception {
    List<String> args = new ArrayList<>(args(ManCases.byId("man-04")));
    args.set(args.indexOf("--date") + 1, "yesterday");

    assertThat(run(args)).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("--date \"yesterday\" is not an RFC 1123 date");
  }

  @Test
  void verify_missingCertFile_exits2() throws Exception {
    List<String> args = new ArrayList<>(args(ManCases.byId("man-04")));
    Path missing = dir.resolve("missing.pem");
    args.set(args.indexOf("--cert") + 1, missing.toString());

    assertThat(run(args)).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--cert").contains(missing + ": file not found");
  }

  @Test
  void verify_certFileWithoutCertificate_exits2() throws Exception {
    List<String> args = new ArrayList<>(args(ManCases.byId("man-04")));
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    args.set(args.indexOf("--cert") + 1, junk.toString());

    assertThat(run(args)).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--cert " + junk);
  }

  @Test
  void verify_badAttestationIndicator_exits2() throws Exception {
    List<String> args = new ArrayList<>(args(ManCases.byId("man-04")));
    args.addAll(List.of("--attestation-indicator", "W"));

    assertThat(run(args)).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--attestation-indicator must be A, B or C, not W");
  }

  @Test
  void verify_withoutFrom_exits2() {
    assertThat(run(List.of("verify", "--to", ManCases.CALLEE))).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--from");
  }

  @Test
  void verify_badAtValue_exits2() {
    int code = run(List.of("verify", "--from", "1", "--to", "2", "--at", "noon"));

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--at");
  }

  private void assertExpectedOutcome(ManCases.Case c) throws Exception {
    int code = run(args(c));

    JsonNode report = report();
    assertThat(report.get("code").asInt()).as(c.description()).isEqualTo(c.expectedCode());
    assertThat(report.get("failure").isNull() ? null : report.get("failure").asText())
        .as(c.description())
        .isEqualTo(c.expected().map(StirFailure::id).orElse(null));
    assertThat(code).isEqualTo(c.expectsPass() ? 0 : Verify.EXIT_FAILED);
    assertThat(err.toString()).isEmpty();
  }

  /** The command line that verifies {@code c}: its chain as --cert, the test root as anchor. */
  List<String> args(ManCases.Case c) throws Exception {
    Path chain = TestPki.writePem(dir.resolve(c.id() + "-chain.pem"), c.chainPem());
    Path anchor = TestPki.writePem(dir.resolve("root.pem"), ManCases.trustAnchorPem());
    List<String> args = new ArrayList<>(List.of("verify"));
    for (String identity : c.identityHeaders()) {
      args.addAll(List.of("--identity", identity));
    }
    args.addAll(List.of("--from", c.caller(), "--to", c.callee(), "--at", Long.toString(c.at())));
    c.date().ifPresent(date -> args.addAll(List.of("--date", date)));
    c.attestationIndicator()
        .ifPresent(a -> args.addAll(List.of("--attestation-indicator", a.name())));
    c.originationId().ifPresent(id -> args.addAll(List.of("--origination-id", id)));
    args.addAll(List.of("--trust-anchor", anchor.toString(), "--cert", chain.toString()));
    if (c.policy().equals(StirPolicy.MAN)) {
      args.add("--strict");
    } else {
      assertThat(c.policy()).as("a policy the CLI can express").isEqualTo(StirPolicy.DEFAULT);
    }
    return args;
  }

  JsonNode report() throws Exception {
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).as("one JSON line").hasSize(1);
    return JSON.readTree(lines.get(0));
  }

  int run(List<String> args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.execute(
        args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
