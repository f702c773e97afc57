package org.sipsentry.proxy.core;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Trunk;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.sip.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few thousand calls' worth of messages through a throw-away proxy before the listeners
 * open, so that the first real calls do not wait for class loading and the interpreter.
 *
 * <p>Measured on a cold JVM: the first JAIN-SIP parse takes ~190 ms (class loading), the first
 * libphonenumber parse ~80 ms, and the next thousand parses ~0.4 ms each until the JIT compiles
 * them. At 100 calls/s that stalled the event loop for over half a second, long enough for UAC
 * retransmissions (T1 = 500 ms) of the first calls. See docs/PERFORMANCE.md.
 *
 * <p>The warm-up leaves no trace: it judges its calls with a detector of its own, thrown away
 * afterwards, so the real detector's rate counters and replay guard start empty (a warm-up caller
 * counted 2,000 times would be rate-exceeded on its first real call). Its numbers are from ranges
 * reserved for fiction (Ofcom's drama numbers), so that no operator list is likely to hold them.
 */
public final class Warmup {

  /** Enough for the JIT to compile the parse and edit paths (C1 at least). */
  private static final int CALLS = 2_000;

  /** A synthetic sent-by (RFC 5737 documentation address) so our Vias are recognised. */
  private static final String SENT_BY = "192.0.2.1:5060";

  private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.2", 5060);

  /**
   * The warm-up calls' From numbers: this and three more digits, Ofcom's London drama range +44 20
   * 7946 0000..0999. A thousand callers, so that even a tight rate limit leaves most calls alone.
   */
  static final String CALLERS = "+442079460";

  /** The P-Asserted-Identity numbers likewise: Ofcom's mobile drama range +44 7700 900000..999. */
  static final String ASSERTED = "+447700900";

  private static final Logger log = LoggerFactory.getLogger(Warmup.class);

  private Warmup() {}

  /**
   * Drives a throw-away detector and proxy built from {@code settings} with synthetic calls (with
   * and without P-Asserted-Identity, responses, ACK and BYE), sending nothing and writing no audit
   * record, for at most {@code budget}. The detector the proxy will use is not involved.
   *
   * @return how many calls it ran
   */
  public static int run(ProxySettings settings, Duration budget) {
    ProxySettings unverified = withoutStir(settings);
    Detector detector = Detector.of(unverified.detector());
    ProxyStats stats = new ProxyStats();
    StatelessProxy proxy =
        new StatelessProxy(
            unverified, PEER, detector, new Discard(), record -> true, stats, Clock.systemUTC());
    long deadline = System.nanoTime() + budget.toNanos();
    Inbound from = new Inbound(PEER, Transport.UDP, 0);
    int calls = 0;
    while (calls < CALLS && System.nanoTime() < deadline) {
      String id = Integer.toString(calls);
      String line = "%03d".formatted(calls % 1000);
      String pai =
          calls % 2 == 0 ? "P-Asserted-Identity: <sip:" + ASSERTED + line + "@192.0.2.2>\n" : "";
      proxy.onMessage(invite(id, CALLERS + line, pai), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(
          response(id, "180 Ringing", "INVITE", 1), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(response(id, "200 OK", "INVITE", 1), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(inDialog(id, "ACK", 1), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(inDialog(id, "BYE", 2), from, ImmediateEventExecutor.INSTANCE);
      proxy.onMessage(response(id, "200 OK", "BYE", 2), from, ImmediateEventExecutor.INSTANCE);
      calls++;
    }
    // Every synthetic message is well-formed and routable: anything else is our bug. An INVITE
    // the operator's policy blocks (its lists may hold any number) is answered, not forwarded.
    long expected = 6L * calls - stats.get("invite.block");
    long forwarded = stats.get("forwarded.request") + stats.get("forwarded.response");
    if (forwarded != expected) {
      log.error("warm-up forwarded {} of {} messages; counters {}", forwarded, expected, stats);
    } else if (stats.get("invite.block") > 0) {
      log.info("warm-up: the policy blocked {} of its {} calls", stats.get("invite.block"), calls);
    }
    return calls;
  }

  /**
   * {@code settings} with STIR/SHAKEN verification off on every trunk: the synthetic calls carry no
   * Identity header, and a verifier would own a certificate fetcher for nothing.
   */
  private static ProxySettings withoutStir(ProxySettings settings) {
    DetectorSettings detector = settings.detector();
    List<Trunk> trunks = detector.trunks().stream().map(Trunk::withoutStir).toList();
    return settings.toBuilder()
        .detector(detector.withTrunks(trunks))
        .stir(java.util.Optional.empty())
        .build();
  }

  private static byte[] invite(String id, String callerNumber, String pai) {
    return wire(
        """
        INVITE sip:+41446681801@192.0.2.1 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w%1$s
        From: "Warm" <sip:%2$s@192.0.2.2;user=phone>;tag=w%1$s
        To: <sip:+41446681801@192.0.2.1;user=phone>
        Call-ID: warmup-%1$s
        CSeq: 1 INVITE
        %3$sContact: <sip:warm@192.0.2.2:5060>
        Max-Forwards: 70
        User-Agent: SipSentry warm-up
        Content-Length: 0

        """
            .formatted(id, callerNumber, pai));
  }

  private static byte[] inDialog(String id, String method, int cseq) {
    return wire(
        """
        %2$s sip:warm@192.0.2.1 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w%2$s%1$s
        From: <sip:%4$s@192.0.2.2>;tag=w%1$s
        To: <sip:+41446681801@192.0.2.1>;tag=u%1$s
        Call-ID: warmup-%1$s
        CSeq: %3$d %2$s
        Max-Forwards: 70
        Content-Length: 0

        """
            .formatted(id, method, cseq, CALLERS + "000"));
  }

  private static byte[] response(String id, String status, String method, int cseq) {
    return wire(
        """
        SIP/2.0 %2$s
        Via: SIP/2.0/UDP %5$s;branch=%6$sw%1$s, SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-w%1$s
        From: <sip:%7$s@192.0.2.2>;tag=w%1$s
        To: <sip:+41446681801@192.0.2.1>;tag=u%1$s
        Call-ID: warmup-%1$s
        CSeq: %4$d %3$s
        Content-Length: 0

        """
            .formatted(id, status, method, cseq, SENT_BY, Branches.PREFIX, CALLERS + "000"));
  }

  /** A text block's LF line ends as SIP's CRLF (RFC 3261 §7). */
  private static byte[] wire(String message) {
    return message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
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
