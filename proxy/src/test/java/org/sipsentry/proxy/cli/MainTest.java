package org.sipsentry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  /** The shipped example, from the repository root (tests run in the proxy module's directory). */
  static final Path EXAMPLE = Path.of("../config/sipsentry.example.yaml");

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @Test
  void checkConfig_exampleFile_exits0WithSummary() {
    int code = run("check-config", EXAMPLE.toString());

    assertThat(code).isZero();
    assertThat(out.toString())
        .startsWith(EXAMPLE + ": valid")
        .contains("listens on:    udp 127.0.0.1:5060, tcp 127.0.0.1:5060")
        .contains("next hop:      127.0.0.1:5080")
        .contains("home country:  CH")
        .contains("carrier (trusted: 127.0.0.2/32, 192.0.2.0/24)")
        .contains(
            "verdict:       X-SipSentry-Verdict header on labelled calls, display names prefixed"
                + " \"[SPOOF?] \"");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkConfig_badFile_exits2WithOneLineNamingFileAndLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        "listen:\n"
            + "  udp: 127.0.0.1:5060\n"
            + "next-hop:\n"
            + "  address: 127.0.0.1:5080\n"
            + "home-country: CH\n"
            + "trunks:\n"
            + "  - name: carrier\n"
            + "    sources: [10.0.0/8]\n");

    int code = run("check-config", file.toString());

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith(file + " line 8: trunks[0].sources[0]: \"10.0.0/8\" is not a CIDR");
  }

  @Test
  void checkConfig_threeMistakes_printsAllThreeByLineAndExits2() {
    Path file = Path.of("src/test/resources/config/three-mistakes.yaml");

    int code = run("check-config", file.toString());

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines())
        .containsExactly(
            file + " line 6: next-hop.transprot: unknown key; expected one of address, transport",
            file
                + " line 10: trunks[0].sources[0]: \"10.0.0/8\" is not a CIDR; expected e.g."
                + " 192.0.2.0/24 or 2001:db8::/32",
            file
                + " line 12: thresholds.label: 90 is above the block threshold 80; expected at"
                + " most 80");
  }

  @Test
  void checkConfig_ruleThatCannotFire_exits0WithTheWarning() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(
        file,
        "listen:\n"
            + "  udp: 127.0.0.1:5060\n"
            + "next-hop:\n"
            + "  address: 127.0.0.1:5080\n"
            + "home-country: CH\n"
            + "rules:\n"
            + "  protected-number: {weight: 90}\n");

    int code = run("check-config", file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith(file + ": valid with 1 warning");
    assertThat(err.toString().lines())
        .containsExactly(
            file
                + " line 7: rules.protected-number: warning: rule protected-number can never fire:"
                + " lists.protected-numbers names no list; expected a list file there, or enabled:"
                + " false");
  }

  @Test
  void checkConfig_missingFile_exits2NamingIt() {
    Path file = dir.resolve("nowhere.yaml");

    assertThat(run("check-config", file.toString())).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains(file.toString()).contains("file not found");
  }

  @Test
  void run_badConfig_exits2() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "listen:\n  tpc: 127.0.0.1:5060\n");

    int code = run("run", "--config", file.toString());

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains(file + " line 2");
  }

  @Test
  void run_auditLogCannotBeOpened_exits1() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    // The audit log path is a directory: the proxy fails at start, before binding anything.
    Files.writeString(
        file,
        "listen:\n"
            + "  udp: 127.0.0.1:5060\n"
            + "next-hop:\n"
            + "  address: 127.0.0.1:5080\n"
            + "home-country: CH\n"
            + "audit-log: "
            + dir
            + "\n");

    int code = run("run", "--config", file.toString());

    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString()).startsWith("sipsentry: cannot open audit log " + dir);
  }

  @Test
  void run_badListenOverride_exits2() {
    int code = run("run", "--config", EXAMPLE.toString(), "--listen", "localhost");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("\"localhost\" is not host:port");
  }

  @Test
  void run_withoutConfig_exits2() {
    assertThat(run("run")).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("--config");
  }

  @Test
  void execute_unknownSubcommand_exits2() {
    assertThat(run("serve")).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString()).contains("serve");
  }

  @Test
  void execute_version_exits0() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).contains("SipSentry 0.1.0");
  }

  @Test
  void run_drainSecondsOutOfRange_exits2BeforeStarting() {
    int code = run("run", "--config", EXAMPLE.toString(), "--drain-seconds", "61");

    assertThat(code).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(err.toString())
        .contains("--drain-seconds: 61 is out of range; expected 0 to 60")
        .doesNotContain("ready");
  }

  int run(String... args) {
    return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
