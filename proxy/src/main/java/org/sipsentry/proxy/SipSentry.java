package org.sipsentry.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sipsentry.detector.Detector;
import org.sipsentry.proxy.audit.AuditLog;
import org.sipsentry.proxy.core.StatelessProxy;
import org.sipsentry.proxy.core.Warmup;
import org.sipsentry.proxy.transport.SipTransports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running SipSentry: its listeners, the proxy and the audit log. Start one with {@link #start};
 * {@link #close} stops accepting, then flushes the audit log.
 */
public final class SipSentry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SipSentry.class);

  /** An upper bound on start-up time spent warming up; it usually takes about a second. */
  private static final Duration WARMUP_BUDGET = Duration.ofSeconds(2);

  private final ProxySettings settings;
  private final ProxyStats stats;
  private final SipTransports transports;
  private final AuditLog audit;

  private SipSentry(
      ProxySettings settings, ProxyStats stats, SipTransports transports, AuditLog audit) {
    this.settings = settings;
    this.stats = stats;
    this.transports = transports;
    this.audit = audit;
  }

  /**
   * Opens the audit log, resolves the next hop and binds the listeners.
   *
   * @throws IOException when a listener cannot be bound, the next hop does not resolve, or the
   *     audit log cannot be opened; the message says which
   */
  public static SipSentry start(ProxySettings settings) throws IOException {
    InetSocketAddress nextHop =
        new InetSocketAddress(settings.nextHop().host(), settings.nextHop().port());
    if (nextHop.isUnresolved()) {
      throw new IOException("next hop " + settings.nextHop() + " does not resolve");
    }
    ProxyStats stats = new ProxyStats();
    AuditLog audit;
    try {
      audit = AuditLog.open(settings.auditLog(), stats);
    } catch (IOException e) {
      throw new IOException("cannot open audit log " + settings.auditLog() + ": " + e, e);
    }
    Detector detector = Detector.of(settings.detector());
    long warmupStart = System.nanoTime();
    int warmupCalls = Warmup.run(settings, detector, WARMUP_BUDGET);
    log.info(
        "warmed up with {} synthetic calls in {} ms",
        warmupCalls,
        (System.nanoTime() - warmupStart) / 1_000_000);
    SipTransports transports = new SipTransports(settings, stats);
    StatelessProxy proxy =
        new StatelessProxy(
            settings, nextHop, detector, transports, audit::record, stats, Clock.systemUTC());
    try {
      transports.bind(proxy::onMessage);
    } catch (Exception e) {
      transports.close();
      closeQuietly(audit);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on " + listenDescription(settings) + ": " + e, e);
    }
    return new SipSentry(settings, stats, transports, audit);
  }

  /** The settings it runs with. */
  public ProxySettings settings() {
    return settings;
  }

  /** What it counted so far. */
  public ProxyStats stats() {
    return stats;
  }

  /** The bound UDP address, if listening on UDP. */
  public Optional<InetSocketAddress> udpAddress() {
    return transports.udpAddress();
  }

  /** The bound TCP address, if listening on TCP. */
  public Optional<InetSocketAddress> tcpAddress() {
    return transports.tcpAddress();
  }

  /** One line for the log: where it listens and where it forwards. */
  public String describe() {
    List<String> listeners = new ArrayList<>();
    udpAddress().ifPresent(address -> listeners.add("udp " + format(address)));
    tcpAddress().ifPresent(address -> listeners.add("tcp " + format(address)));
    return "listening on "
        + String.join(", ", listeners)
        + "; next hop "
        + settings.nextHop()
        + settings.nextHopTransport().map(t -> " over " + t).orElse(" (same transport)")
        + "; audit log "
        + settings.auditLog();
  }

  /** Stops the listeners and the event loops, then writes out the audit log. */
  @Override
  public void close() {
    transports.close();
    closeQuietly(audit);
  }

  private static void closeQuietly(AuditLog audit) {
    try {
      audit.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String listenDescription(ProxySettings settings) {
    List<String> listeners = new ArrayList<>();
    settings.udpListen().ifPresent(address -> listeners.add("udp " + address));
    settings.tcpListen().ifPresent(address -> listeners.add("tcp " + address));
    return String.join(", ", listeners);
  }

  private static String format(InetSocketAddress address) {
    return new HostPort(address.getAddress().getHostAddress(), address.getPort()).toString();
  }
}
