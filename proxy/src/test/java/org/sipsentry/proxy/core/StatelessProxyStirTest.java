package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.proxy.core.StatelessProxyTest.CANCEL;
import static org.sipsentry.proxy.core.StatelessProxyTest.CARRIER;
import static org.sipsentry.proxy.core.StatelessProxyTest.FROM_CALLER;
import static org.sipsentry.proxy.core.StatelessProxyTest.INVITE;
import static org.sipsentry.proxy.core.StatelessProxyTest.NEXT_HOP;
import static org.sipsentry.proxy.core.StatelessProxyTest.NOW;
import static org.sipsentry.proxy.core.StatelessProxyTest.VERDICT_HEADER;
import static org.sipsentry.proxy.core.StatelessProxyTest.bytes;
import static org.sipsentry.proxy.core.StatelessProxyTest.parse;
import static org.sipsentry.proxy.core.StatelessProxyTest.settings;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.audit.AuditRecord;
import org.sipsentry.proxy.core.StatelessProxyTest.CountingDetector;
import org.sipsentry.proxy.core.StatelessProxyTest.RecordingExecutor;
import org.sipsentry.proxy.core.StatelessProxyTest.RecordingOutbound;
import org.sipsentry.proxy.core.StatelessProxyTest.Sent;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.StirFailure;

/**
 * How the proxy applies a verdict's STIR/SHAKEN summary (verstat, Reason, rejection) to the bytes
 * it forwards, and how it keeps a pending verification's transaction in order.
 */
class StatelessProxyStirTest {

  private static final String X5U = "https://certs.example.net/sp.pem";
  private static final SipStatus INVALID = new SipStatus(438, "Invalid Identity Header");
  private static final Inbound FROM_CARRIER = new Inbound(CARRIER, Transport.UDP, 0);

  private static final String FROM_LINE =
      "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n";

  private final RecordingOutbound outbound = new RecordingOutbound();
  private final List<AuditRecord> audit = new ArrayList<>();
  private final ProxyStats stats = new ProxyStats();

  private static StirSummary passed() {
    return new StirSummary(
        StirSummary.PASSED,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.of(Attestation.A),
        Optional.of("origid-1"),
        Optional.of(X5U),
        Optional.of("1234"),
        false);
  }

  private static StirSummary failed(boolean reasonHeader) {
    return new StirSummary(
        StirSummary.FAILED,
        Optional.of(StirFailure.BAD_SIGNATURE),
        Optional.of(INVALID),
        false,
        Optional.of(Attestation.A),
        Optional.empty(),
        Optional.of(X5U),
        Optional.empty(),
        reasonHeader);
  }

  private static Verdict allow(StirSummary stir) {
    return new Verdict(
        Action.ALLOW,
        0,
        List.of("stir-attestation-a"),
        Optional.empty(),
        List.of(new Finding("stir-attestation-a", 0, "attestation A")),
        Optional.of(stir));
  }

  private static Verdict label(StirSummary stir) {
    return new Verdict(
        Action.LABEL,
        50,
        List.of("stir-failed"),
        Optional.empty(),
        List.of(new Finding("stir-failed", 50, "bad-signature")),
        Optional.of(stir));
  }

  private static Verdict reject(StirSummary stir) {
    return new Verdict(
        Action.BLOCK,
        50,
        List.of("stir-failed"),
        Optional.of(INVALID),
        List.of(new Finding("stir-failed", 50, "bad-signature")),
        Optional.of(stir));
  }

