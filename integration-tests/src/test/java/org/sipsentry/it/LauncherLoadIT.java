package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's path, end to end: {@code scripts/load-test.sh} starts {@code bin/sipsentry run
 * --listen ... --next-hop ...} on the shipped example config between two SIPp instances and places
 * 500 calls at 100 calls/s; every call must succeed and get one audit line.
 */
class LauncherLoadIT {

  /** The repository root (Failsafe runs in the module directory). */
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"udp", "tcp"})
  void launcher_500CallsAt100PerSecond_noneFail(String transport) throws Exception {
    Path work = Path.of("target/load-test").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(REPO.resolve("scripts/load-test.sh").toString(), transport, "500", "100")
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(Files.createDirectories(work).resolve(transport + ".out").toFile());
    builder.environment().put("LOAD_DIR", work.toString());
    builder.environment().put("PROXY_PORT", String.valueOf(Ports.free()));
    builder.environment().put("UAS_PORT", String.valueOf(Ports.free()));
    builder.environment().put("UAC_PORT", String.valueOf(Ports.free()));
    Process load = builder.start();
    boolean finished = load.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      load.destroyForcibly().waitFor();
    }
    String output = Files.readString(work.resolve(transport + ".out"));
    assertThat(finished).as("load test finished in time:\n%s", output).isTrue();
    assertThat(load.exitValue()).as(output).isZero();
    assertThat(output).contains("successful=500 failed=0").contains("audit-lines=500");
  }
}
