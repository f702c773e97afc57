package org.sipsentry.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sipsentry.proxy.audit.AuditLogTest.allow;
import static org.sipsentry.proxy.audit.AuditLogTest.call;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.proxy.ProxyStats;

/**
 * Rotation, retention, fsync and what happens when the queue is full or the file cannot be written.
 * The file is made unwritable by replacing its directory with a regular file, which stops root as
 * well as anyone else (chmod does not stop root).
 */
class AuditLogDurabilityTest {

  static final Instant START = Instant.parse("2025-03-01T10:59:59Z");

  @TempDir Path dir;

  final ProxyStats stats = new ProxyStats();
  final MutableClock clock = new MutableClock(START);

  static AuditSettings settings(
      int capacity,
      AuditSettings.OnFull onFull,
      long maxSize,
      Optional<Duration> rotateEvery,
      int keep,
      AuditSettings.Fsync fsync) {
    return new AuditSettings(capacity, onFull, maxSize, rotateEvery, keep, fsync, Optional.empty());
  }

  static AuditSettings sized(long maxSize, int keep) {
    return settings(
        1024,
        AuditSettings.OnFull.BLOCK_CALLS,
        maxSize,
        Optional.empty(),
        keep,
        AuditSettings.Fsync.never());
  }

  static AuditRecord record(int n) {
    return new AuditRecord(START, call("call-" + n), allow());
  }

  /** Every line of the rotated files, oldest first, then of the current file. */
  List<String> allLines(Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Path rotated : new RotatedFiles(file).list()) {
      lines.addAll(Files.readAllLines(rotated, StandardCharsets.UTF_8));
    }
    if (Files.exists(file)) {
      lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return lines;
  }

