package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.audit.AuditRecord;
import org.sipsentry.sip.ParseResult;
import org.sipsentry.sip.SipCodec;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.Via;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.SipResponses;

class StatelessProxyTest {

  /** Our own sent-by, for both transports. */
  static final String SENT_BY = "192.0.2.10:5060";

  static final InetSocketAddress NEXT_HOP = new InetSocketAddress("192.0.2.20", 5080);

  /** A caller on the untrusted default trunk; its Via says port 5062, its socket 40000. */
  static final InetSocketAddress CALLER = new InetSocketAddress("198.51.100.7", 40000);

  /** A source inside the trusted "carrier" trunk. */
  static final InetSocketAddress CARRIER = new InetSocketAddress("203.0.113.5", 5060);

  static final Inbound FROM_CALLER = new Inbound(CALLER, Transport.UDP, 0);

  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  static final String VERDICT_HEADER = "X-SipSentry-Verdict";

  /** Anonymous callers are blocked with a response of the rule's own. */
  static final SipStatus ANONYMITY_DISALLOWED = new SipStatus(433, "Anonymity Disallowed");

  static final String BODY = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\n";

  static final String INVITE_HEAD =
      "INVITE sip:+41446681801@192.0.2.10;user=phone SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n"
          + "To: <sip:+41446681801@192.0.2.10;user=phone>\r\n"
          + "Call-ID: call-1@198.51.100.7\r\n"
          + "CSeq: 1 INVITE\r\n"
          + "Contact: <sip:alice@198.51.100.7:5062>\r\n"
          + "X-Custom:   kept  as   is \r\n"
          + "Content-Type: application/sdp\r\n";

  static final String INVITE = withBody(INVITE_HEAD, BODY);

  static final String ACK =
      "ACK sip:+41446681801@192.0.2.10;user=phone SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n"
          + "To: <sip:+41446681801@192.0.2.10;user=phone>;tag=sSx\r\n"
          + "Call-ID: call-1@198.51.100.7\r\n"
          + "CSeq: 1 ACK\r\n"
          + "Content-Length: 0\r\n\r\n";

  static final String CANCEL =
      "CANCEL sip:+41446681801@192.0.2.10;user=phone SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n"
          + "To: <sip:+41446681801@192.0.2.10;user=phone>\r\n"
          + "Call-ID: call-1@198.51.100.7\r\n"
          + "CSeq: 1 CANCEL\r\n"
          + "Content-Length: 0\r\n\r\n";

  static final String OPTIONS =
      "OPTIONS sip:192.0.2.10 SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-o1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: <sip:probe@198.51.100.7>;tag=o1\r\n"
          + "To: <sip:192.0.2.10>\r\n"
          + "Call-ID: options-1@198.51.100.7\r\n"
          + "CSeq: 7 OPTIONS\r\n"
          + "Content-Length: 0\r\n\r\n";

  final RecordingOutbound outbound = new RecordingOutbound();
  final List<AuditRecord> audit = new ArrayList<>();
  final ProxyStats stats = new ProxyStats();
  final CountingDetector detector = new CountingDetector(Detector.of(detectorSettings()));
  final StatelessProxy proxy = proxy(detector);

  // --- forwarding ------------------------------------------------------------------------------

