package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.config.ConfigLoader;

/** {@link SipSentry#reload} on a real proxy bound to loopback. */
class SipSentryReloadTest {

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

      assertThat(applied).isEqualTo(new ReloadOutcome.Applied(List.of()));
      assertThat(rejected).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(((ReloadOutcome.Rejected) rejected).error()).contains("verdict-header");
      assertThat(sentry.settings().verdictHeader()).isEqualTo("X-Second");
      assertThat(sentry.udpAddress()).contains(new InetSocketAddress("127.0.0.1", port));
      assertThat(sentry.stats().get("config.reload.ok")).isEqualTo(1);
      assertThat(sentry.stats().get("config.reload.failed")).isEqualTo(1);
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