  static List<String> callIds(List<String> lines) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      ids.add(AuditLogTest.JSON.readTree(line).get("call-id").asText());
    }
    return ids;
  }

  static List<String> expectedIds(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add("call-" + i);
    }
    return ids;
  }

  // --- rotation and retention ------------------------------------------------------------------

  @Test
  void write_beyondMaxSize_rotatesWithoutSplittingLinesOrLosingAny() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    long lineLength = lineLength(file);
    long maxSize = lineLength * 3 + lineLength / 2;

    AuditLog audit = AuditLog.open(file, sized(maxSize, 100), stats, clock);
    for (int i = 0; i < 20; i++) {
      assertThat(audit.record(record(i))).isTrue();
    }
    audit.close();

    List<Path> rotated = new RotatedFiles(file).list();
    assertThat(rotated).hasSize((int) stats.get("audit.rotated")).hasSizeGreaterThanOrEqualTo(6);
    for (Path part : Stream.concat(rotated.stream(), Stream.of(file)).toList()) {
      assertThat(Files.size(part)).as(part.toString()).isLessThanOrEqualTo(maxSize);
    }
    assertThat(rotated.get(0).getFileName().toString()).isEqualTo("audit-20250301-105959.jsonl");
    assertThat(rotated.get(1).getFileName().toString()).isEqualTo("audit-20250301-105959-1.jsonl");
    assertThat(callIds(allLines(file))).isEqualTo(expectedIds(0, 20));
    assertThat(stats.get("audit.written")).isEqualTo(20);
  }

  /** The length of one test record's line, measured by writing one. */
  private long lineLength(Path file) throws Exception {
    Path probe = file.resolveSibling("probe.jsonl");
    AuditLog audit = AuditLog.open(probe, new ProxyStats());
    audit.record(record(0));
    audit.close();
    long length = Files.size(probe);
    Files.delete(probe);
    return length;
  }

  @Test
  void rotate_moreThanKeep_deletesTheOldestRotatedFiles() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    long lineLength = lineLength(file);
    Path unrelated = Files.writeString(dir.resolve("audit-notes.jsonl"), "kept\n");

    AuditLog audit = AuditLog.open(file, sized(lineLength, 3), stats, clock);
    for (int i = 0; i < 10; i++) {
      audit.record(record(i));
    }
    audit.close();

    // One line per file: nine rotations, of which the newest three are kept.
    assertThat(stats.get("audit.rotated")).isEqualTo(9);
    assertThat(stats.get("audit.deleted")).isEqualTo(6);
    List<Path> kept = new RotatedFiles(file).list();
    assertThat(kept).hasSize(3);
    assertThat(callIds(allLines(file))).isEqualTo(expectedIds(6, 10));
    assertThat(unrelated).exists();
  }

  @Test
  void rotateEvery_clockPassesTheHour_rotatesOnceAndNotAnEmptyFile() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AuditSettings hourly =
        settings(
            1024,
            AuditSettings.OnFull.BLOCK_CALLS,
            0,
            Optional.of(Duration.ofHours(1)),
            10,
            AuditSettings.Fsync.never());

    AuditLog audit = AuditLog.open(file, hourly, stats, clock);
    audit.record(record(1));
    await().until(() -> stats.get("audit.written") == 1);
    assertThat(stats.get("audit.rotated")).isZero();

    clock.set(Instant.parse("2025-03-01T11:00:00Z"));
    await().until(() -> stats.get("audit.rotated") == 1);
    audit.record(record(2));
    await().until(() -> stats.get("audit.written") == 2);
    clock.set(Instant.parse("2025-03-01T12:00:00Z"));
    await().until(() -> stats.get("audit.rotated") == 2);
    // Nothing written in this hour: the empty file is not rotated.
    clock.set(Instant.parse("2025-03-01T13:00:01Z"));
    Thread.sleep(500);
    audit.close();

    assertThat(stats.get("audit.rotated")).isEqualTo(2);
    assertThat(new RotatedFiles(file).list())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("audit-20250301-110000.jsonl", "audit-20250301-120000.jsonl");
    assertThat(callIds(Files.readAllLines(dir.resolve("audit-20250301-110000.jsonl"))))
        .containsExactly("call-1");
    assertThat(Files.size(file)).isZero();
  }

  // --- fsync ------------------------------------------------------------------------------------

  @Test
  void fsyncNever_writesWithoutForcing() throws Exception {
    AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), sized(0, 1), stats, clock);
    audit.record(record(1));
    audit.close();

    assertThat(stats.get("audit.written")).isEqualTo(1);
    assertThat(stats.get("audit.fsync")).isZero();
  }

  @Test
  void fsyncBatch_forcesBeforeTheNextBatch() throws Exception {
    AuditSettings batch =
        settings(
            1024,
            AuditSettings.OnFull.BLOCK_CALLS,
            0,
            Optional.empty(),
            1,
            AuditSettings.Fsync.batch());
    AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), batch, stats, clock);

    audit.record(record(1));
    await().until(() -> stats.get("audit.fsync") == 1);
    audit.record(record(2));
    await().until(() -> stats.get("audit.fsync") == 2);
    audit.close();

    assertThat(stats.get("audit.written")).isEqualTo(2);
    assertThat(stats.get("audit.fsync")).isEqualTo(2);
  }

  @Test
  void fsyncInterval_forcesOnceTheIntervalHasPassed() throws Exception {
    AuditSettings interval =
        settings(
            1024,
            AuditSettings.OnFull.BLOCK_CALLS,
            0,
            Optional.empty(),
            1,
            AuditSettings.Fsync.interval(Duration.ofMinutes(5)));
    AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), interval, stats, clock);

    audit.record(record(1));
    audit.record(record(2));
    await().until(() -> stats.get("audit.written") == 2);
    Thread.sleep(500);
    assertThat(stats.get("audit.fsync")).as("before the interval").isZero();

    clock.advance(Duration.ofMinutes(5));
    await().until(() -> stats.get("audit.fsync") == 1);
    audit.close();
    // Nothing written since: close has nothing to force.
    assertThat(stats.get("audit.fsync")).isEqualTo(1);
  }

  @Test
  void close_fsyncInterval_forcesWhatIsUnforced() throws Exception {
    AuditSettings interval =
        settings(
            1024,
            AuditSettings.OnFull.BLOCK_CALLS,
            0,
            Optional.empty(),
            1,
            AuditSettings.Fsync.interval(Duration.ofHours(1)));
    AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), interval, stats, clock);

    audit.record(record(1));
    audit.close();

    assertThat(stats.get("audit.fsync")).isEqualTo(1);
  }

  // --- unwritable, and a full queue ------------------------------------------------------------

  /** Replaces the log's directory with a regular file; returns where the directory went. */
  static Path breakDirectory(Path logs) throws Exception {
    Path away = logs.resolveSibling(logs.getFileName() + "-away");
    Files.move(logs, away);
    Files.writeString(logs, "not a directory\n");
    return away;
  }

  static void repairDirectory(Path logs, Path away) throws Exception {
    Files.delete(logs);
    Files.move(away, logs);
  }

  @Test
  void unwritable_directoryReplacedByFile_notWritableThenRecoversWithoutLoss() throws Exception {
    Path logs = dir.resolve("logs");
    Path file = logs.resolve("audit.jsonl");
    AuditLog audit = AuditLog.open(file, sized(0, 1), stats, clock);
    audit.record(record(0));
    await().until(() -> stats.get("audit.written") == 1);
    assertThat(audit.writable()).isTrue();

    Path away = breakDirectory(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !audit.writable());
    assertThat(audit.problem()).get().asString().contains(file.toString());
    for (int i = 1; i < 50; i++) {
      assertThat(audit.record(record(i))).isTrue();
    }
    Thread.sleep(1500);
    assertThat(stats.get("audit.written")).as("written while unwritable").isEqualTo(1);
    assertThat(audit.writable()).isFalse();

    repairDirectory(logs, away);
    await().atMost(Duration.ofSeconds(5)).until(audit::writable);
    await().until(() -> stats.get("audit.written") == 50);
    audit.close();

    assertThat(callIds(Files.readAllLines(file))).isEqualTo(expectedIds(0, 50));
    assertThat(stats.get("audit.write_failed")).isPositive();
    assertThat(stats.get("audit.dropped")).isZero();
  }

  @Test
  void unwritable_directoryDeleted_fileCreatedAgainAndRecordsKept() throws Exception {
    Path logs = dir.resolve("logs");
    Path file = logs.resolve("audit.jsonl");
    AuditLog audit = AuditLog.open(file, sized(0, 1), stats, clock);
    Path away = breakDirectory(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !audit.writable());
    audit.record(record(1));
    audit.record(record(2));

    // The operator removes the stray file: the writer makes the directory and the file again.
    Files.delete(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.get("audit.written") == 2);
    audit.close();

    assertThat(callIds(Files.readAllLines(file))).containsExactly("call-1", "call-2");
    assertThat(away.resolve("audit.jsonl")).hasContent("");
  }

  @Test
  void queueFull_blockCalls_refusesRecordsCountsThemAndLosesNoneQueued() throws Exception {
    Path logs = dir.resolve("logs");
    Path file = logs.resolve("audit.jsonl");
    AuditLog audit =
        AuditLog.open(
            file,
            settings(
                4,
                AuditSettings.OnFull.BLOCK_CALLS,
                0,
                Optional.empty(),
                1,
                AuditSettings.Fsync.never()),
            stats,
            clock);
    Path away = breakDirectory(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !audit.writable());

    List<Integer> accepted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 2000 && refused < 10; i++) {
      if (audit.record(record(i))) {
        accepted.add(i);
      } else {
        refused++;
      }
      Thread.sleep(1);
    }
    assertThat(refused).isEqualTo(10);
    assertThat(stats.get("audit.blocked_calls")).isEqualTo(10);
    assertThat(stats.get("audit.dropped")).isZero();

    repairDirectory(logs, away);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stats.get("audit.written") == accepted.size());
    audit.close();
    List<String> ids = callIds(Files.readAllLines(file));
    assertThat(ids).isEqualTo(accepted.stream().map(i -> "call-" + i).toList());
  }

  @Test
  void queueFull_dropRecords_acceptsTheCallCountsTheDroppedRecord() throws Exception {
    Path logs = dir.resolve("logs");
    Path file = logs.resolve("audit.jsonl");
    AuditLog audit =
        AuditLog.open(
            file,
            settings(
                4,
                AuditSettings.OnFull.DROP_RECORDS,
                0,
                Optional.empty(),
                1,
                AuditSettings.Fsync.never()),
            stats,
            clock);
    Path away = breakDirectory(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !audit.writable());

    int sent = 0;
    while (stats.get("audit.dropped") < 10 && sent < 2000) {
      assertThat(audit.record(record(sent++))).isTrue();
      Thread.sleep(1);
    }
    assertThat(stats.get("audit.dropped")).isEqualTo(10);
    assertThat(stats.get("audit.blocked_calls")).isZero();

    repairDirectory(logs, away);
    long queued = stats.get("audit.queued");
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.get("audit.written") == queued);
    audit.close();
    assertThat(queued + stats.get("audit.dropped")).isEqualTo(sent);
    assertThat(Files.readAllLines(file)).hasSize((int) queued);
  }

  @Test
  void close_whileUnwritable_countsTheUnwrittenRecordsAsDropped() throws Exception {
    Path logs = dir.resolve("logs");
    AuditLog audit = AuditLog.open(logs.resolve("audit.jsonl"), sized(0, 1), stats, clock);
    breakDirectory(logs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !audit.writable());
    audit.record(record(1));
    audit.record(record(2));

    audit.close();

    assertThat(stats.get("audit.written")).isZero();
    assertThat(stats.get("audit.dropped")).isEqualTo(2);
  }
}