  @Test
  void onMessage_invite_forwardedToNextHopWithOurViaOnTop() {
    receive(INVITE);

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.UDP);
    assertThat(sent.destination()).isEqualTo(NEXT_HOP);
    assertThat(sent.connectionId()).isZero();
    List<Via> vias = parse(sent).vias();
    assertThat(vias).hasSize(2);
    assertThat(vias.get(0).transport()).isEqualTo("UDP");
    assertThat(vias.get(0).sentBy()).isEqualTo(SENT_BY);
    assertThat(vias.get(0).branch()).matches("z9hG4bK-sS-[0-9a-f]{24}");
    assertThat(vias.get(1).sentBy()).isEqualTo("198.51.100.7:5062");
    assertThat(vias.get(1).branch()).isEqualTo("z9hG4bK-c1");
    assertThat(stats.get("forwarded.request")).isEqualTo(1);
  }

  @Test
  void onMessage_invite_onlyViaAndMaxForwardsChangeBodyAndOtherHeadersByteIdentical() {
    receive(INVITE);

    Sent sent = outbound.only();
    String branch = parse(sent).vias().get(0).branch();
    String expected =
        INVITE
            .replace(
                "Via: SIP/2.0/UDP 198.51.100.7",
                "Via: SIP/2.0/UDP "
                    + SENT_BY
                    + ";branch="
                    + branch
                    + "\r\n"
                    + "Via: SIP/2.0/UDP 198.51.100.7")
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 69\r\n");
    assertThat(sent.text()).isEqualTo(expected);
  }

  @Test
  void onMessage_noMaxForwards_inserts70() {
    receive(INVITE.replace("Max-Forwards: 70\r\n", ""));

    assertThat(parse(outbound.only()).maxForwards()).hasValue(70);
  }

  @Test
  void onMessage_maxForwardsOne_forwardsWithZero() {
    receive(OPTIONS.replace("Max-Forwards: 70", "Max-Forwards: 1"));

    assertThat(parse(outbound.only()).maxForwards()).hasValue(0);
  }

  @Test
  void onMessage_retransmittedInviteAndItsCancel_getTheSameBranch() {
    receive(INVITE);
    receive(INVITE);
    receive(CANCEL);
    receive(INVITE.replace("branch=z9hG4bK-c1", "branch=z9hG4bK-c2"));

    assertThat(outbound.sent).hasSize(4);
    List<String> branches =
        outbound.sent.stream().map(sent -> parse(sent).vias().get(0).branch()).toList();
    assertThat(branches.get(1)).isEqualTo(branches.get(0));
    assertThat(branches.get(2)).isEqualTo(branches.get(0));
    assertThat(branches.get(3)).isNotEqualTo(branches.get(0)).startsWith(Branches.PREFIX);
    assertThat(parse(outbound.sent.get(2)).method()).isEqualTo("CANCEL");
  }

  @Test
  void onMessage_sentByIsAHostName_addsReceivedAndFillsRport() {
    receive(INVITE.replace("198.51.100.7:5062;branch", "client.example.com:5062;rport;branch"));

    Via caller = parse(outbound.only()).vias().get(1);
    assertThat(caller.received()).hasValue("198.51.100.7");
    assertThat(caller.rport()).hasValue(40000);
    assertThat(caller.parameters()).containsKeys("branch", "received", "rport");
  }

  @Test
  void onMessage_sentByIsTheSourceAddress_addsNoReceived() {
    receive(INVITE);

    Via caller = parse(outbound.only()).vias().get(1);
    assertThat(caller.parameters()).containsOnlyKeys("branch");
  }

  @Test
  void onMessage_rportWithoutReceived_fillsRportOnly() {
    receive(INVITE.replace(";branch=z9hG4bK-c1", ";rport;branch=z9hG4bK-c1"));

    Via caller = parse(outbound.only()).vias().get(1);
    assertThat(caller.received()).isEmpty();
    assertThat(caller.rport()).hasValue(40000);
  }

  @Test
  void onMessage_inDialogInvite_forwardedWithoutAskingTheDetector() {
    receive(INVITE.replace("user=phone>\r\nCall-ID", "user=phone>;tag=t9\r\nCall-ID"));

    assertThat(outbound.only().destination()).isEqualTo(NEXT_HOP);
    assertThat(detector.calls).hasValue(0);
    assertThat(audit).isEmpty();
  }

  @Test
  void onMessage_requestOverTcp_ourViaNamesTheConnection() {
    Inbound overTcp = new Inbound(CALLER, Transport.TCP, 42);

    receive(tcp(INVITE), overTcp);

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.TCP);
    assertThat(sent.destination()).isEqualTo(NEXT_HOP);
    assertThat(sent.connectionId()).isZero();
    Via ours = parse(sent).vias().get(0);
    assertThat(ours.transport()).isEqualTo("TCP");
    assertThat(ours.parameters()).containsEntry("i", "42");
  }

  @Test
  void onMessage_nextHopTransportConfigured_forwardsOverIt() {
    StatelessProxy overTcp =
        new StatelessProxy(
            settings(Optional.of(Transport.TCP)),
            NEXT_HOP,
            detector,
            outbound,
            audit::add,
            stats,
            Clock.fixed(NOW, ZoneOffset.UTC));

    overTcp.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.TCP);
    Via ours = parse(sent).vias().get(0);
    assertThat(ours.transport()).isEqualTo("TCP");
    assertThat(ours.parameters()).doesNotContainKey("i");
  }

  // --- requests answered by the proxy ----------------------------------------------------------

  @Test
  void onMessage_maxForwardsZero_answers483ToTheViaPort() {
    receive(INVITE.replace("Max-Forwards: 70", "Max-Forwards: 0"));

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    SipMessage response = parse(sent);
    assertThat(response.statusCode()).isEqualTo(483);
    assertThat(response.reasonPhrase()).isEqualTo("Too Many Hops");
    assertThat(response.to().tag()).isNotEmpty();
    assertThat(detector.calls).hasValue(0);
    assertThat(stats.get("rejected.too_many_hops")).isEqualTo(1);
  }

  @Test
  void onMessage_maxForwardsZeroWithRport_answers483ToTheSourcePort() {
    receive(
        INVITE
            .replace("Max-Forwards: 70", "Max-Forwards: 0")
            .replace(";branch=z9hG4bK-c1", ";rport;branch=z9hG4bK-c1"));

    assertThat(outbound.only().destination()).isEqualTo(CALLER);
  }

  @Test
  void onMessage_viaWithoutPort_answersToPort5060() {
    receive(
        INVITE
            .replace("Max-Forwards: 70", "Max-Forwards: 0")
            .replace("198.51.100.7:5062;branch", "198.51.100.7;branch"));

    assertThat(outbound.only().destination())
        .isEqualTo(new InetSocketAddress("198.51.100.7", 5060));
  }

  @Test
  void onMessage_maxForwardsZeroOverTcp_answersOnTheConnection() {
    receive(tcp(INVITE).replace("Max-Forwards: 70", "Max-Forwards: 0"), tcpFrom(CALLER, 42));

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.TCP);
    assertThat(sent.destination()).isEqualTo(CALLER);
    assertThat(sent.connectionId()).isEqualTo(42);
    assertThat(parse(sent).statusCode()).isEqualTo(483);
  }

  @Test
  void onMessage_ackWithMaxForwardsZero_notAnswered() {
    receive(ACK.replace("Max-Forwards: 70", "Max-Forwards: 0"));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("rejected.too_many_hops")).isEqualTo(1);
  }

  @Test
  void onMessage_ourOwnViaInTheRequest_answers482() {
    String looped =
        INVITE.replace(
            "Via: SIP/2.0/UDP 198.51.100.7",
            "Via: SIP/2.0/UDP 198.51.100.9:5060;branch=z9hG4bK-up\r\n"
                + "Via: SIP/2.0/UDP "
                + SENT_BY
                + ";branch=z9hG4bK-sS-0123456789abcdef01234567\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.7");

    receive(looped);

    SipMessage response = parse(outbound.only());
    assertThat(response.statusCode()).isEqualTo(482);
    assertThat(response.reasonPhrase()).isEqualTo("Loop Detected");
    assertThat(response.vias()).hasSize(3);
    assertThat(stats.get("rejected.loop")).isEqualTo(1);
    assertThat(detector.calls).hasValue(0);
  }

  @Test
  void onMessage_ourBranchPrefixButAnotherSentBy_isNoLoop() {
    receive(
        INVITE.replace(
            "Via: SIP/2.0/UDP 198.51.100.7",
            "Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bK-sS-0123456789abcdef01234567\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.7"));

    assertThat(outbound.only().destination()).isEqualTo(NEXT_HOP);
  }

  @Test
  void onMessage_proxyRequire_answers420WithUnsupported() {
    receive(OPTIONS.replace("Content-Length", "Proxy-Require: foo\r\nContent-Length"));

    Sent sent = outbound.only();
    SipMessage response = parse(sent);
    assertThat(response.statusCode()).isEqualTo(420);
    assertThat(response.header("Unsupported")).hasValue("foo");
    assertThat(response.header("Server")).hasValue("SipSentry");
    assertThat(stats.get("rejected.bad_extension")).isEqualTo(1);
  }

  // --- trust boundary and verdict header -------------------------------------------------------

  @Test
  void onMessage_untrustedTrunk_removesPaiAndInboundVerdictHeader() {
    String options =
        OPTIONS.replace(
            "Content-Length",
            "P-Asserted-Identity: <sip:+41791234567@198.51.100.7>\r\n"
                + "X-SipSentry-Verdict: allow;score=0;reasons=\r\n"
                + "Content-Length");

    receive(options);

    SipMessage forwarded = parse(outbound.only());
    assertThat(forwarded.header("P-Asserted-Identity")).isEmpty();
    assertThat(forwarded.header(VERDICT_HEADER)).isEmpty();
    assertThat(stats.get("removed.untrusted_pai")).isEqualTo(1);
  }

  @Test
  void onMessage_untrustedInviteWithPai_labelledAndTheForgedHeaderReplaced() {
    String invite =
        INVITE.replace(
            "Contact:",
            "P-Asserted-Identity: <sip:+41446681800@198.51.100.7;user=phone>\r\n"
                + "X-SipSentry-Verdict: allow;score=0;reasons=\r\n"
                + "Contact:");

    receive(invite);

    SipMessage forwarded = parse(outbound.only());
    assertThat(forwarded.header("P-Asserted-Identity")).isEmpty();
    assertThat(outbound.only().text())
        .containsOnlyOnce(VERDICT_HEADER)
        .contains(VERDICT_HEADER + ": label;score=30;reasons=untrusted-pai\r\n");
  }

  @Test
  void onMessage_trustedTrunk_keepsPai() {
    String invite =
        INVITE.replace(
            "Contact:",
            "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone>\r\nContact:");

    receive(invite, new Inbound(CARRIER, Transport.UDP, 0));

    SipMessage forwarded = parse(outbound.only());
    assertThat(forwarded.header("P-Asserted-Identity"))
        .hasValue("<sip:+41446681800@203.0.113.5;user=phone>");
    assertThat(forwarded.header(VERDICT_HEADER)).isEmpty();
    assertThat(stats.get("removed.untrusted_pai")).isZero();
    assertThat(audit)
        .singleElement()
        .satisfies(r -> assertThat(r.call().trunk().name()).isEqualTo("carrier"));
  }

  @Test
  void onMessage_labelVerdict_addsVerdictHeader() {
    Verdict label =
        new Verdict(
            Action.LABEL,
            55,
            List.of("from-pai-mismatch", "anonymous-caller"),
            Optional.empty(),
            List.of(
                new Finding("from-pai-mismatch", 35, "From a ≠ PAI b"),
                new Finding("anonymous-caller", 20, "Privacy: id")));
    StatelessProxy labelling = proxy(new CountingDetector(call -> completed(label)));

    labelling.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.only().text())
        .contains(
            "\r\n"
                + VERDICT_HEADER
                + ": label;score=55;reasons=from-pai-mismatch,anonymous-caller\r\n");
    assertThat(stats.get("invite.label")).isEqualTo(1);
  }

  @Test
  void verdictHeaderValue_noReasons_endsWithEmptyList() {
    Verdict allow = new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of());

    assertThat(StatelessProxy.verdictHeaderValue(allow)).isEqualTo("allow;score=0;reasons=");
  }

  // --- blocking and the transaction's later messages -------------------------------------------

  @Test
  void onMessage_blockedInvite_answersWithTheConfiguredResponseAndForwardsNothing() {
    String invite = anonymousInvite();

    receive(invite);

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(sent.transport()).isEqualTo(Transport.UDP);
    SipMessage response = parse(sent);
    assertThat(response.statusCode()).isEqualTo(433);
    assertThat(response.reasonPhrase()).isEqualTo("Anonymity Disallowed");
    assertThat(response.to().tag()).startsWith("sS");
    assertThat(sent.text())
        .startsWith("SIP/2.0 433 Anonymity Disallowed\r\n")
        .contains("\r\nVia: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n")
        .contains("\r\nFrom: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=f1\r\n")
        .contains("\r\nCall-ID: call-1@198.51.100.7\r\n")
        .contains("\r\nCSeq: 1 INVITE\r\n")
        .doesNotContain("Contact:")
        .endsWith("Content-Length: 0\r\n\r\n");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).verdict().action()).isEqualTo(Action.BLOCK);
    assertThat(audit.get(0).time()).isEqualTo(NOW);
    assertThat(stats.get("invite.block")).isEqualTo(1);
    assertThat(stats.get("answered.433")).isEqualTo(1);
  }

  @Test
  void onMessage_ackOfBlockedInvite_absorbed() {
    receive(anonymousInvite());
    outbound.sent.clear();

    receive(anonymous(ACK));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("absorbed.ack")).isEqualTo(1);
  }

  @Test
  void onMessage_ackOfForwardedInvite_forwardedWithTheInvitesBranch() {
    receive(INVITE);
    receive(ACK);

    assertThat(outbound.sent).hasSize(2);
    assertThat(parse(outbound.sent.get(1)).vias().get(0).branch())
        .isEqualTo(parse(outbound.sent.get(0)).vias().get(0).branch());
  }

  @Test
  void onMessage_cancelOfBlockedInvite_answered200() {
    receive(anonymousInvite());
    String blockTag = parse(outbound.only()).to().tag();
    outbound.sent.clear();

    receive(anonymous(CANCEL));

    SipMessage response = parse(outbound.only());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.cseqMethod()).isEqualTo("CANCEL");
    // RFC 3261 §9.2: the same To tag as the final response to the INVITE.
    assertThat(response.to().tag()).isEqualTo(blockTag);
    assertThat(stats.get("answered.cancel")).isEqualTo(1);
  }

  @Test
  void onMessage_retransmittedBlockedInvite_sameResponseReplayedDetectorRanOnce() {
    receive(anonymousInvite());
    receive(anonymousInvite());

    assertThat(outbound.sent).hasSize(2);
    assertThat(outbound.sent.get(1).text()).isEqualTo(outbound.sent.get(0).text());
    assertThat(detector.calls).hasValue(1);
    assertThat(audit).hasSize(1);
    assertThat(stats.get("invite.retransmission.replayed")).isEqualTo(1);
  }

  @Test
  void onMessage_retransmittedLabelledInvite_forwardedAgainIdentically() {
    Verdict label =
        new Verdict(Action.LABEL, 40, List.of("invalid-cli"), Optional.empty(), List.of());
    CountingDetector labelling = new CountingDetector(call -> completed(label));
    StatelessProxy proxy = proxy(labelling);

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).hasSize(2);
    assertThat(outbound.sent.get(1).text())
        .isEqualTo(outbound.sent.get(0).text())
        .contains(VERDICT_HEADER + ": label;score=40;reasons=invalid-cli\r\n");
    assertThat(labelling.calls).hasValue(1);
    assertThat(audit).hasSize(1);
  }

  @Test
  void onMessage_retransmissionWhileVerdictPending_absorbedThenAppliedOnce() {
    CompletableFuture<Verdict> pending = new CompletableFuture<>();
    CountingDetector slow = new CountingDetector(call -> pending);
    StatelessProxy proxy = proxy(slow);

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("invite.retransmission.absorbed")).isEqualTo(1);
    assertThat(audit).isEmpty();

    pending.complete(new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(outbound.only().text()).startsWith("INVITE ");
    assertThat(slow.calls).hasValue(1);
    assertThat(audit).hasSize(1);
  }

  @Test
  void onMessage_verdictCompletesOnAnotherThread_appliedOnTheEventLoop() {
    CompletableFuture<Verdict> pending = new CompletableFuture<>();
    StatelessProxy proxy = proxy(new CountingDetector(call -> pending));
    RecordingExecutor loop = new RecordingExecutor();

    proxy.onMessage(bytes(INVITE), FROM_CALLER, loop);
    pending.complete(new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(outbound.sent).isEmpty();
    assertThat(loop.queued).hasSize(1);
    loop.runQueued();
    assertThat(outbound.only().destination()).isEqualTo(NEXT_HOP);
  }

  @Test
  void onMessage_detectorFails_forwardsUnlabelledAndCounts() {
    StatelessProxy proxy =
        proxy(
            new CountingDetector(
                call -> CompletableFuture.failedFuture(new IllegalStateException("boom (test)"))));

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(NEXT_HOP);
    assertThat(sent.text()).doesNotContain(VERDICT_HEADER);
    assertThat(stats.get("invite.detector_error")).isEqualTo(1);
    assertThat(stats.get("invite.allow")).isEqualTo(1);
    assertThat(audit)
        .singleElement()
        .satisfies(r -> assertThat(r.verdict().action()).isEqualTo(Action.ALLOW));
  }

  @Test
  void onMessage_detectorThrowsInsteadOfFailingTheStage_stillForwardsOnceAndAudits() {
    StatelessProxy proxy =
        proxy(
            new CountingDetector(
                call -> {
                  throw new IllegalStateException("boom (test)");
                }));

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).hasSize(2);
    assertThat(stats.get("invite.detector_error")).isEqualTo(1);
    assertThat(stats.get("invite.retransmission.replayed")).isEqualTo(1);
    assertThat(audit).hasSize(1);
  }

  // --- graceful stop ---------------------------------------------------------------------------

  @Test
  void onMessage_stopping_newInviteAnswered503WithRetryAfterAndNotForwarded() {
    InFlight inFlight = new InFlight();
    StatelessProxy stopping = stoppable(inFlight);
    inFlight.stopping();

    stopping.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    SipMessage response = parse(sent);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.cseqMethod()).isEqualTo("INVITE");
    assertThat(response.header("Retry-After")).hasValue("30");
    assertThat(detector.calls).hasValue(0);
    assertThat(inFlight.pending()).isZero();
    assertThat(audit).isEmpty();
    assertThat(stats.get("rejected.stopping")).isEqualTo(1);
    assertThat(stats.get("answered.503")).isEqualTo(1);
    assertThat(stats.get("forwarded.request")).isZero();
  }

  @Test
  void onMessage_stopping_rejectedInvitesRetransmissionAnsweredAgainItsAckAbsorbed() {
    InFlight inFlight = new InFlight();
    StatelessProxy stopping = stoppable(inFlight);
    inFlight.stopping();
    stopping.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    stopping.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    stopping.onMessage(bytes(ACK), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).hasSize(2);
    SipMessage replayed = parse(outbound.sent.get(1));
    assertThat(replayed.statusCode()).isEqualTo(503);
    assertThat(replayed.header("Retry-After")).hasValue("30");
    assertThat(replayed.to().tag()).isEqualTo(parse(outbound.sent.get(0)).to().tag());
    assertThat(stats.get("absorbed.ack")).isEqualTo(1);
    assertThat(stats.get("rejected.stopping")).isEqualTo(1);
    assertThat(detector.calls).hasValue(0);
  }

  @Test
  void onMessage_stopping_newOutOfDialogOptionsAnswered503() {
    InFlight inFlight = new InFlight();
    StatelessProxy stopping = stoppable(inFlight);
    inFlight.stopping();

    stopping.onMessage(bytes(OPTIONS), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    SipMessage response = parse(outbound.only());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.cseqMethod()).isEqualTo("OPTIONS");
    assertThat(stats.get("rejected.stopping")).isEqualTo(1);
  }

  @Test
  void onMessage_stopping_callForwardedBeforeKeepsItsResponsesRetransmissionsAckAndCancel() {
    InFlight inFlight = new InFlight();
    StatelessProxy stopping = stoppable(inFlight);
    stopping.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    byte[] ok = answer(outbound.only(), 200, "OK");
    outbound.sent.clear();
    inFlight.stopping();

    stopping.onMessage(
        ok, new Inbound(NEXT_HOP, Transport.UDP, 0), ImmediateEventExecutor.INSTANCE);
    stopping.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    stopping.onMessage(bytes(CANCEL), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    stopping.onMessage(bytes(ACK), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).hasSize(4);
    assertThat(parse(outbound.sent.get(0)).statusCode()).isEqualTo(200);
    assertThat(outbound.sent.get(0).destination())
        .isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(parse(outbound.sent.get(1)).method()).isEqualTo("INVITE");
    assertThat(parse(outbound.sent.get(2)).method()).isEqualTo("CANCEL");
    assertThat(parse(outbound.sent.get(3)).method()).isEqualTo("ACK");
    assertThat(outbound.sent.subList(1, 4))
        .allSatisfy(sent -> assertThat(sent.destination()).isEqualTo(NEXT_HOP));
    assertThat(detector.calls).hasValue(1);
    assertThat(stats.get("rejected.stopping")).isZero();
  }

  StatelessProxy stoppable(InFlight inFlight) {
    return new StatelessProxy(
        settings(Optional.empty()),
        NEXT_HOP,
        detector,
        outbound,
        audit::add,
        stats,
        Clock.fixed(NOW, ZoneOffset.UTC),
        inFlight);
  }

  // --- responses -------------------------------------------------------------------------------

  @Test
  void onMessage_responseWithOurVia_ourViaRemovedAndSentToTheNextVia() {
    receive(INVITE);
    byte[] ringing = answer(outbound.only(), 180, "Ringing");
    outbound.sent.clear();

    receive(new String(ringing, StandardCharsets.UTF_8), new Inbound(NEXT_HOP, Transport.UDP, 0));

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.UDP);
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    String expected = new String(ringing, StandardCharsets.UTF_8);
    String ourVia =
        expected.substring(expected.indexOf("Via:"), expected.indexOf("Via: SIP/2.0/UDP 198"));
    assertThat(sent.text()).isEqualTo(expected.replace(ourVia, ""));
    assertThat(stats.get("forwarded.response")).isEqualTo(1);
  }

  @Test
  void onMessage_responseToNattedCaller_sentToReceivedAndRport() {
    receive(INVITE.replace("198.51.100.7:5062;branch", "client.example.com:5062;rport;branch"));
    byte[] ok = answer(outbound.only(), 200, "OK");
    outbound.sent.clear();

    proxy.onMessage(ok, new Inbound(NEXT_HOP, Transport.UDP, 0), ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.only().destination()).isEqualTo(CALLER);
  }

  @Test
  void onMessage_responseOverTcp_sentOnTheRequestsConnection() {
    receive(tcp(INVITE), tcpFrom(CALLER, 42));
    byte[] ok = answer(outbound.only(), 200, "OK");
    outbound.sent.clear();

    proxy.onMessage(ok, tcpFrom(NEXT_HOP, 7), ImmediateEventExecutor.INSTANCE);

    Sent sent = outbound.only();
    assertThat(sent.transport()).isEqualTo(Transport.TCP);
    assertThat(sent.connectionId()).isEqualTo(42);
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(parse(sent).vias()).hasSize(1);
  }

  @Test
  void onMessage_responseWhoseTopViaIsNotOurs_droppedAndCounted() {
    String response =
        "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
            + "From: <sip:a@198.51.100.7>;tag=f1\r\n"
            + "To: <sip:b@192.0.2.10>;tag=t1\r\n"
            + "Call-ID: stray@198.51.100.7\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";

    receive(response, new Inbound(NEXT_HOP, Transport.UDP, 0));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("dropped.response_not_ours")).isEqualTo(1);
  }

  @Test
  void onMessage_responseWithOnlyOurVia_droppedAndCounted() {
    String response =
        "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP "
            + SENT_BY
            + ";branch=z9hG4bK-sS-0123456789abcdef01234567\r\n"
            + "From: <sip:a@198.51.100.7>;tag=f1\r\n"
            + "To: <sip:b@192.0.2.10>;tag=t1\r\n"
            + "Call-ID: stray@198.51.100.7\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";

    receive(response, new Inbound(NEXT_HOP, Transport.UDP, 0));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("dropped.response_no_next_via")).isEqualTo(1);
  }

  // --- malformed input -------------------------------------------------------------------------

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        Arguments.of(
            "bad CSeq number",
            INVITE.replace("CSeq: 1 INVITE", "CSeq: one INVITE"),
            "Malformed CSeq"),
        Arguments.of(
            "CSeq method mismatch",
            INVITE.replace("CSeq: 1 INVITE", "CSeq: 1 BYE"),
            "CSeq Method Mismatch"),
        Arguments.of(
            "two Call-IDs",
            INVITE.replace("CSeq: 1 INVITE", "Call-ID: other@198.51.100.7\r\nCSeq: 1 INVITE"),
            "Duplicate Call-ID"),
        Arguments.of(
            "bad Content-Length",
            INVITE.replace("Content-Length: " + BODY.length(), "Content-Length: -3"),
            "Bad Content-Length"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void onMessage_malformedRequest_answers400NamingTheDefectToTheSource(
      String name, String request, String reason) {
    receive(request);

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(CALLER);
    assertThat(sent.text()).startsWith("SIP/2.0 400 " + reason + "\r\n");
    assertThat(detector.calls).hasValue(0);
    assertThat(stats.get("answered.malformed")).isEqualTo(1);
  }

  @Test
  void onMessage_requestWithoutCallId_droppedAsUnanswerable() {
    // RFC 4475 §3.3.1: without Call-ID no response can be built; the request is discarded.
    receive(INVITE.replace("Call-ID: call-1@198.51.100.7\r\n", ""));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("rejected.missing_header")).isEqualTo(1);
    assertThat(stats.get("dropped.malformed")).isEqualTo(1);
  }

  @Test
  void onMessage_malformedResponse_droppedAndCounted() {
    String response =
        "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP "
            + SENT_BY
            + ";branch=z9hG4bK-sS-0123456789abcdef01234567\r\n"
            + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
            + "From: <sip:a@198.51.100.7>;tag=f1\r\n"
            + "To: <sip:b@192.0.2.10>;tag=t1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";

    receive(response, new Inbound(NEXT_HOP, Transport.UDP, 0));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("dropped.malformed")).isEqualTo(1);
  }

  @Test
  void onMessage_malformedAck_droppedAndCounted() {
    receive(ACK.replace("Call-ID: call-1@198.51.100.7\r\n", ""));

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("dropped.malformed")).isEqualTo(1);
  }

  @Test
  void onMessage_emptyOrKeepAlive_droppedSilently() {
    receive("");
    receive("\r\n\r\n");

    assertThat(outbound.sent).isEmpty();
    assertThat(stats.get("dropped.empty")).isEqualTo(2);
  }

  @Test
  void onMessage_garbage_neverThrows() {
    Inbound[] sources = {FROM_CALLER, tcpFrom(CALLER, 3), new Inbound(NEXT_HOP, Transport.UDP, 0)};
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(new byte[0]);
    for (int b = 0; b < 256; b++) {
      inputs.add(new byte[] {(byte) b});
      byte[] run = new byte[300];
      java.util.Arrays.fill(run, (byte) b);
      inputs.add(run);
    }
    byte[] invite = bytes(INVITE);
    for (int length = 1; length < invite.length; length++) {
      inputs.add(java.util.Arrays.copyOf(invite, length));
    }
    Random random = new Random(20250301L);
    for (int i = 0; i < 500; i++) {
      byte[] mutated = invite.clone();
      for (int flips = 0; flips < 4; flips++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      inputs.add(mutated);
    }

    for (byte[] input : inputs) {
      for (Inbound from : sources) {
        assertThatCode(() -> proxy.onMessage(input, from, ImmediateEventExecutor.INSTANCE))
            .doesNotThrowAnyException();
      }
    }
  }

  // --- anonymise -------------------------------------------------------------------------------

  /** A detector that anonymises every call, as a domestic-cli-from-abroad rule would. */
  static Detector anonymising() {
    return call ->
        java.util.concurrent.CompletableFuture.completedStage(
            new Verdict(
                Action.ANONYMISE,
                80,
                List.of("domestic-cli-from-abroad"),
                Optional.empty(),
                List.of(
                    new org.sipsentry.detector.Finding(
                        "domestic-cli-from-abroad",
                        80,
                        "From +41446681800 is a CH number on international trunk transit"))));
  }

  @Test
  void onMessage_anonymisedInvite_fromAnonymousWithTagPrivacyIdNoPai() {
    StatelessProxy anonymiser = proxy(anonymising());
    String invite =
        INVITE.replace(
            "Contact:",
            "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone>\r\n"
                + "Privacy: header;none\r\n"
                + "Contact:");

    anonymiser.onMessage(
        bytes(invite), new Inbound(CARRIER, Transport.UDP, 0), ImmediateEventExecutor.INSTANCE);

    String forwarded = outbound.only().text();
    SipMessage message = parse(outbound.only());
    assertThat(forwarded)
        .contains("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=f1\r\n")
        .doesNotContain("+41446681800@198.51.100.7")
        .doesNotContain("P-Asserted-Identity")
        .containsOnlyOnce("Privacy:")
        .contains("Privacy: header;id\r\n")
        .contains(VERDICT_HEADER + ": anonymise;score=80;reasons=domestic-cli-from-abroad\r\n");
    assertThat(message.from().tag()).isEqualTo("f1");
    assertThat(message.from().user()).isEqualTo("anonymous");
    assertThat(stats.get("anonymised")).isEqualTo(1);
    assertThat(audit)
        .singleElement()
        .satisfies(r -> assertThat(r.verdict().action()).isEqualTo(Action.ANONYMISE));
  }

  @Test
  void onMessage_anonymisedInviteWithoutPrivacy_getsPrivacyId() {
    StatelessProxy anonymiser = proxy(anonymising());

    anonymiser.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    String forwarded = outbound.only().text();
    assertThat(forwarded).contains("Privacy: id\r\n");
    // The body and the rest of the dialog identifiers are untouched.
    assertThat(forwarded)
        .endsWith(BODY)
        .contains("To: <sip:+41446681801@192.0.2.10;user=phone>\r\n");
  }

  // --- display-name prefix of labelled calls ---------------------------------------------------

  static final String SPOOF = "[SPOOF?] ";

  static Detector deciding(Action action) {
    return call ->
        completed(
            new Verdict(
                action,
                60,
                List.of("from-pai-mismatch"),
                Optional.empty(),
                List.of(new Finding("from-pai-mismatch", 60, "From a ≠ PAI b"))));
  }

  StatelessProxy prefixing(Detector detector) {
    return new StatelessProxy(
        settings(Optional.empty(), Optional.of(SPOOF)),
        NEXT_HOP,
        detector,
        outbound,
        audit::add,
        stats,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void onMessage_labelledWithPrefixConfigured_fromDisplayNamePrefixedTagKept() {
    prefixing(deciding(Action.LABEL))
        .onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    SipMessage forwarded = parse(outbound.only());
    assertThat(outbound.only().text())
        .contains(
            "\r\nFrom: \"[SPOOF?] Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n")
        .contains(VERDICT_HEADER + ": label;score=60;reasons=from-pai-mismatch\r\n")
        .endsWith(BODY);
    assertThat(forwarded.from().displayName()).isEqualTo("[SPOOF?] Alice");
    assertThat(forwarded.from().tag()).isEqualTo("f1");
    assertThat(stats.get("labelled.display_name")).isEqualTo(1);
  }

  @Test
  void onMessage_labelledFromTrustedTrunkWithPai_paiWithoutDisplayNameGetsPrefixAndNumber() {
    String invite =
        INVITE.replace(
            "Contact:",
            "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone>\r\nContact:");

    prefixing(deciding(Action.LABEL))
        .onMessage(
            bytes(invite), new Inbound(CARRIER, Transport.UDP, 0), ImmediateEventExecutor.INSTANCE);

    SipMessage forwarded = parse(outbound.only());
    assertThat(forwarded.header("P-Asserted-Identity"))
        .hasValue("\"[SPOOF?] +41446681800\" <sip:+41446681800@203.0.113.5;user=phone>");
    assertThat(forwarded.pAssertedIdentities())
        .singleElement()
        .satisfies(pai -> assertThat(pai.user()).isEqualTo("+41446681800"));
    assertThat(forwarded.from().displayName()).isEqualTo("[SPOOF?] Alice");
  }

  @Test
  void onMessage_allowedWithPrefixConfigured_fromUnchanged() {
    prefixing(deciding(Action.ALLOW))
        .onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.only().text())
        .contains("\r\nFrom: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n");
    assertThat(stats.get("labelled.display_name")).isZero();
  }

  @Test
  void onMessage_anonymisedWithPrefixConfigured_anonymousNotPrefixed() {
    prefixing(deciding(Action.ANONYMISE))
        .onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.only().text())
        .contains("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=f1\r\n")
        .doesNotContain(SPOOF);
  }

  @Test
  void onMessage_labelledWithoutPrefixConfigured_fromUnchanged() {
    proxy(deciding(Action.LABEL))
        .onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(parse(outbound.only()).from().displayName()).isEqualTo("Alice");
    assertThat(stats.get("labelled.display_name")).isZero();
  }

  // --- next hop unreachable --------------------------------------------------------------------

  @Test
  void onMessage_nextHopUnreachable_answers503ToTheCaller() {
    outbound.unreachable.add(NEXT_HOP);

    receive(INVITE);

    assertThat(outbound.sent).hasSize(2);
    Sent answer = outbound.sent.get(1);
    assertThat(answer.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(parse(answer).statusCode()).isEqualTo(503);
    assertThat(stats.get("next_hop.unreachable")).isEqualTo(1);
  }

  @Test
  void onMessage_ackToUnreachableNextHop_notAnswered() {
    outbound.unreachable.add(NEXT_HOP);

    receive(ACK);

    assertThat(outbound.sent)
        .singleElement()
        .satisfies(s -> assertThat(s.destination()).isEqualTo(NEXT_HOP));
    assertThat(stats.get("next_hop.unreachable")).isEqualTo(1);
  }

  // --- helpers ---------------------------------------------------------------------------------

  static DetectorSettings detectorSettings() {
    return new DetectorSettings(
        "CH",
        List.of(new Trunk("carrier", List.of(Cidr.parse("203.0.113.0/24")), true)),
        Map.of(
            "anonymous-caller",
            new RuleSettings(
                true, 20, Optional.of(Action.BLOCK), Optional.of(ANONYMITY_DISALLOWED))),
        30,
        80,
        SipStatus.REJECTED);
  }

  // --- audit queue full under on-full: block-calls -------------------------------------------

  /** A proxy whose audit sink refuses every record, as a full queue under block-calls does. */
  StatelessProxy auditRefusing() {
    return new StatelessProxy(
        settings(Optional.empty()),
        NEXT_HOP,
        detector,
        outbound,
        record -> false,
        stats,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void onMessage_auditRecordRefused_answers503WithRetryAfterAndForwardsNothing() {
    StatelessProxy refusing = auditRefusing();

    refusing.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    Sent sent = outbound.only();
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(sent.text())
        .startsWith("SIP/2.0 503 Service Unavailable\r\n")
        .contains("\r\nRetry-After: 5\r\n")
        .contains("\r\nCall-ID: call-1@198.51.100.7\r\n");
    assertThat(stats.get("invite.audit_unavailable")).isEqualTo(1);
    assertThat(stats.get("answered.503")).isEqualTo(1);
  }

  @Test
  void onMessage_auditRefusedThenRetransmissionAndAck_503ReplayedAckAbsorbed() {
    StatelessProxy refusing = auditRefusing();

    refusing.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    refusing.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    refusing.onMessage(bytes(ACK), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).hasSize(2);
    for (Sent sent : outbound.sent) {
      assertThat(sent.text())
          .startsWith("SIP/2.0 503 Service Unavailable\r\n")
          .contains("\r\nRetry-After: 5\r\n");
    }
    assertThat(detector.calls).hasValue(1);
    assertThat(stats.get("absorbed.ack")).isEqualTo(1);
  }

  static ProxySettings settings(Optional<Transport> nextHopTransport) {
    return settings(nextHopTransport, Optional.empty());
  }

  static ProxySettings settings(
      Optional<Transport> nextHopTransport, Optional<String> displayNamePrefix) {
    HostPort listen = HostPort.parse(SENT_BY);
    return ProxySettings.builder(new HostPort("192.0.2.20", 5080), detectorSettings())
        .listen(listen)
        .nextHopTransport(nextHopTransport)
        .verdictHeader(VERDICT_HEADER)
        .auditLog(Path.of("unused-audit.jsonl"))
        .displayNamePrefix(displayNamePrefix)
        .build();
  }

  StatelessProxy proxy(Detector detector) {
    return new StatelessProxy(
        settings(Optional.empty()),
        NEXT_HOP,
        detector,
        outbound,
        audit::add,
        stats,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  void receive(String message) {
    receive(message, FROM_CALLER);
  }

  void receive(String message, Inbound from) {
    proxy.onMessage(bytes(message), from, ImmediateEventExecutor.INSTANCE);
  }

  static Inbound tcpFrom(InetSocketAddress source, long connectionId) {
    return new Inbound(source, Transport.TCP, connectionId);
  }

  static String withBody(String head, String body) {
    return head + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }

  static String tcp(String message) {
    return message.replace("Via: SIP/2.0/UDP 198.51.100.7", "Via: SIP/2.0/TCP 198.51.100.7");
  }

  /** The caller hides: the anonymous-caller rule blocks with 433. */
  static String anonymous(String message) {
    return message.replace(
        "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>",
        "From: \"Anonymous\" <sip:anonymous@anonymous.invalid>");
  }

  static String anonymousInvite() {
    return anonymous(INVITE);
  }

  /** What the next hop answers to a request we forwarded: every Via copied, To tagged. */
  static byte[] answer(Sent forwarded, int code, String reason) {
    return SipResponses.response(
            HeaderIndex.scan(forwarded.bytes()), code, reason, "uas1", List.of())
        .orElseThrow();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static SipMessage parse(Sent sent) {
    ParseResult result = SipCodec.parse(sent.bytes(), null);
    assertThat(result).as("what we sent:\n%s", sent.text()).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).message();
  }

  static <T> CompletionStage<T> completed(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** One message handed to {@link Outbound#send}. */
  record Sent(Transport transport, InetSocketAddress destination, long connectionId, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Records every send; a send to an unreachable destination runs its callback at once. */
  static final class RecordingOutbound implements Outbound {
    final List<Sent> sent = new ArrayList<>();
    final Set<InetSocketAddress> unreachable = new HashSet<>();

    @Override
    public void send(
        Transport transport,
        InetSocketAddress destination,
        long connectionId,
        byte[] message,
        Runnable undeliverable) {
      sent.add(new Sent(transport, destination, connectionId, message));
      if (unreachable.contains(destination)) {
        undeliverable.run();
      }
    }

    @Override
    public String sentBy(Transport transport) {
      return SENT_BY;
    }

    Sent only() {
      assertThat(sent).as("messages sent").hasSize(1);
      return sent.get(0);
    }
  }

  /** Counts inspections; answers as the real or scripted detector it wraps. */
  static final class CountingDetector implements Detector {
    final AtomicInteger calls = new AtomicInteger();
    final Detector answer;

    CountingDetector(Detector answer) {
      this.answer = answer;
    }

    @Override
    public CompletionStage<Verdict> inspect(CallContext call) {
      calls.incrementAndGet();
      return answer.inspect(call);
    }
  }

  /** An event loop that is never the current thread: tasks queue until run. */
  static final class RecordingExecutor extends io.netty.util.concurrent.AbstractEventExecutor {
    final List<Runnable> queued = new ArrayList<>();

    void runQueued() {
      List<Runnable> tasks = List.copyOf(queued);
      queued.clear();
      tasks.forEach(Runnable::run);
    }

    @Override
    public boolean inEventLoop(Thread thread) {
      return false;
    }

    @Override
    public void execute(Runnable task) {
      queued.add(task);
    }

    @Override
    public boolean isShuttingDown() {
      return false;
    }

    @Override
    public io.netty.util.concurrent.Future<?> shutdownGracefully(
        long quietPeriod, long timeout, java.util.concurrent.TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public io.netty.util.concurrent.Future<?> terminationFuture() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
      return false;
    }
  }
}
