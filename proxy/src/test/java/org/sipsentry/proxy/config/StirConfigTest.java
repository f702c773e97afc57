package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Trunk;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.VerificationSettings;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.fetch.AddressClass;
import org.sipsentry.sip.stir.fetch.FetchSettings;

/** The {@code stir} section and each trunk's {@code stir}: values, defaults and errors. */
class StirConfigTest {

  static final Path LAB_EXAMPLE = Path.of("../config/sipsentry.stir-lab.example.yaml");

  /** {@link ConfigLoaderTest#minimal()} is five lines; these start at line 6. */
  private static final String VERIFYING_TRUNK =
      """
      trunks:
        - name: carrier
          sources: [192.0.2.0/24]
          stir:
            mode: verify
      """;

  @TempDir Path dir;

  private Path anchors;

  @BeforeEach
  void trustAnchors() throws Exception {
    anchors = dir.resolve("sti-ca");
    TestPki.writePem(anchors.resolve("root.pem"), TestPki.pem(TestPki.root().certificate()));
    Files.createDirectories(dir.resolve("empty"));
  }

  private ProxySettings load(String yaml) throws Exception {
    return ConfigLoader.load(write(dir, yaml.replace("${DIR}", dir.toString())));
  }

  // --- the examples ----------------------------------------------------------------------------

