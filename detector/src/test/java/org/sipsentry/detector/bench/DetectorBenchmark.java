package org.sipsentry.detector.bench;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.CheckOptions;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RateLimits;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.Verdict;
import org.sipsentry.detector.internal.CheckingDetector;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirVerifier;
import org.sipsentry.sip.stir.cert.CertificateChain;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * The whole detector on one initial INVITE, as the proxy calls it: every check on (the rules and
 * lists of {@code config/sipsentry.example.yaml}, plus {@code neighbour-spoofing}, which the
 * example leaves off), a 1,000,000-entry Do-Not-Originate list, rate limits, and STIR/SHAKEN on
 * both trunks with a precomputed {@code Pass} outcome per call (each call carries its own signed
 * PASSporT, verified once in the set-up; sip-core's {@code VerifyInviteBenchmark} measures the
 * verification itself).
 *
 * <p>The INVITEs cycle through {@link #calls} prepared calls, a quarter each of: a clean domestic
 * call on the trusted carrier, the bank's Do-Not-Originate number from the international transit
 * trunk, a Swiss mobile from the transit trunk (roaming, exempt), and a From that differs from the
 * carrier's P-Asserted-Identity. Caller numbers differ per call, so number caches and the rate
 * counters see many keys. The detector's clock advances {@value #TICK_MICROS} µs per call, so the
 * steady state stays under the per-caller and per-source rates as real traffic would (without that
 * every caller would be over its rate after 30 calls), and a pass over 16,384 calls spans more than
 * the 10 minutes PASSporTs are remembered: each pass records every PASSporT afresh. The step is per
 * call, not per read of the clock, so that how often the detector reads its clock does not change
 * what the benchmark measures (until 2026-12-04 it was 10 ms per read, ~88 ms per call with STIR).
 *
 * <p>Run with {@code scripts/bench.sh --module detector DetectorBenchmark}; figures in {@code
 * docs/PERFORMANCE.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@State(Scope.Thread)
public class DetectorBenchmark {

  static final int DNO_ENTRIES = 1_000_000;
  static final long TICK_MICROS = 100_000;

  private static final String X5U = "https://certs.example.net/sp.pem";
  private static final Trunk CARRIER =
      new Trunk(
          "carrier",
          List.of(Cidr.parse("127.0.0.2/32"), Cidr.parse("192.0.2.0/24")),
          true,
          StirSettings.of(StirSettings.Mode.VERIFY),
          false,
          Set.of(),
          Optional.empty(),
          Optional.empty());
  private static final Trunk TRANSIT =
      new Trunk(
          "transit",
          List.of(Cidr.parse("198.51.100.0/24")),
          false,
          StirSettings.of(StirSettings.Mode.VERIFY),
          true,
          Set.of(),
          Optional.of(new Thresholds(20, Optional.of(60), 80)),
          Optional.of(Attestation.C));

  /** {@code cached}: both trunks verify, with a precomputed outcome; {@code off}: no trunk does. */
  @Param({"cached", "off"})
  public String stir;

  /**
   * Distinct calls (and caller numbers), a power of two. 16,384 fit in the detector's number
   * caches, so the default measures calls from numbers seen before; {@code -p calls=262144 -p
   * stir=off} measures mostly numbers not seen in the last 50,000 (libphonenumber parses them).
   */
  @Param({"16384"})
  public int calls;

  private SteppingClock clock;
  private CheckingDetector detector;
  private CallContext[] invites;
  private int next;

  /**
   * The precomputed outcome of each call's verification, by call index, and the one of the call
   * being inspected, which the detector's verification answers. An array read: looking the outcome
   * up by Identity header in a map of all calls cost ~0.7 µs of cache misses per call with 262,144
   * calls, a cost of the benchmark, not of the detector.
   */
  private List<CompletionStage<StirOutcome>> outcomes;

  private CompletionStage<StirOutcome> outcome;

  @Setup
  public void setUp() {
    boolean verify = stir.equals("cached");
    Trunk carrier = verify ? CARRIER : CARRIER.withoutStir();
    Trunk transit = verify ? TRANSIT : TRANSIT.withoutStir();
    DetectorSettings settings = settings(carrier, transit);
    clock = new SteppingClock(TestPki.NOW, TICK_MICROS * 1000);
    if (Integer.bitCount(calls) != 1 || calls < 4) {
      throw new IllegalArgumentException("calls must be a power of two, at least 4: " + calls);
    }
    invites = invites(calls, carrier, transit, verify);
    outcomes = verify ? passed(invites) : null;
    detector = CheckingDetector.withVerification(settings, request -> outcome, clock);
    // Every kind of call must come out as intended, or the mix measures something else.
    expect(0, Action.ALLOW);
    expect(1, Action.BLOCK);
    expect(2, Action.ALLOW);
    expect(3, Action.LABEL);
  }

  @Benchmark
  public Verdict inspect() {
    CallContext call = invites[next];
    outcome = outcomes == null ? null : outcomes.get(next);
    clock.step();
    next = (next + 1) & (invites.length - 1);
    return detector.inspect(call).toCompletableFuture().join();
  }

  private void expect(int index, Action action) {
    outcome = outcomes == null ? null : outcomes.get(index);
    clock.step();
    Verdict verdict = detector.inspect(invites[index]).toCompletableFuture().join();
    if (verdict.action() != action) {
      throw new IllegalStateException(
          "call " + index + " should be " + action + " but is " + verdict);
    }
  }

  /** The settings of config/sipsentry.example.yaml, with neighbour-spoofing on. */
  static DetectorSettings settings(Trunk carrier, Trunk transit) {
    CallerList deny =
        new CallerList(
            List.of(),
            Set.of(),
            List.of(Cidr.parse("203.0.113.0/24")),
            List.of(
                Pattern.compile("friendly-scanner", Pattern.CASE_INSENSITIVE),
                Pattern.compile("sipvicious", Pattern.CASE_INSENSITIVE)));
    Duration window = Duration.ofSeconds(60);
    CheckOptions options =
        new CheckOptions(
            true,
            List.of(new NamedList("bank-dno.txt", dnoList(DNO_ENTRIES))),
            deny,
            CallerList.EMPTY,
            7,
            Set.of(),
            Set.of(),
            Map.of(
                "carrier", new RateLimits(window, 30, 0),
                "transit", new RateLimits(window, 30, 300),
                "default", new RateLimits(window, 30, 300)));
    Map<String, RuleSettings> rules =
        Map.of(
            "neighbour-spoofing",
            new RuleSettings(true, 20, Optional.empty(), Optional.empty()),
            "domestic-cli-from-abroad",
            RuleSettings.weighted(80));
    return new DetectorSettings(
        List.of("CH", "LI"),
        List.of(carrier, transit),
        rules,
        30,
        80,
        new SipStatus(608, "Rejected"),
        options,
        Optional.empty());
  }

  /**
   * The example's two entries (the bank's service line, Do-Not-Originate, and its branch range,
   * carrier only), then random Swiss fixed-line numbers to {@code size} entries, a twentieth of
   * them prefixes.
   */
  static NumberList dnoList(int size) {
    NumberList.Builder builder = NumberList.builder();
    builder.add("41446681800", false, NumberRule.NEVER_ORIGINATES);
    NumberRule carrierOnly = new NumberRule(Set.of("carrier"), Optional.empty());
    builder.add("4144668", true, carrierOnly);
    SplittableRandom random = new SplittableRandom(4);
    while (builder.size() < size) {
      long subscriber = random.nextLong(210_000_000L, 620_000_000L);
      if (random.nextInt(20) == 0) {
        builder.add("41" + subscriber / 100, true, carrierOnly);
      } else {
        builder.add("41" + subscriber, false, NumberRule.NEVER_ORIGINATES);
      }
    }
    return builder.build();
  }

  private static CallContext[] invites(int count, Trunk carrier, Trunk transit, boolean signed) {
    PassportSigner signer =
        new PassportSigner(TestPki.endEntity().privateKey(), X5U, Es256.shared());
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(TestPki.NOW.atZone(ZoneOffset.UTC));
    CallContext[] calls = new CallContext[count];
    for (int i = 0; i < count; i++) {
      // Numbers vary per call; the ranges are ones libphonenumber knows as CH fixed and mobile.
      String fixed = String.format("+41315%06d", 100_000 + i);
      String mobile = String.format("+41791%06d", 100_000 + i);
      String callee = String.format("+41447%06d", 100_000 + (i * 7919) % 900_000);
      String callId = "b" + i + "@bench";
      String caller = (i & 3) == 1 ? "+41446681800" : (i & 3) == 2 ? mobile : fixed;
      List<String> identity =
          signed ? List.of(identityHeader(signer, caller, callee, i)) : List.of();
      calls[i] =
          switch (i & 3) {
            case 0 ->
                call(
                    callId,
                    "192.0.2." + (1 + i % 200),
                    carrier,
                    fixed,
                    List.of(fixed),
                    callee,
                    identity,
                    "Asterisk PBX 18.20.0",
                    date);
            case 1 ->
                call(
                    callId,
                    "198.51.100." + (1 + i % 250),
                    transit,
                    "+41446681800",
                    List.of(),
                    callee,
                    identity,
                    "Cisco-SIPGateway/IOS-15.x",
                    date);
            case 2 ->
                call(
                    callId,
                    "198.51.100." + (1 + i % 250),
                    transit,
                    mobile,
                    List.of(),
                    callee,
                    identity,
                    "Cisco-SIPGateway/IOS-15.x",
                    date);
            default ->
                call(
                    callId,
                    "192.0.2." + (1 + i % 200),
                    carrier,
                    String.format("+41316%06d", 100_000 + i),
                    List.of(fixed),
                    callee,
                    identity,
                    "FPBX-16.0.40(18.20.0)",
                    date);
          };
    }
    return calls;
  }

  private static CallContext call(
      String callId,
      String source,
      Trunk trunk,
      String from,
      List<String> pai,
      String to,
      List<String> identity,
      String userAgent,
      String date) {
    return new CallContext(
        callId,
        new InetSocketAddress(source, 5060),
        Transport.UDP,
        trunk,
        "sip:" + to + "@proxy.example;user=phone",
        sip("\"Caller\" <sip:" + from + "@pbx.example;user=phone>", from, "pbx.example"),
        sip("<sip:" + to + "@proxy.example;user=phone>", to, "proxy.example"),
        pai.stream()
            .map(p -> sip("<sip:" + p + "@carrier.example>", p, "carrier.example"))
            .toList(),
        List.of(),
        List.of(),
        identity,
        userAgent,
        List.of(),
        date);
  }

  private static NameAddress sip(String text, String user, String host) {
    String uri = text.substring(text.indexOf('<') + 1, text.indexOf('>'));
    return new NameAddress("", uri, "sip", user, host, Map.of("user", "phone"), "");
  }

  /** A real SHAKEN Identity header with its own origid, as every call carries. */
  private static String identityHeader(
      PassportSigner signer, String caller, String callee, int call) {
    return signer.identity(
        Attestation.A,
        CanonicalTn.parse(caller).orElseThrow(),
        List.of(CanonicalTn.parse(callee).orElseThrow()),
        TestPki.NOW.minus(Duration.ofSeconds(2)),
        String.format("123e4567-e89b-12d3-a456-%012d", call));
  }

  /**
   * The outcome of verifying each call's Identity header once, for real, with the test PKI: what
   * the benchmarked detector's verification answers, by call index.
   */
  private static List<CompletionStage<StirOutcome>> passed(CallContext[] calls) {
    StiCertificateValidator validator =
        new StiCertificateValidator(
            TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());
    CertificateValidation valid =
        validator.validate(
            CertificateChain.of(
                TestPki.endEntity().certificate(), TestPki.intermediate().certificate()),
            TestPki.NOW);
    CompletionStage<CertificateValidation> cached = CompletableFuture.completedFuture(valid);
    StirVerifier verifier =
        new StirVerifier(StirPolicy.DEFAULT, (x5u, now) -> cached, Es256.shared());
    List<CompletionStage<StirOutcome>> outcomes = new ArrayList<>(calls.length);
    for (CallContext call : calls) {
      String caller =
          call.pAssertedIdentities().isEmpty()
              ? call.from().user()
              : call.pAssertedIdentities().get(0).user();
      StirOutcome outcome =
          verifier
              .verify(
                  StirRequest.of(
                      call.identityHeaders(),
                      caller,
                      call.to().user(),
                      Optional.empty(),
                      TestPki.NOW))
              .toCompletableFuture()
              .join();
      if (!(outcome instanceof StirOutcome.Pass)) {
        throw new IllegalStateException(call.callId() + " does not verify: " + outcome);
      }
      outcomes.add(CompletableFuture.completedFuture(outcome));
    }
    return outcomes;
  }

  /** A clock that moves forward by a fixed step each time {@link #step} is called. */
  private static final class SteppingClock extends Clock {
    private final Instant start;
    private final long stepNanos;
    private final AtomicLong steps = new AtomicLong();

    SteppingClock(Instant start, long stepNanos) {
      this.start = start;
      this.stepNanos = stepNanos;
    }

    void step() {
      steps.incrementAndGet();
    }

    @Override
    public Instant instant() {
      return start.plusNanos(stepNanos * steps.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a benchmark clock");
    }
  }
}
