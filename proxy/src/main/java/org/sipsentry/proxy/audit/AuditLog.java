package org.sipsentry.proxy.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Finding;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxyStats;
import org.sipsentry.sip.NameAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per initial INVITE transaction to a file. {@link #record} only enqueues (it
 * is called on the event loop); a dedicated thread serialises and writes, flushing whenever the
 * queue runs empty.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** About a minute of records at 1,000 INVITEs/s; memory stays under ~100 MB when full. */
  static final int QUEUE_CAPACITY = 65_536;

  /** Marks the end of the queue on close. */
  private static final Object END = new Object();

  private final Path file;
  private final ProxyStats stats;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final JsonGenerator json;
  private final Thread writer;

  private AuditLog(Path file, ProxyStats stats, OutputStream out) throws IOException {
    this.file = file;
    this.stats = stats;
    this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    this.json.setRootValueSeparator(null);
    this.writer = new Thread(this::drain, "sipsentry-audit");
    this.writer.setDaemon(true);
  }

  /** Opens {@code file} for appending, creating it and its directory if needed. */
  public static AuditLog open(Path file, ProxyStats stats) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream out =
        new BufferedOutputStream(
            Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE),
            1 << 16);
    AuditLog audit = new AuditLog(file, stats, out);
    audit.writer.start();
    return audit;
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /** Enqueues a record; never blocks. A record that does not fit is counted as dropped. */
  public void record(AuditRecord record) {
    if (queue.offer(record)) {
      stats.increment("audit.queued");
    } else {
      stats.increment("audit.dropped");
      log.warn(
          "audit queue full ({} records): record of Call-ID {} dropped",
          QUEUE_CAPACITY,
          record.call().callId());
    }
  }

  /** Writes what is queued, flushes and closes the file. */
  @Override
  public void close() throws InterruptedException {
    queue.put(END);
    writer.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(256);
    try (json) {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 1024);
        for (Object item : batch) {
          if (item == END) {
            json.flush();
            return;
          }
          write((AuditRecord) item);
        }
        batch.clear();
        json.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.error("audit log {} could not be written; no further records are written", file, e);
    }
  }

  private void write(AuditRecord record) throws IOException {
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
    stats.increment("audit.written");
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
