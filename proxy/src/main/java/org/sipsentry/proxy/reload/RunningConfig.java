package org.sipsentry.proxy.reload;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sipsentry.proxy.core.Inbound;
import org.sipsentry.proxy.transport.MessageSink;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.HeaderLine;

/**
 * The configuration in force, behind one atomic reference, and the message sink that hands each
 * message to the generation its transaction belongs to.
 *
 * <p>A transaction stays with the generation that received its INVITE: the INVITE's
 * retransmissions, its CANCEL and the ACK of a non-2xx final response carry the same top Via and
 * Call-ID (RFC 3261 §9.1, §17.1.1.3), so they reach the proxy that holds the INVITE's verdict, and
 * a call judged before a reload is finished under the settings it started with. Every other message
 * (responses, in-dialog requests) is handled statelessly and goes to the current generation.
 *
 * <p>{@link #onMessage} runs on event loops and never blocks: it scans the header lines of INVITEs
 * (and, for a transaction lifetime after a swap, of ACKs and CANCELs) and looks them up in a
 * bounded cache.
 */
public final class RunningConfig implements MessageSink, AutoCloseable {

  /**
   * How long a transaction may still send requests after its INVITE: Timer B/H, 64·T1 (RFC 3261
   * §17.1.1.2, §17.2.1). A replaced generation is released this long (plus a margin) after the
   * swap.
   */
  static final Duration TRANSACTION_LIFETIME = Duration.ofSeconds(32);

  private static final Duration RELEASE_MARGIN = Duration.ofSeconds(2);

  /** Bounds the INVITE table: 32 s at 3,000 new calls/s, as the proxy's own decision cache. */
  static final long MAX_TRACKED_INVITES = 100_000;

  private static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ACK = "ACK ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CANCEL = "CANCEL ".getBytes(StandardCharsets.US_ASCII);

  private final AtomicReference<Generation> current;
  private final Cache<String, Generation> invites;
  private final ScheduledExecutorService releases;
  private final List<Generation> retiring = new ArrayList<>();
  private final AtomicLong generations = new AtomicLong(1);
  private volatile long swappedAtNanos;
  private volatile boolean swapped;

  public RunningConfig(Generation first) {
    this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    this.invites =
        Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_INVITES)
            .expireAfterWrite(TRANSACTION_LIFETIME)
            .build();
    this.releases =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "sipsentry-config-release");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The generation new transactions start in. */
  public Generation current() {
    return current.get();
  }

  /** The number of the current generation: 1 for the first, one more on each swap. */
  public long generation() {
    return generations.get();
  }

  /**
   * Makes {@code next} the generation new transactions start in. The replaced one keeps the
   * transactions it began and is released once they can no longer send anything.
   *
   * @return the number of {@code next}
   */
  public long swap(Generation next) {
    Objects.requireNonNull(next, "next");
    Generation previous = current.getAndSet(next);
    long number = generations.incrementAndGet();
    swappedAtNanos = System.nanoTime();
    swapped = true;
    synchronized (retiring) {
      retiring.add(previous);
    }
    releases.schedule(
        () -> release(previous),
        TRANSACTION_LIFETIME.plus(RELEASE_MARGIN).toMillis(),
        TimeUnit.MILLISECONDS);
    return number;
  }

  @Override
  public void onMessage(byte[] message, Inbound from, EventExecutor eventLoop) {
    Generation now = current.get();
    Generation target = now;
    if (startsWith(message, INVITE)) {
      Optional<String> key = transactionKey(message);
      if (key.isPresent()) {
        Generation first = invites.asMap().putIfAbsent(key.get(), now);
        if (first != null) {
          target = first;
        }
      }
    } else if (inTransitionWindow() && (startsWith(message, ACK) || startsWith(message, CANCEL))) {
      Optional<String> key = transactionKey(message);
      if (key.isPresent()) {
        Generation first = invites.getIfPresent(key.get());
        if (first != null) {
          target = first;
        }
      }
    }
    target.proxy().onMessage(message, from, eventLoop);
  }

  private boolean inTransitionWindow() {
    return swapped && System.nanoTime() - swappedAtNanos < TRANSACTION_LIFETIME.toNanos();
  }

  /** Releases every generation, the current one last. */
  @Override
  public void close() {
    releases.shutdownNow();
    List<Generation> left;
    synchronized (retiring) {
      left = new ArrayList<>(retiring);
      retiring.clear();
    }
    left.forEach(generation -> generation.release().run());
    current.get().release().run();
  }

  private void release(Generation generation) {
    boolean pending;
    synchronized (retiring) {
      pending = retiring.remove(generation);
    }
    if (pending) {
      generation.release().run();
    }
  }

  /**
   * The top Via's value and the Call-ID: the same for an INVITE, its retransmissions, its CANCEL
   * and the ACK of its non-2xx response; empty when the message has neither.
   */
  static Optional<String> transactionKey(byte[] message) {
    HeaderIndex index = HeaderIndex.scan(message);
    Optional<HeaderLine> via = index.first("Via");
    Optional<HeaderLine> callId = index.first("Call-ID");
    if (via.isEmpty() || callId.isEmpty()) {
      return Optional.empty();
    }
    String topVia = index.value(via.get());
    int comma = topVia.indexOf(',');
    if (comma >= 0) {
      topVia = topVia.substring(0, comma);
    }
    return Optional.of(topVia.strip() + '\n' + index.value(callId.get()).strip());
  }

  private static boolean startsWith(byte[] message, byte[] method) {
    if (message.length < method.length) {
      return false;
    }
    for (int i = 0; i < method.length; i++) {
      if (message[i] != method[i]) {
        return false;
      }
    }
    return true;
  }
}
