package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.config.ConfigException;
import org.sipsentry.proxy.config.ConfigLoader;
import org.sipsentry.proxy.core.Inbound;
import org.sipsentry.sip.Transport;

class RunningConfigTest {

  private static final Inbound FROM =
      new Inbound(new InetSocketAddress("127.0.0.1", 5070), Transport.UDP, 0);

  @TempDir Path dir;

  private final Recording first = new Recording("first");
  private final Recording second = new Recording("second");
  private final List<String> handled = new ArrayList<>();

  @Test
  void swap_inviteOfNewTransaction_goesToNewGeneration() {
    try (RunningConfig running = new RunningConfig(first.generation())) {
      running.swap(second.generation());

      deliver(running, request("INVITE", "b1", "call-1"));

      assertThat(handled).containsExactly("second INVITE");
      assertThat(running.current().settings()).isSameAs(second.settings);
    }
  }

  @Test
  void swap_retransmissionCancelAndAckOfEarlierInvite_stayWithItsGeneration() {
    try (RunningConfig running = new RunningConfig(first.generation())) {
      deliver(running, request("INVITE", "b1", "call-1"));
      running.swap(second.generation());

      deliver(running, request("INVITE", "b1", "call-1"));
      deliver(running, request("CANCEL", "b1", "call-1"));
      deliver(running, request("ACK", "b1", "call-1"));

      assertThat(handled)
          .containsExactly("first INVITE", "first INVITE", "first CANCEL", "first ACK");
    }
  }

  @Test
  void swap_sameBranchOnAnotherCall_isANewTransaction() {
    try (RunningConfig running = new RunningConfig(first.generation())) {
      deliver(running, request("INVITE", "b1", "call-1"));
      running.swap(second.generation());

      deliver(running, request("INVITE", "b1", "call-2"));
      deliver(running, request("ACK", "b1", "call-2"));

      assertThat(handled).containsExactly("first INVITE", "second INVITE", "second ACK");
    }
  }

  @Test
  void swap_inDialogRequestsAndResponsesOfEarlierCall_goToCurrentGeneration() {
    try (RunningConfig running = new RunningConfig(first.generation())) {
      deliver(running, request("INVITE", "b1", "call-1"));
      running.swap(second.generation());

      deliver(running, request("BYE", "b2", "call-1"));
      deliver(running, response("b1", "call-1"));

      assertThat(handled).containsExactly("first INVITE", "second BYE", "second SIP/2.0");
    }
  }

  @Test
  void onMessage_unscannableInvite_goesToCurrentGeneration() {
    try (RunningConfig running = new RunningConfig(first.generation())) {
      running.swap(second.generation());

      deliver(running, "INVITE sip:x@y SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(handled).containsExactly("second INVITE");
    }
  }

  @Test
  void close_releasesEveryGenerationOnce() {
    RunningConfig running = new RunningConfig(first.generation());
    running.swap(second.generation());

    running.close();

    assertThat(first.released).hasValue(1);
    assertThat(second.released).hasValue(1);
  }

  @Test
  void transactionKey_compactViaAndSeveralViasOnALine_usesTopVia() {
    byte[] full = request("INVITE", "b1", "call-1");
    byte[] compact =
        ("CANCEL sip:bob@example.com SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-b1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-x\r\n"
                + "i: call-1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    assertThat(RunningConfig.transactionKey(compact)).isPresent();
    assertThat(RunningConfig.transactionKey(compact)).isEqualTo(RunningConfig.transactionKey(full));
  }

  private void deliver(RunningConfig running, byte[] message) {
    running.onMessage(message, FROM, ImmediateEventExecutor.INSTANCE);
  }

  private static byte[] request(String method, String branch, String callId) {
    return (method
            + " sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-"
            + branch
            + "\r\n"
            + "From: <sip:alice@example.com>;tag=a\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: 1 "
            + method
            + "\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] response(String branch, String callId) {
    return ("SIP/2.0 180 Ringing\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-"
            + branch
            + "\r\n"
            + "Call-ID: "
            + callId
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A generation that notes each message it handles, by its own name and the first word. */
  private final class Recording {
    final String name;
    ProxySettings settings;
    final AtomicInteger released = new AtomicInteger();

    Recording(String name) {
      this.name = name;
    }

    Generation generation() {
      settings = settings();
      return new Generation(
          settings,
          (message, from, eventLoop) -> {
            String text = new String(message, StandardCharsets.US_ASCII);
            handled.add(name + " " + text.substring(0, text.indexOf(' ')));
          },
          released::incrementAndGet);
    }
  }

  private ProxySettings settings() {
    try {
      Path file = Files.writeString(dir.resolve("sipsentry.yaml"), ReloaderTest.yaml(30, 70, ""));
      return ConfigLoader.load(file);
    } catch (IOException | ConfigException e) {
      throw new AssertionError(e);
    }
  }
}
