package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive {@code mvn package} builds (proxy/target/sipsentry-*.tar.gz), unpacked
 * into a temporary folder and run the way an operator runs it: {@code bin/sipsentry} with only a
 * JRE (JAVA_HOME set, and a PATH holding the JRE's bin/ and a folder with nothing but bash: no
 * Maven, no coreutils). A SIPp call goes through; then SIGTERM arrives while SIPp pushes 100
 * calls/s, and the process must exit 0 within the stop bound with an audit log of complete lines,
 * one per INVITE it decided.
 */
class DistributionIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private static final int DRAIN_SECONDS = 5;

  /** Main's bound: the drain plus CLOSE_BOUND_SECONDS (15 s); past it, it halts with exit 1. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(DRAIN_SECONDS + 15);

  private static final Pattern WRITTEN = Pattern.compile("\\((\\d+) records written\\)");
  private static final Pattern DECIDED =
      Pattern.compile("\\binvite\\.(allow|label|anonymise|block)=(\\d+)");

  @TempDir static Path dir;

  private static Path home;
  private static Path shellOnly;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive;
    try (Stream<Path> files = Files.list(REPO.resolve("proxy/target"))) {
      List<Path> archives =
          files.filter(p -> p.getFileName().toString().matches("sipsentry-.*\\.tar\\.gz")).toList();
      assertThat(archives).as("archives built by mvn package in proxy/target").hasSize(1);
      archive = archives.get(0);
    }
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
    String name = archive.getFileName().toString().replace(".tar.gz", "");
    home = dir.resolve(name);
    shellOnly = Files.createDirectories(dir.resolve("shell-only"));
    Files.createSymbolicLink(shellOnly.resolve("bash"), Path.of("/bin/bash"));
  }

  @Test
  void archive_layout_launcherExecutableEveryJarLicensed() throws IOException {
    assertThat(home.resolve("bin/sipsentry")).isExecutable();
    for (String file :
        List.of(
            "LICENSE",
            "NOTICE",
            "THIRD-PARTY.txt",
            "README.md",
            "config/sipsentry.example.yaml",
            "config/bank-dno.example.txt",
            "config/jvm.options",
            "config/logback.xml",
            "systemd/sipsentry.service",
            "docs/deployment.md",
            "docs/troubleshooting.md")) {
      assertThat(home.resolve(file)).as(file).isRegularFile();
    }
    String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"));
    Set<String> listed = new HashSet<>();
    for (String line : thirdParty.split("\n")) {
      if (!line.isBlank()) {
        listed.add(line.split("\\s+")[0]);
      }
    }
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      List<String> names = jars.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).isNotEmpty().allMatch(n -> n.endsWith(".jar"));
      for (String jar : names) {
        // artifactId-version[-classifier].jar: the artifactId is everything before "-<digit>".
        String artifactId = jar.replaceFirst("-\\d.*$", "");
        assertThat(listed)
            .as(
                "lib/%s: add %s to proxy/src/dist/THIRD-PARTY.txt with its licence (not GPL/AGPL)",
                jar, artifactId)
            .contains(artifactId);
      }
    }
    assertThat(thirdParty).doesNotContainPattern("(?m)^\\S+\\s+(A?GPL)");
  }

  @Test
  void checkConfig_withOnlyAJre_validExampleConfig() throws Exception {
    Process check =
        launcher("check-config", "config/sipsentry.example.yaml").redirectErrorStream(true).start();
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("config/sipsentry.example.yaml: valid");
  }

  @Test
  void run_callThenSigtermUnderLoad_exitsZeroInTimeWithCompleteAuditLines() throws Exception {
    int port = Ports.free();
    int uasPort = Ports.free();
    // The shipped example, with its admin endpoint moved to a free port.
    Path config = home.resolve("config/it.yaml");
    Files.writeString(
        config,
        Files.readString(home.resolve("config/sipsentry.example.yaml"))
            .replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:" + Ports.free()));
    Path log = dir.resolve("sipsentry.log");
    Process proxy =
        launcher(
                "run",
                "--config",
                "config/it.yaml",
                "--listen",
                "127.0.0.1:" + port,
                "--next-hop",
                "127.0.0.1:" + uasPort,
                "--drain-seconds",
                String.valueOf(DRAIN_SECONDS))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Path audit = home.resolve("var/audit.jsonl");
    Path work = dir.resolve("sipp");
    try (Sipp uas = Sipp.start(work, "-sn", "uas", "-i", "127.0.0.1", "-p", "" + uasPort)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> !proxy.isAlive() || Files.readString(log).contains("SipSentry ready"));
      assertThat(proxy.isAlive()).as(Files.readString(log)).isTrue();

      try (Sipp one = uac(work, port, 1, 1)) {
        assertThat(one.await(Duration.ofSeconds(30))).as(one.describe()).isZero();
      }

      try (Sipp load = uac(work, port, 3000, 100)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> lines(audit) >= 60);
        assertThat(load.isRunning()).as("SIPp still pushing calls at SIGTERM").isTrue();
        long start = System.nanoTime();
        proxy.destroy(); // SIGTERM
        boolean exited = proxy.waitFor(STOP_BOUND.toSeconds() + 5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!exited) {
          proxy.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertThat(exited).as("exited after SIGTERM:\n%s", output).isTrue();
        assertThat(proxy.exitValue()).as(output).isZero();
        assertThat(took).as(output).isLessThan(STOP_BOUND);
        assertThat(output)
            .contains("SIGTERM: stopping")
            .contains("audit log flushed and synced")
            .doesNotContain("abandoned");

        // Every decided INVITE has its line, every line is whole JSON, none is cut short.
        byte[] bytes = Files.readAllBytes(audit);
        assertThat(bytes).isNotEmpty();
        assertThat(bytes[bytes.length - 1])
            .as("audit log ends with a newline")
            .isEqualTo((byte) '\n');
        ObjectMapper json = new ObjectMapper();
        Set<String> callIds = new HashSet<>();
        String[] auditLines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (String line : auditLines) {
          JsonNode record = json.readTree(line);
          assertThat(record.path("verdict").path("action").asText()).isNotEmpty();
          callIds.add(record.path("call-id").asText());
        }
        assertThat(callIds).hasSize(auditLines.length);
        Matcher written = WRITTEN.matcher(output);
        assertThat(written.find()).as(output).isTrue();
        assertThat(Long.parseLong(written.group(1))).isEqualTo(auditLines.length);
        assertThat(decided(output)).as(output).isEqualTo(auditLines.length);
        assertThat(auditLines.length).isGreaterThan(60);
        System.out.printf(
            "MEASURE distribution SIGTERM under 100 calls/s: exit 0 after %d ms, %d audit lines%n",
            took.toMillis(), auditLines.length);
      }
    } finally {
      if (proxy.isAlive()) {
        proxy.destroyForcibly().waitFor();
      }
    }
  }

  /** {@code bin/sipsentry ARGS} in the unpacked distribution with only the JRE and bash. */
  private static ProcessBuilder launcher(String... arguments) {
    List<String> command = new java.util.ArrayList<>();
    command.add(home.resolve("bin/sipsentry").toString());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    String javaHome = System.getProperty("java.home");
    env.put("JAVA_HOME", javaHome);
    env.put("PATH", Path.of(javaHome, "bin") + ":" + shellOnly);
    return builder;
  }

  private static Sipp uac(Path work, int port, int calls, int rate) throws IOException {
    return Sipp.start(
        work,
        "127.0.0.1:" + port,
        "-sn",
        "uac",
        "-i",
        "127.0.0.1",
        "-p",
        String.valueOf(Ports.free()),
        "-m",
        String.valueOf(calls),
        "-r",
        String.valueOf(rate),
        "-timeout",
        "60s");
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    }
  }

  /** The sum of the invite.{allow,label,anonymise,block} counters in the stop line. */
  private static long decided(String output) {
    String stopLine =
        output.lines().filter(l -> l.contains("SipSentry stopped in")).findFirst().orElseThrow();
    Matcher counter = DECIDED.matcher(stopLine);
    long sum = 0;
    while (counter.find()) {
      sum += Long.parseLong(counter.group(2));
    }
    return sum;
  }
}
