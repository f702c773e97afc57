package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatchTest {

  private static final Duration DEBOUNCE = Duration.ofMillis(300);

  @TempDir Path dir;

  private final AtomicInteger changes = new AtomicInteger();

  @Test
  void watch_fileWrittenInPlaceSeveralTimes_runsOnceAfterTheLastWrite() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      for (int i = 2; i <= 4; i++) {
        Files.writeString(file, "a: " + i + "\n");
        Thread.sleep(50);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() >= 1);
      Thread.sleep(DEBOUNCE.multipliedBy(3).toMillis());
      assertThat(changes).hasValue(1);
    }
  }

  @Test
  void watch_fileReplacedByRename_runs() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      Path temporary = Files.writeString(dir.resolve(".sipsentry.yaml.swp"), "a: 2\n");
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
    }
  }

  @Test
  void watch_listFileInAnotherDirectoryReplaced_runs() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    Path lists = Files.createDirectory(dir.resolve("lists"));
    Path list = Files.writeString(lists.resolve("bank.txt"), "+41446681800\n");
    try (ConfigWatch watch =
        ConfigWatch.start(List.of(file, list), DEBOUNCE, changes::incrementAndGet)) {
      Path temporary = Files.writeString(lists.resolve("bank.txt.new"), "+41446681801\n");
      Files.move(
          temporary, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
    }
  }

  @Test
  void watch_setReplaced_followsTheNewFilesOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    Path old = Files.writeString(dir.resolve("old.txt"), "+41446681800\n");
    Path lists = Files.createDirectory(dir.resolve("lists"));
    Path added = Files.writeString(lists.resolve("new.txt"), "+41446681800\n");
    try (ConfigWatch watch =
        ConfigWatch.start(List.of(file, old), DEBOUNCE, changes::incrementAndGet)) {
      watch.watch(List.of(file, added));
      assertThat(watch.files()).containsExactlyInAnyOrder(file, added);

      Files.writeString(old, "+41446681801\n");
      // A change of a watched file afterwards proves events were being delivered.
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      Files.writeString(added, "+41446681801\n");

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      assertThat(changes).hasValue(1);
    }
  }

  @Test
  void watch_newFileChangedAfterItWasReadButBeforeItWasWatched_runs() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    Path lists = Files.createDirectory(dir.resolve("lists"));
    Path list = lists.resolve("deny.txt");
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      Instant read = Instant.now();
      Files.writeString(list, "+41446681800\n");

      watch.watch(List.of(file, list), read);

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
    }
  }

  @Test
  void watch_newFileUnchangedSinceItWasRead_doesNotRun() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    Path list = Files.writeString(dir.resolve("deny.txt"), "+41446681800\n");
    Files.setLastModifiedTime(list, FileTime.from(Instant.now().minusSeconds(60)));
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      watch.watch(List.of(file, list), Instant.now());
      // A change of a watched file afterwards proves the watch thread was running.
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      Files.writeString(file, "a: 2\n");

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      assertThat(changes).hasValue(1);
    }
  }

  @Test
  void watch_otherFileInTheDirectory_doesNotRun() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      Files.writeString(dir.resolve("other.yaml"), "b: 1\n");
      // A change of the watched file afterwards proves events were being delivered.
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      Files.writeString(file, "a: 2\n");

      await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() == 1);
      Thread.sleep(DEBOUNCE.multipliedBy(2).toMillis());
      assertThat(changes).hasValue(1);
    }
  }

  @Test
  void watch_otherFileWrittenWithoutPause_doesNotHoldBackTheChange() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    Path busy = dir.resolve("audit.jsonl");
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              try {
                while (writing.get()) {
                  Files.writeString(
                      busy, "line\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                  Thread.sleep(20);
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    try (ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet)) {
      writer.start();
      Thread.sleep(DEBOUNCE.toMillis());
      Files.writeString(file, "a: 2\n");

      // The other file is still being written all along: only the watched file's quiet counts.
      await().atMost(DEBOUNCE.multipliedBy(10)).until(() -> changes.get() == 1);
      assertThat(writer.isAlive()).isTrue();
    } finally {
      writing.set(false);
      writer.join();
    }
  }

  @Test
  void close_stopsWatching() throws Exception {
    Path file = Files.writeString(dir.resolve("sipsentry.yaml"), "a: 1\n");
    ConfigWatch watch = ConfigWatch.start(file, DEBOUNCE, changes::incrementAndGet);
    watch.close();

    Files.writeString(file, "a: 2\n");

    Thread.sleep(DEBOUNCE.multipliedBy(3).toMillis());
    assertThat(changes).hasValue(0);
  }
}
