package org.sipsentry.proxy.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Detector;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.proxy.RateLimitedLog;
import org.sipsentry.proxy.audit.AuditRecord;
import org.sipsentry.sip.ParseResult;
import org.sipsentry.sip.SipCodec;
import org.sipsentry.sip.SipLimits;
import org.sipsentry.sip.SipMessage;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.Via;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.HeaderLine;
import org.sipsentry.sip.wire.HeaderUri;
import org.sipsentry.sip.wire.MessageEditor;
import org.sipsentry.sip.wire.SipResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless proxy of RFC 3261 §16.11 with a detector in front of every initial INVITE.
 *
 * <p>Requests get our Via and Max-Forwards − 1 and go to the next hop; responses lose our Via and
 * go to the next Via. An initial INVITE is first weighed by the detector; its verdict is applied
 * (forward, forward labelled, or answer with an error) and remembered for the transaction, so that
 * retransmissions, the CANCEL and the ACK get the same treatment and the detector runs once per
 * transaction.
 *
 * <p>STIR/SHAKEN: the verdict of a call on a verifying trunk carries a verstat, added as a URI
 * parameter to the P-Asserted-Identity (tel URI first) or else the From of the forwarded INVITE
 * (3GPP TS 24.229 §7.2A.20), and for {@code continue-with-reason} an RFC 9410 Reason header. A
 * verstat in the From or P-Asserted-Identity of a request from an untrusted trunk is removed first,
 * whatever the trunk's STIR mode: only we, or a trusted peer, may assert one.
 *
 * <p>A verdict may take time (a certificate fetch): until it is known, the transaction's decision
 * is pending. Retransmissions of the INVITE are absorbed, not inspected again. Its CANCEL is held
 * (the first one; retransmissions are absorbed) and handled once the INVITE is: forwarded after it
 * when the INVITE is forwarded, so that it can never overtake it; answered 200 when the INVITE was
 * blocked (its final response is the block response, RFC 3261 §9.2).
 *
 * <p>Every method runs on the event loop of the channel the message arrived on; nothing here
 * blocks. Work that completes on another thread (a verdict, a held CANCEL) is handed back to that
 * event loop before it touches a message or the network.
 */
public final class StatelessProxy {

  private static final Logger log = LoggerFactory.getLogger(StatelessProxy.class);

  /** Malformed messages are the sender's problem: DEBUG, and rate-limited. */
  private static final RateLimitedLog networkLog = RateLimitedLog.of(log);

  /** RFC 3261 §16.6 step 3. */
  private static final int DEFAULT_MAX_FORWARDS = 70;

  /**
   * How long a decision is remembered: Timer B/H, 64·T1 (RFC 3261 §17.1.1.2, §17.2.1), the longest
   * an INVITE may be retransmitted or the ACK of its final response may come.
   */
  static final Duration DECISION_TTL = Duration.ofSeconds(32);

  /** Bounds the decision cache: 32 s at 3,000 new calls/s. */
  static final long MAX_DECISIONS = 100_000;

  private static final List<Map.Entry<String, String>> SERVER_HEADER =
      List.of(Map.entry("Server", "SipSentry"));

  /** The URI parameter of 3GPP TS 24.229 §7.2A.20. */
  static final String VERSTAT = "verstat";

  static final String REASON = "Reason";

  private static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
  private static final String FROM = "From";
  private static final String PRIVACY = "Privacy";
  private static final String ANONYMOUS_FROM = "\"Anonymous\" <sip:anonymous@anonymous.invalid>";

  /**
   * The verdict of a call whose audit record could not be queued under {@code on-full:
   * block-calls}: 503 with Retry-After (RFC 3261 §21.5.4), the proxy being overloaded.
   */
  static final Verdict AUDIT_UNAVAILABLE = serviceUnavailable("audit-unavailable");

  private static final List<Map.Entry<String, String>> RETRY_AFTER =
      List.of(Map.entry("Retry-After", "5"));

  /**
   * The Retry-After of the 503 a new call gets during a graceful stop (see {@link
   * InFlight#stopping()}): long enough that the caller (or a dispatcher in front) tries another
   * instance rather than this one again while it drains.
   */
  static final List<Map.Entry<String, String>> STOPPING_RETRY_AFTER =
      List.of(Map.entry("Retry-After", "30"));

