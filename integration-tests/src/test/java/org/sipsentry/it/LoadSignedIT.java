package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The signed load test as an operator runs it: {@code SIGNED=1 scripts/load-test.sh} makes an
 * openssl PKI, serves the SP certificate over HTTP on 127.0.0.1, starts {@code bin/sipsentry run}
 * with STIR verification (on-failure: reject) on the UAC's trunk, signs one Identity header per
 * call with {@code bin/sipsentry sign --csv}, and places the calls with the {@code signed-call}
 * scenarios, whose UAS answers only INVITEs that arrive with {@code verstat=TN-Validation-Passed}.
 * A slow rate: this checks the path, not the capacity (docs/PERFORMANCE.md has the figures).
 */
class LoadSignedIT {

  /** The repository root (Failsafe runs in the module directory). */
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void signedLoad_300CallsAt100PerSecondAfterWarmUp_allVerifiedNoneFail() throws Exception {
    Path work = Path.of("target/load-test-signed").toAbsolutePath();
    Path out = Files.createDirectories(work).resolve("udp.out");
    ProcessBuilder builder =
        new ProcessBuilder(REPO.resolve("scripts/load-test.sh").toString(), "udp", "300", "100")
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("SIGNED", "1");
    // The first calls wait for the certificate fetch of a cold JVM; they are the warm-up's.
    builder.environment().put("WARM_CALLS", "200");
    builder.environment().put("WARM_RATE", "100");
    builder.environment().put("LOAD_DIR", work.toString());
    builder.environment().put("PROXY_PORT", String.valueOf(Ports.free()));
    builder.environment().put("UAS_PORT", String.valueOf(Ports.free()));
    builder.environment().put("UAC_PORT", String.valueOf(Ports.free()));
    builder.environment().put("CERT_PORT", String.valueOf(Ports.free()));
    Process load = builder.start();
    boolean finished = load.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      load.destroyForcibly().waitFor();
    }
    String output = Files.readString(out);
    assertThat(finished).as("load test finished in time:\n%s", output).isTrue();
    assertThat(load.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("signed=1")
        .contains("successful=300 failed=0")
        .contains("audit-lines=500");
    Path audit = work.resolve("udp-signed/audit.jsonl");
    assertThat(Files.readAllLines(audit))
        .hasSize(500)
        .allMatch(line -> line.contains("\"verstat\":\"TN-Validation-Passed\""));
  }
}
