package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.config.ConfigLoader;

class ReloaderTest {

  @TempDir Path dir;

  private Path file;
  private final ProxyStats stats = new ProxyStats();
  private final List<ProxySettings> built = new ArrayList<>();
  private RunningConfig running;

  /** A small valid config: thresholds as given, {@code extra} YAML appended. */
  static String yaml(int label, int block, String extra) {
    return "listen:\n"
        + "  udp: 127.0.0.1:5060\n"
        + "next-hop:\n"
        + "  address: 127.0.0.1:5080\n"
        + "home-country: CH\n"
        + "thresholds:\n"
        + "  label: "
        + label
        + "\n"
        + "  block: "
        + block
        + "\n"
        + extra;
  }

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("sipsentry.yaml");
    Files.writeString(file, yaml(30, 70, ""));
    running = new RunningConfig(generation(ConfigLoader.load(file)));
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void reload_changedThresholds_swapsAndCountsOk() throws Exception {
    Files.writeString(file, yaml(10, 20, "verdict-header: X-Reloaded\n"));

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome)
        .isEqualTo(
            new ReloadOutcome.Applied(
                2,
                List.of(
                    "verdict-header X-SipSentry-Verdict -> X-Reloaded",
                    "thresholds.label 30 -> 10",
                    "thresholds.block 70 -> 20"),
                List.of()));
    assertThat(running.generation()).isEqualTo(2);
    assertThat(running.current().settings().detector().blockThreshold()).isEqualTo(20);
    assertThat(running.current().settings().verdictHeader()).isEqualTo("X-Reloaded");
    assertThat(stats.get("config.reload.ok")).isEqualTo(1);
    assertThat(stats.get("config.reload.failed")).isZero();
  }

  @Test
  void reload_displayNamePrefixAddedThenRemoved_appliedWithoutRestart() throws Exception {
    Files.writeString(
        file, yaml(30, 70, "actions:\n  label:\n    display-name-prefix: \"[SPOOF?] \"\n"));

    assertThat(reloader(UnaryOperator.identity()).reload())
        .isEqualTo(
            new ReloadOutcome.Applied(
                2, List.of("actions.label.display-name-prefix none -> \"[SPOOF?] \""), List.of()));
    assertThat(running.current().settings().displayNamePrefix()).contains("[SPOOF?] ");

    Files.writeString(file, yaml(30, 70, ""));
    reloader(UnaryOperator.identity()).reload();
    assertThat(running.current().settings().displayNamePrefix()).isEmpty();
  }

  @Test
  void reload_invalidValue_keepsRunningConfigAndNamesFileLineAndKey() throws Exception {
    ProxySettings before = running.current().settings();
    Files.writeString(file, yaml(30, 170, ""));

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
    assertThat(((ReloadOutcome.Rejected) outcome).error())
        .contains(file.toString())
        .contains("line 8")
        .contains("thresholds.block");
    assertThat(((ReloadOutcome.Rejected) outcome).problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.file()).contains(file);
              assertThat(problem.line()).hasValue(8);
              assertThat(problem.key()).isEqualTo("thresholds.block");
              assertThat(problem.problem()).startsWith("170 is out");
            });
    assertThat(running.generation()).isEqualTo(1);
    assertThat(running.current().settings()).isSameAs(before);
    assertThat(built).hasSize(1);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
    assertThat(stats.get("config.reload.ok")).isZero();
  }

  @Test
  void reload_twoMistakes_reportsBothProblemsByLine() throws Exception {
    ProxySettings before = running.current().settings();
    Files.writeString(file, yaml(30, 170, "verdict-header: \"X Bad\"\n"));

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
    assertThat(((ReloadOutcome.Rejected) outcome).problems())
        .extracting(ReloadOutcome.Problem::key, problem -> problem.line().orElse(0))
        .containsExactly(tuple("thresholds.block", 8), tuple("verdict-header", 9));
    assertThat(running.current().settings()).isSameAs(before);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
  }

  @Test
  void reload_badLineInListFile_keepsRunningConfigAndNamesListFileAndLine() throws Exception {
    Path list = dir.resolve("bank.txt");
    Files.writeString(list, "+41446681800\n");
    String lists = "lists:\n  protected-numbers:\n    - file: bank.txt\n";
    Files.writeString(file, yaml(30, 70, lists));
    Reloader reloader = reloader(UnaryOperator.identity());
    assertThat(reloader.reload()).isInstanceOf(ReloadOutcome.Applied.class);
    ProxySettings before = running.current().settings();
    assertThat(before.listFiles()).containsExactly(list.toAbsolutePath().normalize());
    Files.writeString(list, "+41446681800\n# a comment\n+41 44 not-a-number\n");

    ReloadOutcome outcome = reloader.reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
    ReloadOutcome.Problem problem = ((ReloadOutcome.Rejected) outcome).problems().get(0);
    assertThat(problem.key()).isEqualTo("lists.protected-numbers[0].file");
    assertThat(problem.problem()).contains(list + " line 3: ");
    assertThat(((ReloadOutcome.Rejected) outcome).error()).contains(list + " line 3: ");
    assertThat(running.current().settings()).isSameAs(before);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
  }

  @Test
  void tryReload_whileAnotherReloadRuns_returnsEmptyAndChangesNothing() throws Exception {
    java.util.concurrent.CountDownLatch building = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
    Reloader slow =
        new Reloader(
            file,
            UnaryOperator.identity(),
            running,
            s -> {
              building.countDown();
              try {
                finish.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return generation(s);
            },
            stats);
    Thread first = new Thread(slow::reload);
    first.start();
    building.await();

    Optional<ReloadOutcome> second = slow.tryReload();
    finish.countDown();
    first.join();

    assertThat(second).isEmpty();
    assertThat(running.generation()).isEqualTo(2);
    assertThat(stats.get("config.reload.ok")).isEqualTo(1);
  }

  @Test
  void reload_notYaml_keepsRunningConfig() throws Exception {
    ProxySettings before = running.current().settings();
    Files.writeString(file, "listen: [unclosed\n");

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
    assertThat(running.current().settings()).isSameAs(before);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
  }

  @Test
  void reload_fileGone_keepsRunningConfig() throws Exception {
    ProxySettings before = running.current().settings();
    Files.delete(file);

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
    assertThat(((ReloadOutcome.Rejected) outcome).error()).contains(file.toString());
    assertThat(running.current().settings()).isSameAs(before);
  }

  @Test
  void reload_listenAndNextHopChanged_reportsNeedsRestartAndKeepsThemButAppliesTheRest()
      throws Exception {
    ProxySettings before = running.current().settings();
    Files.writeString(
        file,
        yaml(10, 20, "")
            .replace("127.0.0.1:5060", "127.0.0.1:5061")
            .replace("127.0.0.1:5080", "127.0.0.1:5081"));

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Applied.class);
    assertThat(((ReloadOutcome.Applied) outcome).needsRestart())
        .hasSize(2)
        .anySatisfy(change -> assertThat(change).startsWith("listen.udp 127.0.0.1:5061"))
        .anySatisfy(change -> assertThat(change).startsWith("next-hop.address 127.0.0.1:5081"));
    ProxySettings now = running.current().settings();
    assertThat(now.udpListen()).isEqualTo(before.udpListen());
    assertThat(now.nextHop()).isEqualTo(before.nextHop());
    assertThat(now.detector().blockThreshold()).isEqualTo(20);
  }

  @Test
  void reload_overrides_areAppliedAgainSoTheyNeedNoRestart() throws Exception {
    UnaryOperator<ProxySettings> listenOverride =
        s ->
            ConfigLoader.withOverrides(
                s, Optional.of(new HostPort("127.0.0.1", 5090)), Optional.empty());
    running.close();
    running = new RunningConfig(generation(listenOverride.apply(ConfigLoader.load(file))));
    Files.writeString(file, yaml(10, 20, ""));

    ReloadOutcome outcome = reloader(listenOverride).reload();

    assertThat(outcome)
        .isEqualTo(
            new ReloadOutcome.Applied(
                2, List.of("thresholds.label 30 -> 10", "thresholds.block 70 -> 20"), List.of()));
    assertThat(running.current().settings().udpListen()).contains(new HostPort("127.0.0.1", 5090));
  }

  @Test
  void reload_buildRefusesSettings_keepsRunningConfig() throws Exception {
    ProxySettings before = running.current().settings();
    Files.writeString(file, yaml(10, 20, ""));
    Reloader refusing =
        new Reloader(
            file,
            UnaryOperator.identity(),
            running,
            s -> {
              throw new IllegalStateException("cannot start a certificate fetcher");
            },
            stats);

    ReloadOutcome outcome = refusing.reload();

    assertThat(outcome)
        .isEqualTo(
            new ReloadOutcome.Rejected(
                file + ": cannot start a certificate fetcher",
                List.of(
                    new ReloadOutcome.Problem(
                        Optional.of(file),
                        OptionalInt.empty(),
                        "",
                        "cannot start a certificate fetcher"))));
    assertThat(running.current().settings()).isSameAs(before);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
  }

  @Test
  void reload_brokenThenFixed_appliesTheFixedFile() throws IOException {
    Reloader reloader = reloader(UnaryOperator.identity());
    Files.writeString(file, yaml(30, 170, ""));
    reloader.reload();
    Files.writeString(file, yaml(30, 60, ""));

    ReloadOutcome outcome = reloader.reload();

    assertThat(outcome).isInstanceOf(ReloadOutcome.Applied.class);
    assertThat(running.current().settings().detector().blockThreshold()).isEqualTo(60);
    assertThat(stats.get("config.reload.failed")).isEqualTo(1);
    assertThat(stats.get("config.reload.ok")).isEqualTo(1);
  }

  @Test
  void reload_adminTokenChanged_appliedAtOnceWithoutShowingIt() throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), "first-token\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    String admin = "admin:\n  listen: 127.0.0.1:8080\n  token-file: admin.token\n";
    Files.writeString(file, yaml(30, 70, admin));
    reloader(UnaryOperator.identity()).reload();
    Files.writeString(token, "second-token\n");

    ReloadOutcome outcome = reloader(UnaryOperator.identity()).reload();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            ReloadOutcome.Applied.class,
            applied ->
                assertThat(applied.applied())
                    .containsExactly(
                        "admin.token-file token from " + token + " (a new token applies at once)"));
    assertThat(outcome.toString()).doesNotContain("second-token");
    assertThat(
            running.current().settings().adminToken().orElseThrow().accepts("Bearer second-token"))
        .isTrue();
  }

  private Reloader reloader(UnaryOperator<ProxySettings> overrides) {
    return new Reloader(file, overrides, running, this::generation, stats);
  }

  private Generation generation(ProxySettings settings) {
    built.add(settings);
    return new Generation(settings, (message, from, eventLoop) -> {}, () -> {});
  }
}