  /**
   * The decision on a new INVITE that came during a graceful stop: 503 with {@link
   * #STOPPING_RETRY_AFTER}. Kept like a verdict, so that its ACK is absorbed, its CANCEL answered
   * and its retransmissions answered alike.
   */
  static final Verdict STOPPING = serviceUnavailable("stopping");

  /** A block with 503 Service Unavailable for {@code reason}, decided by the proxy, not a check. */
  private static Verdict serviceUnavailable(String reason) {
    return new Verdict(
        Action.BLOCK,
        0,
        List.of(reason),
        Optional.of(new SipStatus(503, "Service Unavailable")),
        List.of(),
        Optional.empty());
  }

  private final ProxySettings settings;
  private final InetSocketAddress nextHop;
  private final Detector detector;
  private final Outbound outbound;
  private final Predicate<AuditRecord> audit;
  private final ProxyStats stats;
  private final Clock clock;
  private final SipLimits limits;
  private final Cache<String, Decision> decisions;
  private final InFlight inFlight;

  /**
   * The counters every message or INVITE increments, by transport ordinal, {@link
   * ProxyStats#METHODS} index and action ordinal: no name is built or looked up per message.
   */
  private final ProxyStats.Named[] receivedCounters;

  private final ProxyStats.Named[] requestCounters;
  private final ProxyStats.Named[] inviteCounters;
  private final ProxyStats.Named forwardedRequests;
  private final ProxyStats.Named forwardedResponses;

  public StatelessProxy(
      ProxySettings settings,
      InetSocketAddress nextHop,
      Detector detector,
      Outbound outbound,
      Predicate<AuditRecord> audit,
      ProxyStats stats,
      Clock clock) {
    this(settings, nextHop, detector, outbound, audit, stats, clock, new InFlight());
  }

  /** As above; {@code inFlight} counts the decisions started and not yet applied. */
  public StatelessProxy(
      ProxySettings settings,
      InetSocketAddress nextHop,
      Detector detector,
      Outbound outbound,
      Predicate<AuditRecord> audit,
      ProxyStats stats,
      Clock clock,
      InFlight inFlight) {
    this.inFlight = inFlight;
    this.settings = settings;
    this.nextHop = nextHop;
    this.detector = detector;
    this.outbound = outbound;
    this.audit = audit;
    this.stats = stats;
    this.clock = clock;
    this.limits = new SipLimits(settings.maxMessageBytes(), settings.maxHeaders());
    this.decisions =
        Caffeine.newBuilder().maximumSize(MAX_DECISIONS).expireAfterWrite(DECISION_TTL).build();
    this.receivedCounters = new ProxyStats.Named[Transport.values().length];
    for (Transport transport : Transport.values()) {
      receivedCounters[transport.ordinal()] =
          stats.named("received." + transport.viaToken().toLowerCase(Locale.ROOT));
    }
    this.requestCounters = new ProxyStats.Named[ProxyStats.METHODS.size()];
    for (int i = 0; i < requestCounters.length; i++) {
      requestCounters[i] = stats.named("request." + ProxyStats.METHODS.get(i));
    }
    this.inviteCounters = new ProxyStats.Named[Action.values().length];
    for (Action action : Action.values()) {
      inviteCounters[action.ordinal()] = stats.named("invite." + action.id());
    }
    this.forwardedRequests = stats.named("forwarded.request");
    this.forwardedResponses = stats.named("forwarded.response");
  }

  /**
   * Handles one message: a UDP datagram or one TCP frame.
   *
   * @param bytes the message; not retained beyond the decision
   * @param from where it came from
   * @param eventLoop the executor of the thread that received it; a verdict that completes on
   *     another thread is applied there
   */
  public void onMessage(byte[] bytes, Inbound from, EventExecutor eventLoop) {
    long received = System.nanoTime();
    receivedCounters[from.transport().ordinal()].increment();
    ParseResult result = SipCodec.parse(bytes, limits);
    if (result instanceof ParseResult.Rejected rejected) {
      onRejected(bytes, rejected, from);
    } else {
      SipMessage message = ((ParseResult.Parsed) result).message();
      int methodIndex =
          ProxyStats.methodIndex(message.isRequest() ? message.method() : message.cseqMethod());
      stats.message(
          ProxyStats.Direction.RECEIVED, message.isRequest(), methodIndex, from.transport());
      if (message.isRequest()) {
        requestCounters[methodIndex].increment();
        onRequest(message, from, eventLoop, received);
      } else {
        onResponse(message);
      }
    }
  }

