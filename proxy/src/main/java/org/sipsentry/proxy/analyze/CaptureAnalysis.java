package org.sipsentry.proxy.analyze;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.VerificationSettings;
import org.sipsentry.proxy.core.Inbound;
import org.sipsentry.proxy.core.StatelessProxy;
import org.sipsentry.proxy.transport.SipTransports;
import org.sipsentry.sip.ParseResult;
import org.sipsentry.sip.SipCodec;
import org.sipsentry.sip.SipLimits;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.Via;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.X5uCertificates;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchListener;
import org.sipsentry.sip.wire.HeaderIndex;

/**
 * Replays the initial INVITEs of captures through the detector, offline: {@code sipsentry analyze}.
 *
 * <p>Each UDP datagram is one message and each TCP stream is framed as the proxy frames it ({@link
 * TcpStreams}); messages are parsed with the proxy's limits. An initial INVITE (no To tag) gets the
 * trunk its source address and transport match, becomes a {@link CallContext} through {@link
 * StatelessProxy#callContext} and goes to a detector built from the same settings, so the verdict
 * is the one the proxy would have logged. Its retransmissions (the proxy's transaction key) are
 * counted once. The detector's clock reads the INVITE's capture time, or {@code now} when given.
 *
 * <p>INVITEs the proxy answers itself before the detector (its own Via below the top one: a loop,
 * Max-Forwards 0, a Proxy-Require) are counted, not judged, as there. An INVITE whose top Via is
 * the proxy's own (its branch prefix and one of the config's listen addresses as sent-by) is one
 * the proxy forwarded, caught on its way to the next hop in a capture of both legs: it is counted
 * as forwarded, not judged, as it is no call of its own.
 *
 * <p>Single-threaded: one capture at a time, one INVITE at a time (a verdict that waits for a
 * certificate fetch is waited for).
 */
public final class CaptureAnalysis implements AutoCloseable {

  /** INVITE transactions remembered for spotting retransmissions (the proxy's own bound). */
  static final int MAX_TRANSACTIONS = 100_000;

  /** Where problems go: the capture, the packet number, what is wrong. */
  @FunctionalInterface
  public interface Problems {
    void problem(Path capture, long packet, String message);
  }

