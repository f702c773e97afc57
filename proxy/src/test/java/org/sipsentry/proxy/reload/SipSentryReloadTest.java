package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.config.ConfigLoader;

/** {@link SipSentry#reload} on a real proxy bound to loopback. */
class SipSentryReloadTest {

  private static final Duration DEBOUNCE = Duration.ofMillis(200);

  @TempDir Path dir;

  @Test
  void reload_validThenBrokenFile_appliesTheFirstAndKeepsItOverTheSecond() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    int port = freeUdpPort();
    Files.writeString(file, config(port, "X-First"));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      assertThat(sentry.configFile()).contains(file);

      Files.writeString(file, config(port, "X-Second"));
      ReloadOutcome applied = sentry.reload();
      Files.writeString(file, config(port, "X Broken"));
      ReloadOutcome rejected = sentry.reload();

      assertThat(applied)
          .isEqualTo(
              new ReloadOutcome.Applied(
                  2, List.of("verdict-header X-First -> X-Second"), List.of()));
      assertThat(sentry.generation()).isEqualTo(2);
      assertThat(rejected).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(((ReloadOutcome.Rejected) rejected).error()).contains("verdict-header");
      assertThat(sentry.settings().verdictHeader()).isEqualTo("X-Second");
      assertThat(sentry.udpAddress()).contains(new InetSocketAddress("127.0.0.1", port));
      assertThat(sentry.stats().get("config.reload.ok")).isEqualTo(1);
      assertThat(sentry.stats().get("config.reload.failed")).isEqualTo(1);
    }
  }

  @Test
  void watchFiles_listFileEdited_reloadsAndFollowsANewListFileNamedByTheConfig() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Path bank = Files.writeString(dir.resolve("bank.txt"), "+41446681800\n");
    int port = freeUdpPort();
    Files.writeString(file, config(port, "X-First") + lists("bank.txt"));
    try (SipSentry sentry = SipSentry.start(file, UnaryOperator.identity())) {
      sentry.watchFiles(DEBOUNCE);
      assertThat(sentry.watchedFiles()).containsExactly(file, bank.toAbsolutePath());

      // A list file replaced the way editors save: reloaded as the config file would be.
      Path temporary = Files.writeString(dir.resolve(".bank.txt.swp"), "+41446681801\n");
      Files.move(
          temporary, bank, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await().atMost(Duration.ofSeconds(10)).until(() -> sentry.generation() == 2);

      // The config now names another list file in another folder: that one is watched too.
      Path folder = Files.createDirectory(dir.resolve("lists"));
      Path deny = Files.writeString(folder.resolve("deny.txt"), "+41446681802\n");
      Files.writeString(
          file,
          config(port, "X-First")
              + lists("bank.txt")
              + "  deny:\n    numbers:\n"
              + "      - file: lists/deny.txt\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> sentry.generation() == 3);
      assertThat(sentry.watchedFiles())
          .containsExactly(file, bank.toAbsolutePath(), deny.toAbsolutePath());
      Files.writeString(deny, "+41446681803\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> sentry.generation() == 4);

      // A bad line: refused, counted, the running configuration stays.
      Files.writeString(deny, "+41446681803\nnot-a-number\n");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sentry.stats().get("config.reload.failed") == 1);
      assertThat(sentry.generation()).isEqualTo(4);
      ReloadOutcome again = sentry.reload();
      assertThat(((ReloadOutcome.Rejected) again).error()).contains(deny + " line 2: ");
      assertThat(sentry.stats().get("config.reload.ok")).isEqualTo(3);
    }
  }

  @Test
  void reload_startedFromSettings_isRejectedAndCounted() throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(file, config(freeUdpPort(), "X-First"));
    try (SipSentry sentry = SipSentry.start(ConfigLoader.load(file))) {
      ReloadOutcome outcome = sentry.reload();

      assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(sentry.configFile()).isEmpty();
      assertThat(sentry.stats().get("config.reload.failed")).isEqualTo(1);
    }
  }

  private static String lists(String protectedNumbers) {
    return "lists:\n  protected-numbers:\n    - file: " + protectedNumbers + "\n";
  }

  private String config(int port, String verdictHeader) {
    return "listen:\n"
        + "  udp: 127.0.0.1:"
        + port
        + "\n"
        + "next-hop:\n"
        + "  address: 127.0.0.1:5080\n"
        + "home-country: CH\n"
        + "verdict-header: "
        + verdictHeader
        + "\n"
        + "audit-log: "
        + dir.resolve("audit.jsonl")
        + "\n";
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return socket.getLocalPort();
    }
  }
}