  // --- malformed input -------------------------------------------------------------------------

  private void onRejected(byte[] bytes, ParseResult.Rejected rejected, Inbound from) {
    int code = rejected.defect().statusCode();
    if (code == 0) {
      stats.increment("dropped.empty");
      return;
    }
    stats.increment("rejected." + rejected.defect().name().toLowerCase(java.util.Locale.ROOT));
    Optional<byte[]> response = answerToMalformed(bytes, code, rejected.reasonPhrase());
    if (response.isPresent()) {
      stats.increment("answered.malformed");
      outbound.send(
          from.transport(),
          from.source(),
          from.connectionId(),
          response.get(),
          () -> stats.increment("dropped.response_undeliverable"));
    } else {
      stats.increment("dropped.malformed");
    }
    networkLog.debug(
        "sip.malformed",
        "{} from {}: {} ({}), {}",
        from.transport(),
        from.source(),
        rejected.defect(),
        rejected.detail(),
        response.isPresent() ? "answered " + code : "dropped");
  }

  /**
   * The response to a message we could not parse, built from its raw header lines: empty when it is
   * not a request, is an ACK (never answered, RFC 3261 §17.2.1), or lacks the headers a response
   * must copy (RFC 3261 §8.2.6.2), in which case the message is dropped.
   */
  public static Optional<byte[]> answerToMalformed(byte[] message, int code, String reason) {
    HeaderIndex index = HeaderIndex.scan(message);
    if (!index.looksLikeRequest() || index.startLine().startsWith("ACK ")) {
      return Optional.empty();
    }
    // No transaction to keep a tag for: any unique tag will do.
    String toTag = "sS" + Long.toHexString(System.nanoTime());
    return SipResponses.response(index, code, reason, toTag, SERVER_HEADER);
  }

  // --- requests --------------------------------------------------------------------------------

  private void onRequest(SipMessage request, Inbound from, EventExecutor eventLoop, long received) {
    String method = request.method();
    boolean ack = "ACK".equals(method);

    // RFC 3261 §16.3 step 4: our own Via in a request means it came back to us.
    for (Via via : request.vias()) {
      if (isOurs(via)) {
        stats.increment("rejected.loop");
        if (!ack) {
          respond(request, from, new SipStatus(482, "Loop Detected"), List.of());
        }
        return;
      }
    }
    // RFC 3261 §16.3 step 3.
    if (tooManyHops(request)) {
      stats.increment("rejected.too_many_hops");
      if (!ack) {
        respond(request, from, new SipStatus(483, "Too Many Hops"), List.of());
      }
      return;
    }
    // RFC 3261 §16.3 step 5: we support no extension a proxy could be required to.
    Optional<String> proxyRequire = request.header("Proxy-Require");
    if (requiresExtension(request)) {
      stats.increment("rejected.bad_extension");
      respond(
          request,
          from,
          new SipStatus(420, "Bad Extension"),
          List.of(Map.entry("Unsupported", proxyRequire.get())));
      return;
    }

    if (inFlight.isStopping() && startsNewTransaction(request)) {
      stats.increment("rejected.stopping");
      if ("INVITE".equals(method)) {
        Decision decision = new Decision();
        decision.verdict.complete(STOPPING);
        decisions.asMap().putIfAbsent(Branches.transactionKey(request), decision);
      }
      respond(request, from, STOPPING.response().orElseThrow(), STOPPING_RETRY_AFTER);
      return;
    }

    Trunk trunk = trunkOf(settings, from);
    switch (method) {
      case "INVITE" -> {
        if (request.to().tag().isEmpty()) {
          onInitialInvite(request, from, trunk, eventLoop, received);
        } else {
          forward(request, from, trunk, Optional.empty(), eventLoop);
        }
      }
      case "ACK" -> {
        Verdict verdict = decided(request);
        if (verdict != null && verdict.action() == Action.BLOCK) {
          // The ACK of our own rejection ends our transaction (RFC 3261 §17.2.1).
          stats.increment("absorbed.ack");
        } else {
          forward(request, from, trunk, Optional.empty(), eventLoop);
        }
      }
      case "CANCEL" -> onCancel(request, from, trunk, eventLoop);
      default -> forward(request, from, trunk, Optional.empty(), eventLoop);
    }
  }