  /**
   * What a capture held.
   *
   * @param packets packet records read
   * @param sipMessages SIP messages parsed
   * @param invites initial INVITEs analysed (retransmissions not counted)
   * @param retransmissions initial INVITEs seen again and not analysed again
   * @param refused initial INVITEs the proxy answers before the detector (482, 483, 420)
   * @param fragments IP datagrams left incomplete: fragments missing from the capture
   * @param problems problems reported
   * @param forwarded initial INVITEs the proxy itself forwarded (its Via on top), not judged; their
   *     retransmissions not counted
   */
  public record Summary(
      long packets,
      long sipMessages,
      long invites,
      long retransmissions,
      long refused,
      long fragments,
      long problems,
      long forwarded) {

    /** The two summaries added up. */
    public Summary plus(Summary other) {
      return new Summary(
          packets + other.packets,
          sipMessages + other.sipMessages,
          invites + other.invites,
          retransmissions + other.retransmissions,
          refused + other.refused,
          fragments + other.fragments,
          problems + other.problems,
          forwarded + other.forwarded);
    }

    /** All zeros. */
    public static Summary empty() {
      return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  private final ProxySettings settings;
  private final Optional<Instant> now;
  private final Consumer<AnalysedCall> calls;
  private final Problems problems;
  private final CaptureClock clock = new CaptureClock();
  private final Detector detector;
  private final Optional<CertificateFetcher> fetcher;
  private final SipLimits limits;
  private final String udpSentBy;
  private final String tcpSentBy;
  private final LinkedHashSet<String> transactions = new LinkedHashSet<>();
  private IpFragments ipFragments = new IpFragments();
  private final java.util.Set<Integer> unknownLinkTypes = new java.util.HashSet<>();

  // Per capture.
  private Path capture;
  private long packets;
  private long sipMessages;
  private long invites;
  private long retransmissions;
  private long refused;
  private long forwarded;
  private long problemCount;

  private CaptureAnalysis(
      ProxySettings settings,
      Optional<Instant> now,
      Optional<CertificateSource> certificates,
      Optional<CertificateFetcher> fetcher,
      Consumer<AnalysedCall> calls,
      Problems problems) {
    this.settings = settings;
    this.now = now;
    this.calls = calls;
    this.problems = problems;
    this.fetcher = fetcher;
    this.limits = new SipLimits(settings.maxMessageBytes(), settings.maxHeaders());
    this.udpSentBy = SipTransports.sentBy(settings, Transport.UDP);
    this.tcpSentBy = SipTransports.sentBy(settings, Transport.TCP);
    Optional<StirVerifier> verifier =
        certificates.map(
            source ->
                new StirVerifier(settings.stir().orElseThrow().policy(), source, Es256.shared()));
    this.detector = Detector.of(settings.detector(), verifier, clock);
  }

  /**
   * An analysis under {@code settings}. When a trunk verifies STIR/SHAKEN, certificates come from
   * {@code certificates} ({@link DirectoryCertificates}) or, without it, are fetched as the proxy
   * fetches them.
   *
   * @param now the instant to judge every call at; empty for each INVITE's capture time
   * @param certificateDirectory serves x5u URLs from files; empty to fetch them
   * @param calls receives each analysed INVITE, in capture order
   * @param problems receives each problem found in a capture
   */
  public static CaptureAnalysis create(
      ProxySettings settings,
      Optional<Instant> now,
      Optional<Path> certificateDirectory,
      Consumer<AnalysedCall> calls,
      Problems problems) {
    Objects.requireNonNull(settings, "settings");
    if (!settings.detector().stirEnabled()) {
      return new CaptureAnalysis(
          settings, now, Optional.empty(), Optional.empty(), calls, problems);
    }
    VerificationSettings stir = settings.stir().orElseThrow();
    StiCertificateValidator validator =
        new StiCertificateValidator(stir.trustAnchors(), stir.revocationLists());
    if (certificateDirectory.isPresent()) {
      return new CaptureAnalysis(
          settings,
          now,
          Optional.of(new DirectoryCertificates(certificateDirectory.get(), validator)),
          Optional.empty(),
          calls,
          problems);
    }
    CertificateFetcher fetcher = new CertificateFetcher(stir.fetch(), FetchListener.NONE);
    return new CaptureAnalysis(
        settings,
        now,
        Optional.of(
            new X5uCertificates(
                fetcher, validator, VerificationSettings.MAX_VALIDATED_CERTIFICATES)),
        Optional.of(fetcher),
        calls,
        problems);
  }

  /**
   * Analyses one capture file.
   *
   * @throws CaptureFormatException when it is neither pcap nor pcapng
   * @throws IOException when it cannot be read
   */
  public Summary analyse(Path file) throws IOException, CaptureFormatException {
    capture = file;
    packets = 0;
    sipMessages = 0;
    invites = 0;
    retransmissions = 0;
    refused = 0;
    forwarded = 0;
    problemCount = 0;
    ipFragments = new IpFragments();
    unknownLinkTypes.clear();
    try (TcpStreams tcp = new TcpStreams(settings.maxMessageBytes(), this::message, this::tcpGap)) {
      packets =
          CaptureFile.read(
              file,
              new CaptureSink() {
                @Override
                public void frame(CapturedFrame frame) {
                  onFrame(frame, tcp);
                }

                @Override
                public void problem(long packet, String message) {
                  report(packet, message);
                }
              });
    }
    return new Summary(
        packets,
        sipMessages,
        invites,
        retransmissions,
        refused,
        ipFragments.incomplete(),
        problemCount,
        forwarded);
  }

  private void onFrame(CapturedFrame frame, TcpStreams tcp) {
    PacketDecoder.Result result = PacketDecoder.decode(frame, ipFragments);
    if (result instanceof PacketDecoder.Malformed malformed) {
      report(frame.number(), "undecodable packet: " + malformed.detail());
      return;
    }
    if (result instanceof PacketDecoder.Skipped skipped) {
      if (skipped.why() == PacketDecoder.Skip.LINK_TYPE && unknownLinkTypes.add(frame.linkType())) {
        // Once per link type: a capture of one is usually all of that type.
        report(frame.number(), skipped.detail() + "; its packets are skipped");
      }
      return;
    }
    Segment segment = ((PacketDecoder.Decoded) result).segment();
    if (frame.cut() && segment.payload().length > 0) {
      report(
          frame.number(),
          "captured "
              + frame.data().length
              + " of "
              + frame.originalLength()
              + " bytes (snap length): its message may be cut");
    }
    if (segment.transport() == Transport.UDP) {
      if (segment.payload().length > 0) {
        message(segment, segment.payload());
      }
    } else {
      tcp.segment(segment);
    }
  }

  private void tcpGap(Segment segment, String detail) {
    report(segment.packet(), detail);
  }

  private void message(Segment segment, byte[] bytes) {
    ParseResult result = SipCodec.parse(bytes, limits);
    if (result instanceof ParseResult.Rejected rejected) {
      // RTP, STUN and the like are not SIP and not a problem; an INVITE that does not parse is.
      HeaderIndex index = HeaderIndex.scan(bytes);
      if (index.looksLikeRequest() && index.startLine().startsWith("INVITE ")) {
        report(
            segment.packet(),
            "INVITE not parsed ("
                + rejected.defect()
                + ": "
                + rejected.detail()
                + "); the proxy would answer "
                + rejected.defect().statusCode());
      }
      return;
    }
    sipMessages++;
    SipMessage message = ((ParseResult.Parsed) result).message();
    if (!message.isRequest()
        || !"INVITE".equals(message.method())
        || !message.to().tag().isEmpty()) {
      return;
    }
    List<Via> vias = message.vias();
    if (isOwn(vias.get(0))) {
      // On its way from the proxy to the next hop: the call was judged when it arrived.
      if (remember(StatelessProxy.transactionKey(message))) {
        forwarded++;
      }
      return;
    }
    if (vias.stream().anyMatch(this::isOwn)
        || StatelessProxy.tooManyHops(message)
        || StatelessProxy.requiresExtension(message)) {
      // The proxy answers these itself (482, 483, 420) before the detector: no verdict, no audit
      // line.
      refused++;
      return;
    }
    if (!remember(StatelessProxy.transactionKey(message))) {
      retransmissions++;
      return;
    }
    invites++;
    Inbound from = new Inbound(segment.source(), segment.transport(), 0);
    CallContext call =
        StatelessProxy.callContext(message, from, StatelessProxy.trunkOf(settings, from));
    clock.set(now.orElse(segment.time()));
    calls.accept(new AnalysedCall(segment.packet(), segment.time(), call, inspect(segment, call)));
  }

  private Verdict inspect(Segment segment, CallContext call) {
    try {
      return detector.inspect(call).toCompletableFuture().join();
    } catch (RuntimeException e) {
      // As the proxy does when the detector fails: the call goes through unlabelled.
      report(segment.packet(), "detector failed on Call-ID " + call.callId() + ": " + e);
      return new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of());
    }
  }

  /** Whether {@code via} is one the proxy under these settings adds to what it forwards. */
  private boolean isOwn(Via via) {
    return StatelessProxy.isOwnVia(via, udpSentBy, tcpSentBy);
  }

  /** Whether {@code key} is new; remembers it, forgetting the oldest beyond the bound. */
  private boolean remember(String key) {
    if (!transactions.add(key)) {
      return false;
    }
    if (transactions.size() > MAX_TRANSACTIONS) {
      transactions.remove(transactions.iterator().next());
    }
    return true;
  }

  private void report(long packet, String message) {
    problemCount++;
    problems.problem(capture, packet, message);
  }

  @Override
  public void close() {
    fetcher.ifPresent(CertificateFetcher::close);
  }
}
