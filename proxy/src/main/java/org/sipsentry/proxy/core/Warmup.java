package org.sipsentry.proxy.core;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.sipsentry.detector.Detector;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.sip.Transport;

/**
 * Runs a few thousand calls' worth of messages through a throw-away proxy before the listeners
 * open, so that the first real calls do not wait for class loading and the interpreter.
 *
 * <p>Measured on a cold JVM: the first JAIN-SIP parse takes ~190 ms (class loading), the first
 * libphonenumber parse ~80 ms, and the next thousand parses ~0.4 ms each until the JIT compiles
 * them. At 100 calls/s that stalled the event loop for over half a second, long enough for UAC
 * retransmissions (T1 = 500 ms) of the first calls. See docs/PERFORMANCE.md.
 */
public final class Warmup {

  /** Enough for the JIT to compile the parse and edit paths (C1 at least). */
  private static final int CALLS = 2_000;

  /** A synthetic sent-by (RFC 5737 documentation address) so our Vias are recognised. */
  private static final String SENT_BY = "192.0.2.1:5060";

  private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.2", 5060);

  private Warmup() {}

  /**
   * Drives {@code detector} and a proxy built from {@code settings} with synthetic calls (with and
   * without P-Asserted-Identity, responses, ACK and BYE), sending nothing and writing no audit
   * record, for at most {@code budget}.
   *
   * @return how many calls it ran
   */
  public static int run(ProxySettings settings, Detector detector, Duration budget) {
    StatelessProxy proxy =
        new StatelessProxy(
            settings,
            PEER,
            detector,
            new Discard(),
            record -> {},
            new ProxyStats(),
            Clock.systemUTC());
    long deadline = System.nanoTime() + budget.toNanos();
    Inbound from = new Inbound(PEER, Transport.UDP, 0);
    int calls = 0;
    while (calls < CALLS && System.nanoTime() < deadline) {
      String id = Integer.toString(calls);
      String pai = calls % 2 == 0 ? "P-Asserted-Identity: <sip:+41791234567@192.0.2.2>\r\n" : "";
      String callerNumber = calls % 3 == 0 ? "+41446681800" : "0446681800";
      proxy.onMessage(invite(id, callerNumber, pai), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(response(id, "180 Ringing", "INVITE"), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(response(id, "200 OK", "INVITE"), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(inDialog(id, "ACK", 1), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(inDialog(id, "BYE", 2), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(response(id, "200 OK", "BYE"), from, ImmediateEventExecutor.INSTANCE);
      calls++;
    }
    return calls;
  }

  private static byte[] invite(String id, String callerNumber, String pai) {
    return ("INVITE sip:+41446681801@192.0.2.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w"
            + id
            + "\r\n"
            + "From: \"Warm\" <sip:"
            + callerNumber
            + "@192.0.2.2;user=phone>;tag=w"
            + id
            + "\r\n"
            + "To: <sip:+41446681801@192.0.2.1;user=phone>\r\n"
            + "Call-ID: warmup-"
            + id
            + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + pai
            + "Contact: <sip:warm@192.0.2.2:5060>\r\n"
            + "Max-Forwards: 70\r\n"
            + "User-Agent: SipSentry warm-up\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] inDialog(String id, String method, int cseq) {
    return (method
            + " sip:warm@192.0.2.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w"
            + method
            + id
            + "\r\n"
            + "From: <sip:+41446681800@192.0.2.2>;tag=w"
            + id
            + "\r\n"
            + "To: <sip:+41446681801@192.0.2.1>;tag=u"
            + id
            + "\r\n"
            + "Call-ID: warmup-"
            + id
            + "\r\n"
            + "CSeq: "
            + cseq
            + " "
            + method
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] response(String id, String status, String method) {
    return ("SIP/2.0 "
            + status
            + "\r\n"
            + "Via: SIP/2.0/UDP "
            + SENT_BY
            + ";branch="
            + Branches.PREFIX
            + "w"
            + id
            + ", SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w"
            + id
            + "\r\n"
            + "From: <sip:+41446681800@192.0.2.2>;tag=w"
            + id
            + "\r\n"
            + "To: <sip:+41446681801@192.0.2.1>;tag=u"
            + id
            + "\r\n"
            + "Call-ID: warmup-"
            + id
            + "\r\n"
            + "CSeq: 1 "
            + method
            + "\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Sends nothing; claims the synthetic sent-by for both transports. */
  private static final class Discard implements Outbound {
    @Override
    public void send(
        Transport transport,
        InetSocketAddress destination,
        long connectionId,
        byte[] message,
        Runnable undeliverable) {}

    @Override
    public String sentBy(Transport transport) {
      return SENT_BY;
    }
  }
}