  /**
   * Whether {@code request} opens something new that a stopping proxy turns away: an out-of-dialog
   * request (no To tag) other than ACK and CANCEL, which belong to an existing transaction, and
   * other than a retransmission of an INVITE this proxy already took in (its decision is answered
   * or replayed as before).
   */
  private boolean startsNewTransaction(SipMessage request) {
    String method = request.method();
    if ("ACK".equals(method) || "CANCEL".equals(method) || !request.to().tag().isEmpty()) {
      return false;
    }
    return !"INVITE".equals(method)
        || decisions.getIfPresent(Branches.transactionKey(request)) == null;
  }

  /** RFC 3261 §16.3 step 3: Max-Forwards is 0 (answered 483, or an ACK dropped). */
  public static boolean tooManyHops(SipMessage request) {
    OptionalInt maxForwards = request.maxForwards();
    return maxForwards.isPresent() && maxForwards.getAsInt() <= 0;
  }

  /**
   * RFC 3261 §16.3 step 5: the request requires an extension of the proxy (we support none) and is
   * answered 420; ACK and CANCEL are exempt.
   */
  public static boolean requiresExtension(SipMessage request) {
    return request.header("Proxy-Require").isPresent()
        && !"ACK".equals(request.method())
        && !"CANCEL".equals(request.method());
  }

  private Verdict decided(SipMessage request) {
    Decision decision = decisions.getIfPresent(Branches.transactionKey(request));
    return decision != null && decision.verdict.isDone() ? decision.verdict.join() : null;
  }

  /**
   * A CANCEL shares its INVITE's transaction key (RFC 3261 §9.1: same branch). While the INVITE's
   * verdict is pending the CANCEL must not reach the next hop before the INVITE does, so the first
   * one is held until the verdict is applied.
   */
  private void onCancel(SipMessage cancel, Inbound from, Trunk trunk, EventExecutor eventLoop) {
    Decision decision = decisions.getIfPresent(Branches.transactionKey(cancel));
    if (decision == null || decision.verdict.isDone()) {
      cancelDecided(
          cancel, from, trunk, decision == null ? null : decision.verdict.join(), eventLoop);
      return;
    }
    if (!decision.holdCancel()) {
      // The held one is answered (or forwarded) once the verdict is in; the UAC retransmits
      // until then (Timer E), and each retransmission would only pile up here.
      stats.increment("absorbed.cancel_retransmission");
      return;
    }
    stats.increment("held.cancel");
    // The verdict is applied to the INVITE before this stage completes (see decide), and the
    // task is queued on the CANCEL's event loop: the INVITE goes out first.
    decision.verdict.thenAccept(
        verdict -> eventLoop.execute(() -> cancelDecided(cancel, from, trunk, verdict, eventLoop)));
  }

  private void cancelDecided(
      SipMessage cancel, Inbound from, Trunk trunk, Verdict verdict, EventExecutor eventLoop) {
    if (verdict != null && verdict.action() == Action.BLOCK) {
      // We already answered the INVITE finally: the CANCEL has no effect (RFC 3261 §9.2).
      stats.increment("answered.cancel");
      // Not a SipStatus: that type holds the error codes a block may send, 400 to 699.
      respond(cancel, from, 200, "OK", List.of());
    } else {
      forward(cancel, from, trunk, Optional.empty(), eventLoop);
    }
  }

  /** {@code received}: {@link System#nanoTime} when the INVITE arrived, for the latency meter. */
  private void onInitialInvite(
      SipMessage invite, Inbound from, Trunk trunk, EventExecutor eventLoop, long received) {
    String key = Branches.transactionKey(invite);
    Decision decision = new Decision();
    Decision earlier = decisions.asMap().putIfAbsent(key, decision);
    if (earlier != null) {
      if (earlier.verdict.isDone()) {
        stats.increment("invite.retransmission.replayed");
        apply(invite, from, trunk, earlier.verdict.join(), eventLoop);
      } else {
        stats.increment("invite.retransmission.absorbed");
      }
      return;
    }
    CallContext call = callContext(invite, from, trunk);
    CompletionStage<Verdict> stage;
    inFlight.begin();
    try {
      stage = detector.inspect(call);
    } catch (RuntimeException e) {
      // The contract says failures come back in the stage; a detector that throws instead
      // must not leave the transaction pending (its retransmissions would be absorbed forever).
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (verdict, failure) -> {
          Runnable decide =
              () -> decide(invite, from, call, decision, verdict, failure, eventLoop, received);
          if (eventLoop.inEventLoop()) {
            decide.run();
          } else {
            eventLoop.execute(decide);
          }
        });
  }