  private StatelessProxy proxy(Detector detector) {
    return new StatelessProxy(
        settings(Optional.empty()),
        NEXT_HOP,
        detector,
        outbound,
        audit::add,
        stats,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Sent forward(String invite, Inbound from, Verdict verdict) {
    proxy(call -> CompletableFuture.completedFuture(verdict))
        .onMessage(bytes(invite), from, ImmediateEventExecutor.INSTANCE);
    return outbound.only();
  }

  private static String withHeaders(String headers) {
    return INVITE.replace("Contact:", headers + "Contact:");
  }

  // --- verstat ---------------------------------------------------------------------------------

  @Test
  void forward_passedFromUntrustedTrunk_verstatOnTheFromAndNothingElseChanges() {
    Sent sent = forward(INVITE, FROM_CALLER, allow(passed()));

    String branch = parse(sent).vias().get(0).branch();
    String expected =
        INVITE
            .replace(
                "Via: SIP/2.0/UDP 198.51.100.7",
                "Via: SIP/2.0/UDP "
                    + StatelessProxyTest.SENT_BY
                    + ";branch="
                    + branch
                    + "\r\nVia: SIP/2.0/UDP 198.51.100.7")
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 69\r\n")
            .replace(";user=phone>;tag=f1", ";user=phone;verstat=TN-Validation-Passed>;tag=f1");
    assertThat(sent.text()).isEqualTo(expected);
    assertThat(parse(sent).from().uriParameters()).containsEntry("verstat", "TN-Validation-Passed");
    assertThat(stats.get("stir.tn-validation-passed")).isEqualTo(1);
  }

  @Test
  void forward_untrustedTrunkWithForgedVerstats_onlyOursRemains() {
    String invite =
        withHeaders("P-Asserted-Identity: <tel:+41446681800;verstat=TN-Validation-Passed>\r\n")
            .replace(";user=phone>;tag=f1", ";verstat=TN-Validation-Passed;user=phone>;tag=f1");

    Sent sent = forward(invite, FROM_CALLER, label(failed(false)));

    assertThat(sent.text())
        .contains("<sip:+41446681800@198.51.100.7;verstat=TN-Validation-Failed;user=phone>;tag=f1")
        .doesNotContain("P-Asserted-Identity")
        .containsOnlyOnce("verstat=");
    assertThat(stats.get("stir.tn-validation-failed")).isEqualTo(1);
    assertThat(stats.get("stir.failure.bad-signature")).isEqualTo(1);
  }

  @Test
  void forward_untrustedTrunkWithoutStir_forgedFromVerstatRemoved() {
    String invite =
        INVITE.replace(";user=phone>;tag=f1", ";user=phone;verstat=TN-Validation-Passed>;tag=f1");

    Sent sent =
        forward(
            invite,
            FROM_CALLER,
            new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(sent.text()).contains(FROM_LINE).doesNotContain("verstat");
  }

  @Test
  void forward_untrustedTrunkWithForgedStirReason_stirEntriesRemovedOthersKept() {
    String invite =
        withHeaders(
            "Reason: STIR;cause=438;text=\"Invalid, really\"\r\n"
                + "Reason: Q.850;cause=16, stir;cause=436\r\n");

    Sent sent =
        forward(
            invite,
            FROM_CALLER,
            new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(sent.text())
        .doesNotContainIgnoringCase("STIR;")
        .contains("Reason: Q.850;cause=16\r\n");
    assertThat(stats.get("removed.untrusted_stir_reason")).isEqualTo(2);
  }

  @Test
  void forward_trustedTrunkWithStirReason_kept() {
    String invite = withHeaders("Reason: STIR;cause=438\r\n");

    Sent sent =
        forward(
            invite,
            FROM_CARRIER,
            new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(sent.text()).contains("Reason: STIR;cause=438\r\n");
  }

  @Test
  void forward_trustedTrunkWithoutStir_upstreamVerstatKept() {
    String invite =
        withHeaders("P-Asserted-Identity: <tel:+41446681800;verstat=TN-Validation-Passed>\r\n");

    Sent sent =
        forward(
            invite,
            FROM_CARRIER,
            new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of()));

    assertThat(sent.text())
        .contains("P-Asserted-Identity: <tel:+41446681800;verstat=TN-Validation-Passed>\r\n");
  }

  @Test
  void forward_trustedTrunkWithSipAndTelPai_verstatOnTheTelUriOnly() {
    String invite =
        withHeaders(
                "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone;verstat=x>\r\n"
                    + "P-Asserted-Identity: <tel:+41446681800>\r\n")
            .replace(";user=phone>;tag=f1", ";user=phone;verstat=y>;tag=f1");

    Sent sent = forward(invite, FROM_CARRIER, allow(passed()));

    assertThat(sent.text())
        .contains(
            "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone>\r\n"
                + "P-Asserted-Identity: <tel:+41446681800;verstat=TN-Validation-Passed>\r\n")
        .contains(FROM_LINE);
  }

  @Test
  void forward_trustedTrunkWithSipPaiOnly_verstatOnThePai() {
    String invite =
        withHeaders("P-Asserted-Identity: \"Alice\" <sip:+41446681800@203.0.113.5>\r\n");

    Sent sent = forward(invite, FROM_CARRIER, allow(passed()));

    assertThat(sent.text())
        .contains(
            "P-Asserted-Identity: \"Alice\" <sip:+41446681800@203.0.113.5;"
                + "verstat=TN-Validation-Passed>\r\n")
        .contains(FROM_LINE);
  }

  @Test
  void forward_bareAddrSpecFrom_enclosedWithVerstatInside() {
    String invite =
        INVITE.replace(
            "From: \"Alice\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1",
            "From: sip:+41446681800@198.51.100.7;tag=f1");

    Sent sent = forward(invite, FROM_CALLER, allow(passed()));

    assertThat(sent.text())
        .contains("From: <sip:+41446681800@198.51.100.7;verstat=TN-Validation-Passed>;tag=f1\r\n");
    assertThat(parse(sent).from().tag()).isEqualTo("f1");
  }

  // --- Reason and rejection --------------------------------------------------------------------

  @Test
  void forward_continueWithReason_rfc9410ReasonAndVerdictHeaderAdded() {
    Sent sent = forward(INVITE, FROM_CALLER, label(failed(true)));

    assertThat(sent.text())
        .contains("\r\nReason: STIR;cause=438;text=\"Invalid Identity Header\"\r\n")
        .contains("\r\n" + VERDICT_HEADER + ": label;score=50;reasons=stir-failed\r\n")
        .contains(";verstat=TN-Validation-Failed>");
  }

  @Test
  void forward_continueWithoutReason_noReasonHeader() {
    assertThat(forward(INVITE, FROM_CALLER, label(failed(false))).text()).doesNotContain("Reason:");
  }

  @Test
  void onMessage_rejectedByStir_answered438AndNothingForwarded() {
    Sent sent = forward(INVITE, FROM_CALLER, reject(failed(false)));

    SipMessage response = parse(sent);
    assertThat(sent.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 5062));
    assertThat(response.statusCode()).isEqualTo(438);
    assertThat(response.reasonPhrase()).isEqualTo("Invalid Identity Header");
    assertThat(audit).singleElement().satisfies(r -> assertThat(r.verdict().stir()).isPresent());
  }

  // --- a pending verification ------------------------------------------------------------------

  @Test
  void onMessage_retransmissionAndCancelWhilePending_cancelHeldAndSentAfterTheInvite() {
    CompletableFuture<Verdict> pending = new CompletableFuture<>();
    CountingDetector slow = new CountingDetector(call -> pending);
    StatelessProxy proxy = proxy(slow);

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(CANCEL), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(CANCEL), FROM_CALLER, ImmediateEventExecutor.INSTANCE);

    assertThat(outbound.sent).as("nothing may overtake the undecided INVITE").isEmpty();
    assertThat(stats.get("invite.retransmission.absorbed")).isEqualTo(1);
    assertThat(stats.get("held.cancel")).isEqualTo(1);
    assertThat(stats.get("absorbed.cancel_retransmission")).isEqualTo(1);

    pending.complete(allow(passed()));

    assertThat(outbound.sent)
        .extracting(sent -> parse(sent).method())
        .containsExactly("INVITE", "CANCEL");
    assertThat(parse(outbound.sent.get(1)).vias().get(0).branch())
        .isEqualTo(parse(outbound.sent.get(0)).vias().get(0).branch());
    assertThat(slow.calls).hasValue(1);
    assertThat(audit).hasSize(1);
  }

  @Test
  void onMessage_cancelWhilePendingThenRejected_inviteAnsweredThenCancelAnswered200() {
    CompletableFuture<Verdict> pending = new CompletableFuture<>();
    StatelessProxy proxy = proxy(call -> pending);

    proxy.onMessage(bytes(INVITE), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    proxy.onMessage(bytes(CANCEL), FROM_CALLER, ImmediateEventExecutor.INSTANCE);
    pending.complete(reject(failed(false)));

    assertThat(outbound.sent).hasSize(2);
    SipMessage inviteAnswer = parse(outbound.sent.get(0));
    SipMessage cancelAnswer = parse(outbound.sent.get(1));
    assertThat(inviteAnswer.statusCode()).isEqualTo(438);
    assertThat(inviteAnswer.cseqMethod()).isEqualTo("INVITE");
    assertThat(cancelAnswer.statusCode()).isEqualTo(200);
    assertThat(cancelAnswer.cseqMethod()).isEqualTo("CANCEL");
    assertThat(cancelAnswer.to().tag()).isEqualTo(inviteAnswer.to().tag());
    assertThat(outbound.sent).noneMatch(sent -> sent.destination().equals(NEXT_HOP));
  }

  @Test
  void onMessage_verdictAndHeldCancelCompleteOffTheLoop_bothAppliedOnTheLoopInOrder()
      throws Exception {
    CompletableFuture<Verdict> pending = new CompletableFuture<>();
    StatelessProxy proxy = proxy(call -> pending);
    RecordingExecutor loop = new RecordingExecutor();

    proxy.onMessage(bytes(INVITE), FROM_CALLER, loop);
    proxy.onMessage(bytes(CANCEL), FROM_CALLER, loop);
    Thread fetcher = new Thread(() -> pending.complete(allow(passed())), "test-fetcher");
    fetcher.start();
    fetcher.join();

    assertThat(outbound.sent).as("nothing sent off the event loop").isEmpty();
    loop.runQueued();
    assertThat(outbound.sent).extracting(sent -> parse(sent).method()).containsExactly("INVITE");
    loop.runQueued();
    assertThat(outbound.sent)
        .extracting(sent -> parse(sent).method())
        .containsExactly("INVITE", "CANCEL");
  }

  @Test
  void onMessage_cancelAfterTheVerdict_forwardedAtOnce() {
    StatelessProxy proxy = proxy(call -> CompletableFuture.completedFuture(allow(passed())));
    EventExecutor loop = ImmediateEventExecutor.INSTANCE;

    proxy.onMessage(bytes(INVITE), FROM_CALLER, loop);
    proxy.onMessage(bytes(CANCEL), FROM_CALLER, loop);

    assertThat(outbound.sent)
        .extracting(sent -> parse(sent).method())
        .containsExactly("INVITE", "CANCEL");
    assertThat(stats.get("held.cancel")).isZero();
  }
}
