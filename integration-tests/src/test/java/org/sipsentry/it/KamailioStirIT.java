package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another switch using SipSentry as its STIR verification service: a real Kamailio (config {@code
 * kamailio/kamailio.cfg}) asks {@code POST /stir/v1/verification} on SipSentry's admin endpoint,
 * through its {@code http_client} module, about every initial INVITE, relays the ones that pass to
 * a SIPp UAS and rejects the others with SipSentry's reasoncode. SIPp UACs send a signed call, a
 * tampered one and a stale one through Kamailio.
 *
 * <p>Needs the Debian packages kamailio, kamailio-utils-modules (http_client) and
 * kamailio-json-modules (json), which {@code scripts/run-tests.sh} installs; skipped, saying so,
 * only where they are not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KamailioStirIT {

  private Path dir;
  private StirLab lab;
  private LabPki pki;
  private LabProxy proxy;
  private Kamailio kamailio;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        Kamailio.binary().isPresent() && Kamailio.moduleDir().isPresent(),
        "kamailio or its modules "
            + Kamailio.MODULES
            + " are not installed: run scripts/run-tests.sh, which installs the Debian packages"
            + " kamailio kamailio-utils-modules kamailio-json-modules");
    this.dir = dir;
    int adminPort = Ports.free();
    lab = StirLab.signing("KamailioStirIT", dir, adminPort);
    pki = lab.pki;
    proxy = lab.proxy;
    kamailio =
        Kamailio.start(
            "kamailio.cfg",
            dir,
            Map.of(
                "ADMIN_PORT", String.valueOf(adminPort),
                "UAS_PORT", String.valueOf(proxy.uasPort)));
  }

  @AfterAll
  void stop() throws Exception {
    if (kamailio != null) {
      kamailio.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void signedCall_passesSipSentryAndKamailioRelaysIt() throws Exception {
    String caller = "41446681931";
    Path csv =
        StirCalls.csv(dir, "kamailio-good", List.of(caller), c -> lab.sign(c, Instant.now()));

    try (Sipp uas = proxy.uas("u1", "-sn", "uas", "-m", "1")) {
      Path scenario = StirCalls.uac(dir, StirCalls.PAI_LINE, StirCalls.IDENTITY_LINE);
      try (Sipp uac = uacToKamailio(scenario, csv)) {
        assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe() + kamailio.log()).isZero();
      }
      assertThat(uas.await(Duration.ofSeconds(30))).as(uas.describe()).isZero();
    }
    assertThat(kamailio.log()).containsPattern("STIR \\+?41446681931 -> .*TN-Validation-Passed");
  }

  @Test
  void tamperedCall_isRejected438ByKamailio() throws Exception {
    String caller = "41446681932";
    Path csv =
        StirCalls.csv(
            dir,
            "kamailio-tampered",
            List.of(caller),
            c -> StirCalls.tamper(lab.sign(c, Instant.now())));

    assertRejected(csv, "438");
    assertThat(kamailio.log())
        .containsPattern("STIR \\+?41446681932 -> .*TN-Validation-Failed.*438");
  }

  @Test
  void staleCall_isRejected403ByKamailio() throws Exception {
    String caller = "41446681933";
    Path csv =
        StirCalls.csv(
            dir,
            "kamailio-stale",
            List.of(caller),
            c -> lab.sign(c, Instant.now().minusSeconds(600)));

    assertRejected(csv, "403");
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * Sends the call of {@code csv} through Kamailio and expects {@code code}; no UAS listens, so a
   * relayed INVITE would go unanswered and the UAC fail.
   */
  private void assertRejected(Path csv, String code) throws Exception {
    Path scenario =
        Scenarios.render(
            "stir-call/uac-rejected.xml",
            Map.of("expect_code", code),
            dir,
            "kamailio-uac-rejected-" + code + ".xml");
    try (Sipp uac = uacToKamailio(scenario, csv)) {
      assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe() + kamailio.log()).isZero();
    }
  }

  private Sipp uacToKamailio(Path scenario, Path csv) throws Exception {
    return Sipp.start(
        dir,
        "-sf",
        scenario.toString(),
        "-inf",
        csv.toString(),
        "-m",
        "1",
        kamailio.address(),
        "-i",
        "127.0.0.1",
        "-p",
        String.valueOf(Ports.free()),
        "-t",
        "u1",
        "-timeout",
        "30s",
        "-timeout_error");
  }
}