  @Test
  void load_stirLabExample_verifiesItsTrunkWithTheLabFetchPolicy() throws Exception {
    String lab = Files.readString(LAB_EXAMPLE);
    String anchorsLine = "trust-anchors: var/stir-lab/sti-ca";
    assertThat(lab).containsOnlyOnce(anchorsLine);

    String keyLine = "key: var/stir-lab/sp-key.pem";
    assertThat(lab).containsOnlyOnce(keyLine);
    Path key =
        TestPki.writePem(dir.resolve("sp-key.pem"), TestPki.pem(TestPki.ecKeyPair().getPrivate()));

    ProxySettings settings =
        load(lab.replace(anchorsLine, "trust-anchors: " + anchors).replace(keyLine, "key: " + key));

    Trunk trunk = settings.detector().trunks().get(0);
    assertThat(trunk.stir())
        .isEqualTo(
            new StirSettings(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.CONTINUE,
                StirSettings.OnIndeterminate.FAIL_OPEN,
                Map.of(StirFailure.STALE_DATE, new SipStatus(403, "Stale Date")),
                true));
    VerificationSettings stir = settings.stir().orElseThrow();
    assertThat(stir.trustAnchors().certificates()).containsExactly(TestPki.root().certificate());
    assertThat(stir.revocationLists().enabled()).isFalse();
    assertThat(stir.policy()).isEqualTo(StirPolicy.DEFAULT);
    FetchSettings fetch = stir.fetch();
    assertThat(fetch.allowHttp()).isTrue();
    assertThat(fetch.allowedPorts()).containsExactlyInAnyOrder(443, 8443, 8080);
    assertThat(fetch.allowedAddressClasses()).containsExactly(AddressClass.LOOPBACK);
    assertThat(fetch.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fetch.maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(fetch.minTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(fetch.maxTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(fetch.negativeTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(fetch.breakerThreshold()).isEqualTo(5);
    assertThat(fetch.breakerCooldown()).isEqualTo(Duration.ofSeconds(60));
    assertThat(fetch.threads()).isEqualTo(4);
    assertThat(ConfigLoader.summary(settings))
        .contains("stir:          lab-carrier verify (on failure continue, fail-open)");
    assertThat(settings.stirSigning().orElseThrow().x5u())
        .isEqualTo("http://127.0.0.1:8080/sp.pem");
    assertThat(settings.stirSigning().orElseThrow().keyFile()).isEqualTo(key);
  }

  @Test
  void load_plainExample_verifiesNothing() throws Exception {
    ProxySettings settings = ConfigLoader.load(ConfigLoaderTest.EXAMPLE);

    assertThat(settings.stir()).isEmpty();
    assertThat(settings.detector().stirEnabled()).isFalse();
  }

  // --- values and defaults ---------------------------------------------------------------------

  @Test
  void load_everyStirKeySet_convertsEveryKey() throws Exception {
    Path crl = TestPki.writePem(dir.resolve("sti.crl"), TestPki.pem(TestPki.crl(TestPki.root())));
    Path ca =
        TestPki.writePem(dir.resolve("https-ca.pem"), TestPki.pem(TestPki.root().certificate()));
    String yaml =
        minimal()
            + """
            trunks:
              - name: strict
                sources: [192.0.2.0/24]
                stir:
                  mode: require
                  on-failure: reject
                  on-indeterminate: fail-closed
                  responses:
                    bad-signature: {code: 403, reason: Forbidden}
                    certificate-unavailable: {code: 503, reason: Service Unavailable}
              - name: inheriting
                sources: [198.51.100.0/24]
                stir: {mode: verify, on-failure: continue-with-reason}
              - name: unsigned
                sources: [203.0.113.0/24]
                stir: {mode: off}
            stir:
              trust-anchors: ${ANCHORS}
              crls: [${CRL}]
              policy:
                max-age: 90s
                future-skew: 10s
                check-date: false
                strict-identity-params: true
              fetch:
                allow-http: false
                allowed-ports: [8443]
                allow-addresses: [private, link-local]
                timeout: 1500ms
                max-body: 1MiB
                cache-min-ttl: 1h
                cache-max-ttl: 2d
                negative-ttl: 0s
                breaker-threshold: 3
                breaker-cooldown: 5m
                threads: 8
                tls-ca-file: ${CA}
              verstat-attestation-suffix: true
            """
                .replace("${ANCHORS}", anchors.toString())
                .replace("${CRL}", crl.toString())
                .replace("${CA}", ca.toString());

    ProxySettings settings = load(yaml);

    assertThat(settings.detector().trunks())
        .extracting(Trunk::stir)
        .containsExactly(
            new StirSettings(
                StirSettings.Mode.REQUIRE,
                StirSettings.OnFailure.REJECT,
                StirSettings.OnIndeterminate.FAIL_CLOSED,
                Map.of(
                    StirFailure.BAD_SIGNATURE,
                    new SipStatus(403, "Forbidden"),
                    StirFailure.CERTIFICATE_UNAVAILABLE,
                    new SipStatus(503, "Service Unavailable")),
                true),
            new StirSettings(
                StirSettings.Mode.VERIFY,
                StirSettings.OnFailure.CONTINUE_WITH_REASON,
                StirSettings.OnIndeterminate.FAIL_OPEN,
                Map.of(),
                true),
            new StirSettings(
                StirSettings.Mode.OFF,
                StirSettings.OnFailure.CONTINUE,
                StirSettings.OnIndeterminate.FAIL_OPEN,
                Map.of(),
                true));
    VerificationSettings stir = settings.stir().orElseThrow();
    assertThat(stir.revocationLists().crls()).hasSize(1);
    assertThat(stir.revocationLists().files()).containsExactly(crl);
    assertThat(stir.policy())
        .isEqualTo(
            new StirPolicy(Duration.ofSeconds(90), Duration.ofSeconds(10), false, true, true));
    FetchSettings fetch = stir.fetch();
    assertThat(fetch.allowHttp()).isFalse();
    assertThat(fetch.allowedPorts()).containsExactly(8443);
    assertThat(fetch.allowedAddressClasses())
        .isEqualTo(Set.of(AddressClass.PRIVATE, AddressClass.LINK_LOCAL));
    assertThat(fetch.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(fetch.maxBodyBytes()).isEqualTo(1 << 20);
    assertThat(fetch.minTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(fetch.maxTtl()).isEqualTo(Duration.ofDays(2));
    assertThat(fetch.negativeTtl()).isZero();
    assertThat(fetch.breakerThreshold()).isEqualTo(3);
    assertThat(fetch.breakerCooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(fetch.threads()).isEqualTo(8);
    assertThat(fetch.sslContext()).isNotSameAs(SSLContext.getDefault());
  }

  @Test
  void load_stirSectionWithOnlyTrustAnchors_takesEveryDefault() throws Exception {
    ProxySettings settings =
        load(minimal() + VERIFYING_TRUNK + "stir:\n  trust-anchors: " + anchors + "\n");

    VerificationSettings stir = settings.stir().orElseThrow();
    assertThat(stir.policy()).isEqualTo(StirPolicy.DEFAULT);
    assertThat(stir.fetch()).isEqualTo(FetchSettings.defaults());
    assertThat(settings.detector().trunks().get(0).stir())
        .isEqualTo(StirSettings.of(StirSettings.Mode.VERIFY));
  }

  @Test
  void load_maxBodyAsPlainInteger_isBytes() throws Exception {
    ProxySettings settings =
        load(minimal() + "stir:\n  trust-anchors: " + anchors + "\n  fetch:\n    max-body: 4096\n");

    assertThat(settings.stir().orElseThrow().fetch().maxBodyBytes()).isEqualTo(4096);
  }

  @Test
  void load_stirSectionWithoutTrustAnchorsAndNoVerifyingTrunk_noVerification() throws Exception {
    ProxySettings settings = load(minimal() + "stir:\n  policy:\n    max-age: 30s\n");

    assertThat(settings.stir()).isEmpty();
  }

  // --- errors ----------------------------------------------------------------------------------

  static Stream<Arguments> badConfigs() {
    String anchors = "stir:\n  trust-anchors: ${DIR}/sti-ca\n";
    String withFetch = anchors + "  fetch:\n";
    String noVerifier =
        "\"verify\" needs the STI-CA roots, and stir.trust-anchors is not set; expected off, or a"
            + " top-level stir section with trust-anchors";
    String anchorsExpected =
        "expected a directory of STI-CA root certificates (*.pem, *.crt or *.cer files), e.g."
            + " /etc/sipsentry/sti-ca";
    return Stream.of(
        bad(
            "trunk verifies, no stir section",
            VERIFYING_TRUNK,
            10,
            "trunks[0].stir.mode",
            noVerifier),
        bad(
            "trunk verifies, stir section without trust anchors",
            VERIFYING_TRUNK + "stir:\n  crls: []\n",
            10,
            "trunks[0].stir.mode",
            noVerifier),
        bad(
            "trust anchors not a directory",
            "stir:\n  trust-anchors: ${DIR}/nowhere\n",
            7,
            "stir.trust-anchors",
            "\"${DIR}/nowhere\" is not a directory; " + anchorsExpected),
        bad(
            "trust anchor directory empty",
            "stir:\n  trust-anchors: ${DIR}/empty\n",
            7,
            "stir.trust-anchors",
            "${DIR}/empty has no .pem/.crt/.cer file; " + anchorsExpected),
        bad(
            "unknown mode",
            VERIFYING_TRUNK.replace("mode: verify", "mode: maybe"),
            10,
            "trunks[0].stir.mode",
            "\"maybe\" is not a STIR mode; expected one of off, verify, require"),
        bad(
            "unknown failure action",
            VERIFYING_TRUNK + "      on-failure: drop\n" + anchors,
            11,
            "trunks[0].stir.on-failure",
            "\"drop\" is not a failure action; expected one of continue, reject,"
                + " continue-with-reason"),
        bad(
            "unknown indeterminate action",
            VERIFYING_TRUNK + "      on-indeterminate: retry\n" + anchors,
            11,
            "trunks[0].stir.on-indeterminate",
            "\"retry\" is not an indeterminate action; expected one of fail-open, fail-closed"),
        bad(
            "unknown failure id in responses",
            VERIFYING_TRUNK
                + "      responses:\n        stale: {code: 403, reason: Stale}\n"
                + anchors,
            12,
            "trunks[0].stir.responses.stale",
            "\"stale\" is not a STIR failure; expected one of no-identity, missing-info,"
                + " missing-ppt, x5u-mismatch, certificate-unavailable, unsupported-alg,"
                + " unsupported-jose, certificate-expired, certificate-not-yet-valid,"
                + " certificate-untrusted, no-tn-auth-list, malformed, wrong-ppt, wrong-attest,"
                + " bad-signature, orig-mismatch, dest-mismatch, stale-date, malformed-caller"),
        bad(
            "response code out of range",
            VERIFYING_TRUNK
                + "      responses:\n        stale-date: {code: 302, reason: Moved}\n"
                + anchors,
            12,
            "trunks[0].stir.responses.stale-date.code",
            "302 is out of range; expected a final SIP error code from 400 to 699, e.g. 608"),
        bad(
            "duration without unit",
            anchors + "  policy:\n    max-age: 60\n",
            9,
            "stir.policy.max-age",
            "\"60\" is not a duration; expected a duration such as 500ms, 60s, 5m, 24h or 7d, at"
                + " most 1h"),
        bad(
            "window too long",
            anchors + "  policy:\n    future-skew: 2h\n",
            9,
            "stir.policy.future-skew",
            "2h is out of range; expected a duration such as 500ms, 60s, 5m, 24h or 7d, at most"
                + " 1h"),
        bad(
            "zero timeout",
            withFetch + "    timeout: 0ms\n",
            9,
            "stir.fetch.timeout",
            "0ms is out of range; expected a duration such as 500ms, 60s, 5m, 24h or 7d, from 1ms"
                + " to 1m"),
        bad(
            "size with a decimal unit",
            withFetch + "    max-body: 64KB\n",
            9,
            "stir.fetch.max-body",
            "\"64KB\" is not a size up to 16MiB; expected a size such as 64KiB, 1MiB or 65536"
                + " (bytes), at most 16MiB"),
        bad(
            "port zero",
            withFetch + "    allowed-ports: [443, 0]\n",
            9,
            "stir.fetch.allowed-ports[1]",
            "0 is out of range; expected a port from 1 to 65535"),
        bad(
            "no ports",
            withFetch + "    allowed-ports: []\n",
            9,
            "stir.fetch.allowed-ports",
            "no ports; expected a list of ports, e.g. [443, 8443]"),
        bad(
            "public address class",
            withFetch + "    allow-addresses: [loopback, public]\n",
            9,
            "stir.fetch.allow-addresses[1]",
            "public addresses are always allowed; expected one of loopback, private,"
                + " link-local, multicast, unspecified, cgnat, reserved"),
        bad(
            "unknown address class",
            withFetch + "    allow-addresses: [intranet]\n",
            9,
            "stir.fetch.allow-addresses[0]",
            "\"intranet\" is not an address class; expected one of loopback, private,"
                + " link-local, multicast, unspecified, cgnat, reserved"),
        bad(
            "cache max below min",
            withFetch + "    cache-max-ttl: 1h\n",
            9,
            "stir.fetch.cache-max-ttl",
            "cache-max-ttl 1h is shorter than cache-min-ttl 24h; expected cache-max-ttl at least"
                + " cache-min-ttl"),
        bad(
            "threads out of range",
            withFetch + "    threads: 0\n",
            9,
            "stir.fetch.threads",
            "0 is out of range; expected an integer from 1 to 256"),
        bad(
            "CRL file missing",
            anchors + "  crls: [${DIR}/missing.crl]\n",
            8,
            "stir.crls[0]",
            "\"${DIR}/missing.crl\" is not a file; expected a CRL file (PEM or DER), e.g."
                + " /etc/sipsentry/sti-pa.crl"),
        bad(
            "TLS CA file missing",
            withFetch + "    tls-ca-file: ${DIR}/missing.pem\n",
            9,
            "stir.fetch.tls-ca-file",
            "\"${DIR}/missing.pem\" cannot be read (java.nio.file.NoSuchFileException:"
                + " ${DIR}/missing.pem); expected a PEM file of CA certificates, e.g."
                + " /etc/sipsentry/lab-ca.pem"),
        bad(
            "unknown fetch key",
            withFetch + "    follow-redirects: true\n",
            9,
            "stir.fetch.follow-redirects",
            "unknown key; expected one of allow-http, allowed-ports, allow-addresses, timeout,"
                + " max-body, cache-min-ttl, cache-max-ttl, negative-ttl, breaker-threshold,"
                + " breaker-cooldown, threads, tls-ca-file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void load_badStirConfig_namesLineKeyAndProblem(
      String scenario, String yaml, int line, String keyPath, String problem) throws Exception {
    Path file = write(dir, minimal() + yaml.replace("${DIR}", dir.toString()));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e).as(scenario).isNotNull();
    assertThat(e.getMessage())
        .isEqualTo(
            file
                + " line "
                + line
                + ": "
                + keyPath
                + ": "
                + problem.replace("${DIR}", dir.toString()));
    assertThat(e.line()).isEqualTo(OptionalInt.of(line));
    assertThat(e.keyPath()).isEqualTo(keyPath);
  }

  private static Arguments bad(
      String scenario, String yaml, int line, String keyPath, String problem) {
    return Arguments.of(scenario, yaml, line, keyPath, problem);
  }
}