  /**
   * What the detector sees of an initial INVITE that came {@code from} a peer on {@code trunk}; the
   * one place an INVITE becomes a {@link CallContext}, shared with {@code sipsentry analyze} so
   * that a capture is judged exactly as the live call was.
   */
  public static CallContext callContext(SipMessage invite, Inbound from, Trunk trunk) {
    return new CallContext(
        invite.callId(),
        from.source(),
        from.transport(),
        trunk,
        invite.requestUri(),
        invite.from(),
        invite.to(),
        invite.pAssertedIdentities(),
        invite.pPreferredIdentities(),
        invite.privacy(),
        invite.identityHeaders(),
        invite.userAgent(),
        invite.defects(),
        invite.header("Date").orElse(""));
  }

  /**
   * The trunk a request {@code from} a peer belongs to: by source address and transport, as {@link
   * #onMessage} matches it.
   */
  public static Trunk trunkOf(ProxySettings settings, Inbound from) {
    return settings.detector().trunkFor(from.source().getAddress(), from.transport());
  }

  /**
   * The key under which the proxy keeps one decision per INVITE transaction (a retransmission maps
   * to the same key); see {@link Branches#transactionKey}.
   */
  public static String transactionKey(SipMessage request) {
    return Branches.transactionKey(request);
  }

  private void decide(
      SipMessage invite,
      Inbound from,
      CallContext call,
      Decision decision,
      Verdict verdict,
      Throwable failure,
      EventExecutor eventLoop,
      long received) {
    if (failure != null) {
      // The detector promises never to fail; if it does, it is our bug. Fail open: a call
      // we cannot judge still goes through, and the audit log says so.
      log.error("detector failed on Call-ID {}; forwarding unlabelled", call.callId(), failure);
      stats.increment("invite.detector_error");
      verdict = new Verdict(Action.ALLOW, 0, List.of(), Optional.empty(), List.of());
    }
    inviteCounters[verdict.action().ordinal()].increment();
    stats.decided(System.nanoTime() - received);
    for (String reason : verdict.reasons()) {
      stats.finding(reason);
    }
    verdict.stir().ifPresent(this::count);
    if (!audit.test(new AuditRecord(clock.instant(), call, verdict))) {
      // The audit queue is full and on-full is block-calls: a call that cannot be audited is
      // not put through. Retransmissions and the ACK see this verdict (see apply).
      stats.increment("invite.audit_unavailable");
      verdict = AUDIT_UNAVAILABLE;
    }
    try {
      // Applied before the decision is published: a CANCEL held for it goes after the INVITE.
      apply(invite, from, call.trunk(), verdict, eventLoop);
    } finally {
      decision.verdict.complete(verdict);
      inFlight.end();
    }
  }

  /** {@code stir.<verstat>}, and {@code stir.failure.<id>} for a failure (bounded names). */
  private void count(StirSummary stir) {
    stats.increment("stir." + stir.verstat().toLowerCase(java.util.Locale.ROOT));
    stir.failure().ifPresent(f -> stats.increment("stir.failure." + f.id()));
    if (stir.indeterminate()) {
      stats.increment("stir.indeterminate");
    }
  }

  private void apply(
      SipMessage invite, Inbound from, Trunk trunk, Verdict verdict, EventExecutor eventLoop) {
    if (verdict.action() == Action.BLOCK) {
      respond(
          invite,
          from,
          verdict.response().orElseThrow(),
          verdict == AUDIT_UNAVAILABLE
              ? RETRY_AFTER
              : verdict == STOPPING ? STOPPING_RETRY_AFTER : List.of());
    } else {
      forward(invite, from, trunk, Optional.of(verdict), eventLoop);
    }
  }

