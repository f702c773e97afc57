package org.sipsentry.detector.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a Do-Not-Originate list of ten million entries must fit in 256 MB of heap. The list is
 * built in a child JVM limited to {@code -Xmx256m}, so that the build itself (growing pages, the
 * garbage of the digit strings) must fit too, not only the finished list; the child prints the heap
 * the list retains after a full GC.
 */
class NumberListMemoryTest {

  static final int ENTRIES = 10_000_000;
  static final long MAX_HEAP = 256L << 20;
  private static final Pattern RETAINED = Pattern.compile("retained=(\\d+)");

  @Test
  void build_tenMillionEntries_fitsIn256MiBOfHeap() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean finished = child.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly();
    }
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("child finished: %s", output).isTrue();
    assertThat(child.exitValue()).as("child exit status; output: %s", output).isZero();
    Matcher retained = RETAINED.matcher(output);
    assertThat(retained.find()).as("retained heap printed: %s", output).isTrue();
    long bytes = Long.parseLong(retained.group(1));
    System.out.println(
        "NumberListMemoryTest: 10M entries retain "
            + (bytes >> 20)
            + " MiB of heap ("
            + bytes
            + " bytes)");
    // At least the packed entries themselves (8 bytes each): a smaller figure would mean the list
    // was collected before it was measured.
    assertThat(bytes).isBetween(ENTRIES * 8L, MAX_HEAP);
  }

  /** Builds the list under -Xmx256m and prints the heap it retains. */
  static final class Child {
    public static void main(String[] args) {
      long before = usedAfterGc();
      NumberList list = tenMillion();
      long after = usedAfterGc();
      // Keeps the list reachable past the measurement, and checks it answers.
      if (list.size() != ENTRIES || list.lookup("41446681800").isEmpty()) {
        throw new AssertionError("list built wrong: " + list.size() + " entries");
      }
      System.out.println("entries=" + list.size() + " retained=" + (after - before));
    }

    /** Swiss numbers, a twentieth of them prefixes, and the bank's service line. */
    static NumberList tenMillion() {
      NumberList.Builder builder = NumberList.builder();
      builder.add("41446681800", false, NumberRule.NEVER_ORIGINATES);
      SplittableRandom random = new SplittableRandom(10);
      while (builder.size() < ENTRIES) {
        long subscriber = random.nextLong(100_000_000L, 1_000_000_000L);
        if (random.nextInt(20) == 0) {
          builder.add("41" + subscriber / 100, true, NumberRule.NEVER_ORIGINATES);
        } else {
          builder.add("41" + subscriber, false, NumberRule.NEVER_ORIGINATES);
        }
      }
      return builder.build();
    }

    private static long usedAfterGc() {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
