package org.sipsentry.proxy.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.sip.NameAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per initial INVITE transaction to a file, and optionally sends each line to
 * syslog. {@link #record} only enqueues (it is called on the event loop); a dedicated thread
 * serialises, writes, rotates, forces to disk and sends to syslog.
 *
 * <p>No record is lost silently. A record that does not fit in the bounded queue is refused (under
 * {@link AuditSettings.OnFull#BLOCK_CALLS}: the caller answers the call 503) or dropped and counted
 * ({@link AuditSettings.OnFull#DROP_RECORDS}). When the file cannot be written (a write or an open
 * fails, or its path no longer names the open file), the log turns unwritable: the writer keeps the
 * records it holds, the queue fills, and the writer tries to reopen the file every second; once it
 * can, it writes what it kept. A batch that failed half-way is written again whole after cutting
 * the file back to the last complete batch.
 *
 * <p>Counters: {@code audit.queued}, {@code audit.written}, {@code audit.dropped}, {@code
 * audit.blocked_calls}, {@code audit.write_failed}, {@code audit.rotated}, {@code audit.deleted},
 * {@code audit.fsync}, {@code audit.syslog.sent}, {@code audit.syslog.failed}, {@code
 * audit.syslog.truncated}.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** Kept for callers that size things after the default queue. */
  static final int QUEUE_CAPACITY = AuditSettings.DEFAULT_QUEUE_CAPACITY;

  /** The most records the writer takes from the queue at once. */
  private static final int BATCH = 1024;

  /** How long the idle writer sleeps before it looks at the clock and the file again. */
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** How often an unwritable file is reopened, and how often the path is checked. */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  /** At most one "queue full" warning per this period; the counters have every event. */
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Wakes the writer at close; never written. */
  private static final Object END = new Object();

  private final Path file;
  private final AuditSettings settings;
  private final ProxyStats stats;
  private final Clock clock;
  private final BlockingQueue<Object> queue;
  private final RotatedFiles rotated;
  private final Optional<SyslogSender> syslog;
  private final Thread writer;
  private final AtomicLong nextFullWarning = new AtomicLong(System.nanoTime());

  private volatile boolean closing;

  /** Why the file cannot be written now; null while it can. */
  private volatile String problem;

  /* Owned by the writer thread (and by open() before it starts). */
  private final Bytes bytes = new Bytes();
  private final JsonGenerator json;
  private FileChannel channel;
  private Object fileKey;
  private long size;
  private boolean failedMidWrite;
  private boolean unforced;
  private Instant lastForce;
  private Instant nextRotation;
  private long nextRetry;
  private long nextCheck;

  private AuditLog(
      Path file,
      AuditSettings settings,
      ProxyStats stats,
      Clock clock,
      Optional<SyslogSender> syslog)
      throws IOException {
    this.file = file.toAbsolutePath();
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.rotated = new RotatedFiles(this.file);
    this.syslog = syslog;
    this.json = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8);
    this.json.setRootValueSeparator(null);
    this.writer = new Thread(this::run, "sipsentry-audit");
    this.writer.setDaemon(true);
  }

  /**
   * Opens {@code file} with the default settings; see {@link #open(Path, AuditSettings, ProxyStats,
   * Clock)}.
   */
  public static AuditLog open(Path file, ProxyStats stats) throws IOException {
    return open(file, AuditSettings.DEFAULTS, stats, Clock.systemUTC());
  }

  /**
   * Opens {@code file} for appending, creating it and its directory if needed, and starts the
   * writer thread.
   *
   * @param clock stamps rotated files and drives time-based rotation and the fsync interval
   * @throws IOException when the file cannot be opened or the syslog socket cannot be made: the
   *     proxy does not start without its audit log
   */
  public static AuditLog open(Path file, AuditSettings settings, ProxyStats stats, Clock clock)
      throws IOException {
    Optional<SyslogSender> syslog = Optional.empty();
    if (settings.syslog().isPresent()) {
      syslog = Optional.of(new SyslogSender(settings.syslog().get(), stats));
    }
    AuditLog audit = new AuditLog(file, settings, stats, clock, syslog);
    try {
      audit.openFile();
    } catch (IOException e) {
      syslog.ifPresent(SyslogSender::close);
      throw e;
    }
    audit.lastForce = clock.instant();
    audit.nextRotation = audit.rotationAfter(clock.instant());
    audit.nextCheck = System.nanoTime() + RETRY_INTERVAL.toNanos();
    audit.writer.start();
    return audit;
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /** Whether the file could be written the last time the writer tried (or checked its path). */
  public boolean writable() {
    return problem == null;
  }

  /** Why the file cannot be written, while it cannot. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Enqueues a record; never blocks.
   *
   * @return whether the call may go on: true when the record was queued, or dropped under {@code
   *     drop-records}; false under {@code block-calls} when the queue is full
   */
  public boolean record(AuditRecord record) {
    if (queue.offer(record)) {
      stats.increment("audit.queued");
      return true;
    }
    boolean block = settings.onFull() == AuditSettings.OnFull.BLOCK_CALLS;
    stats.increment(block ? "audit.blocked_calls" : "audit.dropped");
    warnFull(block);
    return !block;
  }

  private void warnFull(boolean block) {
    long now = System.nanoTime();
    long next = nextFullWarning.get();
    if (now - next >= 0 && nextFullWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
      String why = problem == null ? "the writer is behind" : problem;
      log.warn(
          "audit queue full ({} records; {}): {}; {} blocked calls, {} dropped records so far",
          settings.queueCapacity(),
          why,
          block ? "calls are answered 503" : "records are dropped",
          stats.get("audit.blocked_calls"),
          stats.get("audit.dropped"));
    }
  }

  /**
   * Writes everything queued, forces it to disk (unless fsync is {@code never}) and closes the
   * file. Waits up to 10 s for the writer; records it cannot write by then are counted in {@code
   * audit.dropped}.
   */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    queue.offer(END);
    LockSupport.unpark(writer);
    writer.join(TimeUnit.SECONDS.toMillis(10));
    if (writer.isAlive()) {
      log.error("audit writer did not finish within 10 s; {} records not written", queue.size());
    }
  }

  // --- the writer thread -----------------------------------------------------------------------

  private void run() {
    List<AuditRecord> pending = new ArrayList<>(BATCH);
    List<Object> taken = new ArrayList<>(BATCH);
    try {
      while (true) {
        boolean ending = closing;
        if (pending.isEmpty()) {
          Object first = ending ? queue.poll() : queue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
          if (first != null) {
            taken.add(first);
            queue.drainTo(taken, BATCH - 1);
            for (Object item : taken) {
              if (item != END) {
                pending.add((AuditRecord) item);
              }
            }
            taken.clear();
          }
        }
        housekeeping(ending);
        if (!pending.isEmpty() && channel != null) {
          write(pending);
        }
        if (ending && pending.isEmpty() && queue.isEmpty()) {
          return;
        }
        if (ending && channel == null) {
          long lost = pending.size() + queue.stream().filter(item -> item != END).count();
          for (long i = 0; i < lost; i++) {
            stats.increment("audit.dropped");
          }
          log.error("audit log {} unwritable at close ({}): {} records lost", file, problem, lost);
          return;
        }
        if (!pending.isEmpty() && channel == null) {
          LockSupport.parkNanos(this, TICK_NANOS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      problem = "the audit writer failed: " + e;
      log.error("audit writer failed; no further records are written", e);
    } finally {
      finish();
    }
  }

  /** Reopens an unwritable file, checks the path, rotates by time and forces by interval. */
  private void housekeeping(boolean ending) {
    long now = System.nanoTime();
    if (channel == null) {
      if (ending || now - nextRetry >= 0) {
        reopen();
      }
      return;
    }
    if (now - nextCheck >= 0) {
      nextCheck = now + RETRY_INTERVAL.toNanos();
      checkPath();
      if (channel == null) {
        return;
      }
    }
    Instant time = clock.instant();
    try {
      if (nextRotation != null && !time.isBefore(nextRotation)) {
        nextRotation = rotationAfter(time);
        if (size > 0) {
          rotate();
        }
      }
      AuditSettings.Fsync fsync = settings.fsync();
      if (unforced
          && fsync.mode() == AuditSettings.Fsync.Mode.INTERVAL
          && !time.isBefore(lastForce.plus(fsync.interval()))) {
        force();
      }
    } catch (IOException e) {
      unwritable(e);
    }
  }

  /**
   * The path must still name the file that is open: if it was moved, deleted or replaced, the
   * records would go where nobody reads them. Reopens the path, creating the file again.
   */
  private void checkPath() {
    Object key;
    try {
      key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      key = null;
    }
    if (key != null && key.equals(fileKey)) {
      return;
    }
    log.warn("audit log {} is no longer the file being written; reopening it", file);
    closeChannel();
    reopen();
  }

  private void reopen() {
    try {
      openFile();
      if (problem != null) {
        log.warn("audit log {} is writable again", file);
      }
      problem = null;
    } catch (IOException e) {
      unwritable(e);
    }
  }

  /** Opens {@link #file} for appending; after a failed write, cuts off the half-written batch. */
  private void openFile() throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      if (Files.exists(parent) && !Files.isDirectory(parent)) {
        throw new NotDirectoryException(parent + " is not a directory");
      }
      Files.createDirectories(parent);
    }
    FileChannel opened =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      long length = opened.size();
      if (failedMidWrite && key != null && key.equals(fileKey) && length > size) {
        opened.truncate(size);
        length = size;
      }
      opened.position(length);
      channel = opened;
      fileKey = key;
      size = length;
      failedMidWrite = false;
    } catch (IOException e) {
      opened.close();
      throw e;
    }
  }

  private void unwritable(IOException e) {
    closeChannel();
    stats.increment("audit.write_failed");
    nextRetry = System.nanoTime() + RETRY_INTERVAL.toNanos();
    String was = problem;
    problem = "cannot write " + file + ": " + e;
    if (was == null) {
      log.error(
          "audit log {} cannot be written ({}); records are kept and the file is retried every {}"
              + " s",
          file,
          e.toString(),
          RETRY_INTERVAL.toSeconds());
    }
  }

  private void closeChannel() {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing audit log {}: {}", file, e.toString());
    }
    channel = null;
  }

  /**
   * Writes {@code pending} and removes what was written; on a failure the rest stays for the next
   * attempt. Rotates by size in between, so that no file outgrows max-size (a single record larger
   * than max-size gets a file of its own).
   */
  private void write(List<AuditRecord> pending) {
    int n = pending.size();
    int[] ends = new int[n];
    bytes.reset();
    try {
      for (int i = 0; i < n; i++) {
        serialize(pending.get(i));
        json.flush();
        ends[i] = bytes.size();
      }
    } catch (IOException e) {
      // Into memory: only a bug of ours gets here.
      throw new IllegalStateException("cannot serialise an audit record", e);
    }
    long max = settings.maxSizeBytes();
    int from = 0;
    try {
      while (from < n) {
        int to = from;
        while (to < n
            && (max == 0
                || size + ends[to] - start(ends, from) <= max
                || (size == 0 && to == from))) {
          to++;
        }
        if (to == from) {
          rotate();
          continue;
        }
        writeFully(start(ends, from), ends[to - 1]);
        for (int i = from; i < to; i++) {
          stats.increment("audit.written");
          if (syslog.isPresent()) {
            int start = start(ends, i);
            syslog.get().send(pending.get(i).time(), bytes.array(), start, ends[i] - start - 1);
          }
        }
        from = to;
        unforced = true;
      }
      if (settings.fsync().mode() == AuditSettings.Fsync.Mode.BATCH) {
        force();
      }
      pending.clear();
    } catch (IOException e) {
      pending.subList(0, from).clear();
      unwritable(e);
    }
  }

  private static int start(int[] ends, int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  private void writeFully(int from, int to) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes.array(), from, to - from);
    failedMidWrite = true;
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    failedMidWrite = false;
    size += to - from;
  }

  private void force() throws IOException {
    channel.force(false);
    unforced = false;
    lastForce = clock.instant();
    stats.increment("audit.fsync");
  }

  /**
   * Renames the file to {@code <name>-YYYYMMDD-HHMMSS[-n].<ext>}, opens a new one and deletes the
   * rotated files beyond {@code keep}.
   */
  private void rotate() throws IOException {
    if (unforced && settings.fsync().mode() != AuditSettings.Fsync.Mode.NEVER) {
      force();
    }
    closeChannel();
    Path target = rotated.next(clock.instant());
    Files.move(file, target);
    stats.increment("audit.rotated");
    openFile();
    try {
      for (Path deleted : rotated.retain(settings.keep())) {
        stats.increment("audit.deleted");
        log.debug("audit log retention: deleted {}", deleted);
      }
    } catch (IOException e) {
      log.warn("audit log retention: cannot delete old files next to {}: {}", file, e.toString());
    }
  }

  /** The next multiple of rotate-every since the epoch after {@code time}; null without. */
  private Instant rotationAfter(Instant time) {
    if (settings.rotateEvery().isEmpty()) {
      return null;
    }
    long period = settings.rotateEvery().get().toMillis();
    long now = time.toEpochMilli();
    return Instant.ofEpochMilli((Math.floorDiv(now, period) + 1) * period);
  }

  private void finish() {
    if (channel != null) {
      try {
        if (unforced && settings.fsync().mode() != AuditSettings.Fsync.Mode.NEVER) {
          force();
        }
      } catch (IOException e) {
        log.error("audit log {} could not be forced to disk at close: {}", file, e.toString());
      }
      closeChannel();
    }
    syslog.ifPresent(SyslogSender::close);
    try {
      json.close();
    } catch (IOException e) {
      log.debug("closing the audit serialiser: {}", e.toString());
    }
  }

  /** A byte array output stream whose array the writer writes from without a copy. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes() {
      super(1 << 16);
    }

    byte[] array() {
      return buf;
    }
  }

  private void serialize(AuditRecord record) throws IOException {
    CallContext call = record.call();
    Verdict verdict = record.verdict();
    json.writeStartObject();
    json.writeStringField("time", record.time().toString());
    json.writeStringField("call-id", call.callId());
    json.writeStringField(
        "source",
        call.transport().viaToken().toLowerCase(java.util.Locale.ROOT)
            + ":"
            + call.source().getAddress().getHostAddress()
            + ":"
            + call.source().getPort());
    json.writeStringField("trunk", call.trunk().name());
    json.writeStringField("from", call.from().uri());
    json.writeArrayFieldStart("pai");
    for (NameAddress pai : call.pAssertedIdentities()) {
      json.writeString(pai.uri());
    }
    json.writeEndArray();
    json.writeStringField("to", call.to().uri());
    json.writeStringField("request-uri", call.requestUri());
    json.writeArrayFieldStart("findings");
    for (Finding finding : verdict.findings()) {
      json.writeStartObject();
      json.writeStringField("rule", finding.ruleId());
      json.writeNumberField("weight", finding.weight());
      json.writeStringField("evidence", finding.evidence());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeObjectFieldStart("verdict");
    json.writeStringField("action", verdict.action().id());
    json.writeNumberField("score", verdict.score());
    json.writeArrayFieldStart("reasons");
    for (String reason : verdict.reasons()) {
      json.writeString(reason);
    }
    json.writeEndArray();
    if (verdict.response().isPresent()) {
      json.writeNumberField("code", verdict.response().get().code());
      json.writeStringField("reason", verdict.response().get().reason());
    }
    json.writeEndObject();
    if (verdict.stir().isPresent()) {
      writeStir(verdict.stir().get());
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /**
   * {@code "stir": {verstat, failure, code, reason, indeterminate, attest, spc, origid, x5u}}, each
   * field only when known. On a failure, attest, origid and x5u are what the unverified header
   * said.
   */
  private void writeStir(StirSummary stir) throws IOException {
    json.writeObjectFieldStart("stir");
    json.writeStringField("verstat", stir.verstat());
    if (stir.failure().isPresent()) {
      json.writeStringField("failure", stir.failure().get().id());
      json.writeNumberField("code", stir.response().orElseThrow().code());
      json.writeStringField("reason", stir.response().orElseThrow().reason());
    }
    if (stir.indeterminate()) {
      json.writeBooleanField("indeterminate", true);
    }
    if (stir.attest().isPresent()) {
      json.writeStringField("attest", stir.attest().get().name());
    }
    if (stir.spc().isPresent()) {
      json.writeStringField("spc", stir.spc().get());
    }
    if (stir.origid().isPresent()) {
      json.writeStringField("origid", stir.origid().get());
    }
    if (stir.x5u().isPresent()) {
      json.writeStringField("x5u", stir.x5u().get());
    }
    json.writeEndObject();
  }
}