  /**
   * Forwards a request to the next hop: RFC 3261 §16.6 steps 3 (Max-Forwards) and 8 (Via), the
   * trust boundary of RFC 3325 §5 (P-Asserted-Identity from untrusted sources is removed, and so is
   * a verdict header nobody but us may set), and the verdict's label.
   */
  private void forward(
      SipMessage request,
      Inbound from,
      Trunk trunk,
      Optional<Verdict> verdict,
      EventExecutor eventLoop) {
    Transport transport = settings.nextHopTransport().orElse(from.transport());
    HeaderIndex index = HeaderIndex.scan(request.bytes());
    MessageEditor edit = new MessageEditor(index);
    String receivedParameters = receivedParameters(request.vias().get(0), from.source());
    if (!receivedParameters.isEmpty()) {
      edit.addTopViaParameters(receivedParameters);
    }
    StringBuilder via =
        new StringBuilder("SIP/2.0/")
            .append(transport.viaToken())
            .append(' ')
            .append(outbound.sentBy(transport))
            .append(";branch=")
            .append(Branches.forRequest(request));
    if (from.transport() == Transport.TCP) {
      // Which connection the responses go back on (RFC 3261 §18.2.2), kept in our own Via so
      // that the proxy stays stateless; the next hop echoes it in every response.
      via.append(";i=").append(from.connectionId());
    }
    edit.addViaOnTop(via.toString());
    OptionalInt maxForwards = request.maxForwards();
    edit.setMaxForwards(
        maxForwards.isPresent() ? maxForwards.getAsInt() - 1 : DEFAULT_MAX_FORWARDS);
    if (!trunk.trusted()) {
      if (!request.pAssertedIdentities().isEmpty()
          || request.header(P_ASSERTED_IDENTITY).isPresent()) {
        stats.increment("removed.untrusted_pai");
      }
      edit.removeHeaders(P_ASSERTED_IDENTITY);
      edit.removeHeaders(settings.verdictHeader());
      // Nobody outside the trust domain may assert a verification result.
      edit.removeUriParameter(FROM, VERSTAT);
      removeStirReasons(edit, index);
    }
    Action action = verdict.map(Verdict::action).orElse(Action.ALLOW);
    if (action == Action.LABEL || action == Action.ANONYMISE) {
      edit.removeHeaders(settings.verdictHeader());
      edit.addHeader(settings.verdictHeader(), verdictHeaderValue(verdict.get()));
    }
    if (action == Action.ANONYMISE) {
      anonymise(edit, index, request);
    } else if (verdict.isPresent() && verdict.get().stir().isPresent()) {
      label(edit, index, trunk, verdict.get().stir().get());
    }
    if (action == Action.LABEL && settings.displayNamePrefix().isPresent()) {
      prefixDisplayNames(edit, trunk, settings.displayNamePrefix().get());
    }
    outbound.send(
        transport,
        nextHop,
        0,
        edit.toBytes(),
        () -> eventLoop.execute(() -> nextHopUnreachable(request, from)));
    forwardedRequests.increment();
    stats.message(ProxyStats.Direction.FORWARDED, true, request.method(), transport);
  }

