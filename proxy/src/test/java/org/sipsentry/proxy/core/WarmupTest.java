package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.SipSentry;
import org.sipsentry.proxy.config.ConfigLoader;
import org.slf4j.LoggerFactory;

/** The warm-up warms the code, not the detector: it leaves no state and logs no false alarm. */
class WarmupTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger warmupLog = (Logger) LoggerFactory.getLogger(Warmup.class);

  @BeforeEach
  void captureLog() {
    logged.start();
    warmupLog.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    warmupLog.detachAppender(logged);
  }

  @Test
  void run_callerOnADoNotOriginateList_logsNoError() throws Exception {
    // An operator's list may hold any number, the warm-up's own too: its calls are then blocked,
    // which is the policy working, not a bug of ours.
    Files.writeString(dir.resolve("dno.txt"), Warmup.CALLERS + "*\n" + Warmup.ASSERTED + "*\n");
    ProxySettings settings =
        ConfigLoader.load(
            config(
                """
                lists:
                  protected-numbers:
                    - file: dno.txt
                """));

    int calls = Warmup.run(settings, Duration.ofSeconds(30));

    assertThat(calls).isPositive();
    assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.ERROR);
  }

  @Test
  void realCallAfterStart_fromTheWarmupCaller_isNotRateExceeded() throws Exception {
    // One call per caller per minute: a single warm-up call counted by the real detector would
    // make this first real call from the same number rate-exceeded, and labelled.
    try (DatagramSocket caller = new DatagramSocket(0, LOOPBACK);
        DatagramSocket nextHop = new DatagramSocket(0, LOOPBACK)) {
      nextHop.setSoTimeout(10_000);
      int port;
      try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
        port = probe.getLocalPort();
      }
      ProxySettings settings = ConfigLoader.load(withListen(port, nextHop.getLocalPort()));
      try (SipSentry sentry = SipSentry.start(settings)) {
        InetSocketAddress proxy = new InetSocketAddress(LOOPBACK, port);

        String first = relay(caller, invite(caller.getLocalPort(), "1"), proxy, nextHop);
        // The limit is live: the same caller's second call is over it.
        String second = relay(caller, invite(caller.getLocalPort(), "2"), proxy, nextHop);

        assertThat(first).startsWith("INVITE ").doesNotContain("X-SipSentry-Verdict");
        assertThat(second).contains("X-SipSentry-Verdict: label;score=50;reasons=rate-exceeded");
        await().atMost(Duration.ofSeconds(10)).until(() -> sentry.stats().get("invite.allow") == 1);
      }
    }
  }

  private Path config(String extra) throws Exception {
    return config(extra, 5060, 5080);
  }

  private Path config(String extra, int port, int nextHopPort) throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(
        file,
        """
        listen:
          udp: 127.0.0.1:%d
        next-hop:
          address: 127.0.0.1:%d
        home-country: CH
        audit-log: %s
        %s"""
            .formatted(port, nextHopPort, dir.resolve("audit.jsonl"), extra));
    return file;
  }

  private Path withListen(int port, int nextHopPort) throws Exception {
    return config(
        """
        rate: {window: 60s, per-caller: 1, per-source: 0}
        thresholds: {label: 1, block: 100}
        """,
        port,
        nextHopPort);
  }

  private static String relay(
      DatagramSocket caller, String message, InetSocketAddress proxy, DatagramSocket nextHop)
      throws Exception {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    caller.send(new DatagramPacket(bytes, bytes.length, proxy));
    DatagramPacket forwarded = new DatagramPacket(new byte[65_536], 65_536);
    nextHop.receive(forwarded);
    return new String(forwarded.getData(), 0, forwarded.getLength(), StandardCharsets.UTF_8);
  }

  private static String invite(int callerPort, String id) {
    return """
        INVITE sip:+41446681801@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-real%3$s;rport
        From: <sip:%2$s@127.0.0.1;user=phone>;tag=r%3$s
        To: <sip:+41446681801@127.0.0.1;user=phone>
        Call-ID: real-%3$s@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:real@127.0.0.1:%1$d>
        Max-Forwards: 70
        Content-Length: 0

        """
        .formatted(callerPort, Warmup.CALLERS + "123", id)
        .replace("\n", "\r\n");
  }
}
