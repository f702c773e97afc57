package org.sipsentry.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;

/**
 * What the proxy counted since it started. Lock-free; read at any time from any thread. Every
 * message that is not forwarded is counted under the reason it was not.
 *
 * <p>Each instance has its own Prometheus registry (several proxies may run in one JVM, as in the
 * tests): every named counter is exported there (see {@link CounterMeters}), next to the meters
 * with more than one dimension: messages by method and transport, findings by reason, the decision
 * latency and the open certificate breakers. {@code GET /metrics} scrapes it.
 */
public final class ProxyStats {

  /** Received or forwarded, the {@code direction} tag of {@code sipsentry_messages_total}. */
  public enum Direction {
    RECEIVED,
    FORWARDED
  }

  /** Methods tagged by name; anything else is tagged OTHER (bounded label values). */
  public static final List<String> METHODS =
      List.of(
          "INVITE",
          "ACK",
          "BYE",
          "CANCEL",
          "OPTIONS",
          "REGISTER",
          "PRACK",
          "UPDATE",
          "INFO",
          "SUBSCRIBE",
          "NOTIFY",
          "REFER",
          "MESSAGE",
          "PUBLISH",
          "OTHER");

  private static final Map<String, Integer> METHOD_INDEX = buildMethodIndex();

  /**
   * The decision latency histogram's buckets: a verdict without I/O takes tens of microseconds, one
   * that fetches a certificate up to the fetch timeout (default 2 s).
   */
  private static final Duration[] DECISION_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5)
  };

  /** Counters by name; names are stable and documented in docs/operations.md. */
  private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

  private final PrometheusMeterRegistry registry;

  /**
   * {@code sipsentry_messages_total} by direction, kind, method and transport; made on first use.
   */
  private final AtomicReferenceArray<Counter> messages =
      new AtomicReferenceArray<>(2 * 2 * METHODS.size() * Transport.values().length);

  /** By rule id; rule ids come from the code and the config file, never from the network. */
  private final ConcurrentHashMap<String, Counter> findings = new ConcurrentHashMap<>();

  private final Timer decisions;

  /** The certificate fetchers of the running generations, for the open breakers gauge. */
  private final Set<CertificateFetcher> fetchers = ConcurrentHashMap.newKeySet();

  /** Counts into a registry of its own. */
  public ProxyStats() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Counts into {@code registry}, which nothing else may share a meter name with. */
  public ProxyStats(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.decisions =
        Timer.builder("sipsentry.decision")
            .description("Time from an initial INVITE received to its verdict")
            .serviceLevelObjectives(DECISION_BUCKETS)
            .register(registry);
    Gauge.builder("sipsentry.certificate.breakers.open", this, ProxyStats::openBreakers)
        .description("Hosts whose x5u certificate fetch breaker is open now")
        .register(registry);
  }

  /**
   * One named counter, held by a per-message path: {@link #increment()} counts exactly as {@link
   * ProxyStats#increment(String)} with its name does, without building the name or looking it up
   * for every message. Like a name, it is created (and exported) on its first increment.
   */
  public static final class Named {
    private final ProxyStats stats;
    private final String name;

    /** The counter once it was incremented; racing first increments get the same one. */
    private volatile LongAdder adder;

    private Named(ProxyStats stats, String name) {
      this.stats = stats;
      this.name = name;
    }

    /** Adds one to the counter. */
    public void increment() {
      LongAdder counter = adder;
      if (counter == null) {
        counter = stats.adder(name);
        adder = counter;
      }
      counter.increment();
    }

    /** The counter's name, e.g. {@code received.udp}. */
    public String name() {
      return name;
    }
  }

  /** A handle on counter {@code name}, for code that increments it per message. */
  public Named named(String name) {
    return new Named(this, name);
  }

  /** Adds one to {@code name}. */
  public void increment(String name) {
    LongAdder adder = counters.get(name);
    if (adder == null) {
      adder = create(name);
    }
    adder.increment();
  }

  private LongAdder adder(String name) {
    LongAdder adder = counters.get(name);
    return adder == null ? create(name) : adder;
  }

  private LongAdder create(String name) {
    LongAdder created = new LongAdder();
    LongAdder earlier = counters.putIfAbsent(name, created);
    if (earlier != null) {
      return earlier;
    }
    CounterMeters.register(registry, name, created);
    return created;
  }

  /** The current value of {@code name}, 0 if it was never incremented. */
  public long get(String name) {
    LongAdder adder = counters.get(name);
    return adder == null ? 0 : adder.sum();
  }

  /** A sorted snapshot of every counter. */
  public Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counters.forEach((name, adder) -> snapshot.put(name, adder.sum()));
    return snapshot;
  }

  /**
   * Counts one parsed message in {@code sipsentry_messages_total}.
   *
   * @param method the request's method, or a response's CSeq method; unknown ones count as OTHER
   */
  public void message(Direction direction, boolean request, String method, Transport transport) {
    message(direction, request, methodIndex(method), transport);
  }

  /**
   * As above, with the method given as its {@link #methodIndex(String)}: for a caller that counts
   * the same message under more than one meter and looks the method up once.
   */
  public void message(Direction direction, boolean request, int methodIndex, Transport transport) {
    int slot =
        ((direction.ordinal() * 2 + (request ? 0 : 1)) * METHODS.size() + methodIndex)
                * Transport.values().length
            + transport.ordinal();
    Counter counter = messages.get(slot);
    if (counter == null) {
      counter =
          Counter.builder("sipsentry.messages")
              .description("Parsed SIP messages received and forwarded, by method and transport")
              .tag("direction", direction.name().toLowerCase(java.util.Locale.ROOT))
              .tag("kind", request ? "request" : "response")
              .tag("method", METHODS.get(methodIndex))
              .tag("transport", transport.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry);
      // The registry returns the same counter to every racing thread.
      messages.set(slot, counter);
    }
    counter.increment();
  }

  /**
   * {@code method} if it is one of the {@link #METHODS} named in metrics, else {@code OTHER}: the
   * bounded set of method names a counter may carry.
   */
  public static String methodName(String method) {
    return METHOD_INDEX.containsKey(method) ? method : "OTHER";
  }

  /** {@code method}'s position in {@link #METHODS}; that of {@code OTHER} when it is not named. */
  public static int methodIndex(String method) {
    Integer index = METHOD_INDEX.get(method);
    return index == null ? METHODS.size() - 1 : index;
  }

  /** Counts a finding of rule {@code reason} in a verdict. */
  public void finding(String reason) {
    Counter counter = findings.get(reason);
    if (counter == null) {
      counter =
          findings.computeIfAbsent(
              reason,
              r ->
                  Counter.builder("sipsentry.findings")
                      .description("Reasons given in verdicts, by rule id")
                      .tag("reason", r)
                      .register(registry));
    }
    counter.increment();
  }

  /** Records the time from an initial INVITE received to its verdict. */
  public void decided(long nanos) {
    decisions.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts the open breakers of {@code fetcher} in the gauge until {@link #untrack} is called. */
  public void track(CertificateFetcher fetcher) {
    fetchers.add(fetcher);
  }

  /** Stops counting {@code fetcher}'s breakers (it was closed with its generation). */
  public void untrack(CertificateFetcher fetcher) {
    fetchers.remove(fetcher);
  }

  private double openBreakers() {
    int open = 0;
    for (CertificateFetcher fetcher : fetchers) {
      open += fetcher.openBreakers();
    }
    return open;
  }

  /** The registry every counter and meter of this instance is in; scrape it for /metrics. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  private static Map<String, Integer> buildMethodIndex() {
    Map<String, Integer> index = new ConcurrentHashMap<>();
    for (int i = 0; i < METHODS.size() - 1; i++) {
      index.put(METHODS.get(i), i);
    }
    return Map.copyOf(index);
  }
}