  /**
   * Removes the caller's identity, the Swiss "remove the CLI" option: the From becomes RFC 3323
   * §4.1.1.3's anonymous identity with its tag kept (it names the dialog, RFC 3261 §8.1.1.3), every
   * P-Asserted-Identity goes, and {@code Privacy: id} asks the next hops to withhold any identity
   * they add (RFC 3325 §9.3). The other values of a received Privacy header are kept. No verstat is
   * added: there is no identity left to vouch for.
   */
  private void anonymise(MessageEditor edit, HeaderIndex index, SipMessage request) {
    String tag = request.from().tag();
    for (HeaderLine line : index.all(FROM)) {
      edit.replaceHeaderValue(line, ANONYMOUS_FROM + (tag.isEmpty() ? "" : ";tag=" + tag));
    }
    edit.removeHeaders(P_ASSERTED_IDENTITY);
    List<String> privacy = new ArrayList<>();
    for (HeaderLine line : index.all(PRIVACY)) {
      for (String value : index.value(line).split(";")) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && !v.equals("none") && !v.equals("id") && !privacy.contains(v)) {
          privacy.add(v);
        }
      }
    }
    privacy.add("id");
    edit.removeHeaders(PRIVACY);
    edit.addHeader(PRIVACY, String.join(";", privacy));
    stats.increment("anonymised");
  }

  /**
   * {@code actions.label.display-name-prefix}: the prefix goes in front of the display name of the
   * From and of every P-Asserted-Identity entry (from a trusted trunk; others' are removed), since
   * the callee's phone may show either: a UA inside the trust domain usually shows the asserted
   * identity (RFC 3325 §9.1), others the From. The URIs, tags and parameters are untouched, so the
   * dialog (RFC 3261 §12) and the verstat stay as they are; an anonymised call is not prefixed.
   */
  private void prefixDisplayNames(MessageEditor edit, Trunk trunk, String prefix) {
    edit.prefixDisplayNames(FROM, prefix);
    if (trunk.trusted()) {
      edit.prefixDisplayNames(P_ASSERTED_IDENTITY, prefix);
    }
    stats.increment("labelled.display_name");
  }

  /**
   * Removes the {@code STIR} entries of every Reason header (RFC 9410): from an untrusted trunk
   * they are a caller's claim about a verification nobody we trust made. Other protocols' entries
   * ({@code SIP}, {@code Q.850}) on the same line are kept.
   */
  private void removeStirReasons(MessageEditor edit, HeaderIndex index) {
    for (HeaderLine line : index.all(REASON)) {
      List<String> entries = ReasonEntries.split(index.value(line));
      List<String> kept = new ArrayList<>(entries.size());
      for (String entry : entries) {
        if (!ReasonEntries.isStir(entry)) {
          kept.add(entry);
        }
      }
      if (kept.size() == entries.size()) {
        continue;
      }
      stats.increment("removed.untrusted_stir_reason");
      if (kept.isEmpty()) {
        edit.removeLine(line);
      } else {
        edit.replaceHeaderValue(line, String.join(", ", kept));
      }
    }
  }

  /**
   * Our verification result on the INVITE: {@code ;verstat=} on the P-Asserted-Identity, its tel
   * URI first, when a trusted trunk sent one, else on the From (3GPP TS 24.229 §7.2A.20); any other
   * verstat of the INVITE removed, so that only ours is read; and RFC 9410's Reason header when the
   * trunk continues with one.
   */
  private void label(MessageEditor edit, HeaderIndex index, Trunk trunk, StirSummary stir) {
    List<HeaderUri> asserted = trunk.trusted() ? index.uris(P_ASSERTED_IDENTITY) : List.of();
    HeaderUri target = null;
    for (HeaderUri uri : asserted) {
      if ("tel".equals(uri.scheme())) {
        target = uri;
        break;
      }
    }
    if (target == null && !asserted.isEmpty()) {
      target = asserted.get(0);
    }
    if (target == null) {
      List<HeaderUri> from = index.uris(FROM);
      target = from.isEmpty() ? null : from.get(0);
    }
    if (trunk.trusted()) {
      // From an untrusted trunk, P-Asserted-Identity is gone and the From's verstat is already.
      edit.removeUriParameter(FROM, VERSTAT);
      edit.removeUriParameter(P_ASSERTED_IDENTITY, VERSTAT);
    }
    if (target != null) {
      edit.setUriParameter(target, VERSTAT, stir.verstat());
    } else {
      stats.increment("stir.verstat_unplaced");
    }
    stir.reasonHeaderValue().ifPresent(reason -> edit.addHeader(REASON, reason));
  }

  /**
   * The next hop could not be reached (no socket, TCP connection refused or timed out): the
   * request's sender gets 503 (RFC 3261 §16.7 step 6 lets a proxy generate it), so a call fails at
   * once rather than after timer B. ACKs are not answered.
   */
  private void nextHopUnreachable(SipMessage request, Inbound from) {
    stats.increment("next_hop.unreachable");
    if (!"ACK".equals(request.method())) {
      respond(request, from, new SipStatus(503, "Service Unavailable"), List.of());
    }
  }

  /** {@code <action>;score=<0-100>;reasons=<id,id>} (ARCHITECTURE.md, public surface). */
  static String verdictHeaderValue(Verdict verdict) {
    return verdict.action().id()
        + ";score="
        + verdict.score()
        + ";reasons="
        + String.join(",", verdict.reasons());
  }

  /**
   * RFC 3261 §18.2.1 and RFC 3581 §4: {@code received} when the sent-by host is not the address the
   * request came from, {@code rport} filled in when the client asked for it.
   */
  private static String receivedParameters(Via top, InetSocketAddress source) {
    StringBuilder parameters = new StringBuilder();
    InetAddress address = source.getAddress();
    if (!IpLiterals.sameAddress(top.host(), address)) {
      parameters.append(";received=").append(address.getHostAddress());
    }
    if (top.hasRport() && top.rport().isEmpty()) {
      parameters.append(";rport=").append(source.getPort());
    }
    return parameters.toString();
  }

  /**
   * Answers a request ourselves, statelessly (RFC 3261 §16.11): over UDP to the address it came
   * from (the port per RFC 3581 when asked, else the sent-by port); over TCP on its connection.
   */
  private void respond(
      SipMessage request,
      Inbound from,
      SipStatus status,
      List<Map.Entry<String, String>> extraHeaders) {
    respond(request, from, status.code(), status.reason(), extraHeaders);
  }

  private void respond(
      SipMessage request,
      Inbound from,
      int code,
      String reason,
      List<Map.Entry<String, String>> extraHeaders) {
    List<Map.Entry<String, String>> headers =
        extraHeaders.isEmpty()
            ? SERVER_HEADER
            : java.util.stream.Stream.concat(SERVER_HEADER.stream(), extraHeaders.stream())
                .toList();
    Optional<byte[]> response =
        SipResponses.response(
            HeaderIndex.scan(request.bytes()), code, reason, Branches.toTag(request), headers);
    if (response.isEmpty()) {
      stats.increment("dropped.unanswerable");
      return;
    }
    InetSocketAddress destination = from.source();
    if (from.transport() == Transport.UDP) {
      Via top = request.vias().get(0);
      if (!top.hasRport()) {
        int port = top.port() > 0 ? top.port() : 5060;
        destination = new InetSocketAddress(from.source().getAddress(), port);
      }
    }
    outbound.send(
        from.transport(),
        destination,
        from.connectionId(),
        response.get(),
        () -> stats.increment("dropped.response_undeliverable"));
    stats.increment("answered." + code);
  }

  // --- responses -------------------------------------------------------------------------------

  /** RFC 3261 §16.7 for a stateless proxy: pop our Via, send to the next one (§18.2.2). */
  private void onResponse(SipMessage response) {
    List<Via> vias = response.vias();
    if (!isOurs(vias.get(0))) {
      stats.increment("dropped.response_not_ours");
      return;
    }
    if (vias.size() < 2) {
      stats.increment("dropped.response_no_next_via");
      return;
    }
    Via next = vias.get(1);
    Transport transport = Transport.fromViaToken(next.transport());
    Optional<InetAddress> host = IpLiterals.parse(next.received().orElse(next.host()));
    if (transport == null || host.isEmpty()) {
      // A host name would need DNS, which must not run on the event loop; we add received=
      // to every request whose sent-by is not its source address, so this is rare.
      stats.increment("dropped.response_unroutable");
      return;
    }
    int port = next.rport().orElse(next.port() > 0 ? next.port() : 5060);
    long connection = 0;
    String connectionParameter = vias.get(0).parameters().get("i");
    if (connectionParameter != null) {
      try {
        connection = Long.parseLong(connectionParameter);
      } catch (NumberFormatException e) {
        stats.increment("dropped.response_bad_connection_id");
        return;
      }
    }
    byte[] forwarded =
        new MessageEditor(HeaderIndex.scan(response.bytes())).removeTopVia().toBytes();
    outbound.send(
        transport,
        new InetSocketAddress(host.get(), port),
        connection,
        forwarded,
        () -> stats.increment("dropped.response_undeliverable"));
    forwardedResponses.increment();
    stats.message(ProxyStats.Direction.FORWARDED, false, response.cseqMethod(), transport);
  }

  /** A Via we put there: our branch prefix and one of our sent-by addresses. */
  private boolean isOurs(Via via) {
    return isOwnVia(via, outbound.sentBy(Transport.UDP), outbound.sentBy(Transport.TCP));
  }

  /**
   * Whether {@code via} is one a proxy whose sent-by addresses are {@code udpSentBy} and {@code
   * tcpSentBy} ({@code host:port}) adds when it forwards a request: our branch prefix and one of
   * those sent-bys. Also for {@code sipsentry analyze}, which tells the proxy's own forwards apart.
   */
  public static boolean isOwnVia(Via via, String udpSentBy, String tcpSentBy) {
    if (!via.branch().startsWith(Branches.PREFIX)) {
      return false;
    }
    String sentBy = via.port() > 0 ? via.sentBy() : via.sentBy() + ":5060";
    return sentBy.equalsIgnoreCase(udpSentBy) || sentBy.equalsIgnoreCase(tcpSentBy);
  }
}
