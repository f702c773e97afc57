package org.sipsentry.detector.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;

/**
 * {@link NumberList#lookup} on a ten-million-entry list (Swiss numbers, a twentieth of them
 * prefixes): a listed number, a number no entry covers, and a number covered only by a prefix. Each
 * benchmark cycles through {@value #PROBES} different numbers spread over the list, so most lookups
 * miss the CPU caches as in a proxy that does other work between them.
 *
 * <p>Run with {@code scripts/bench.sh --module detector NumberListBenchmark}; figures in {@code
 * docs/PERFORMANCE.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@State(Scope.Thread)
public class NumberListBenchmark {

  static final int ENTRIES = 10_000_000;
  static final int PROBES = 1 << 12;

  private NumberList list;
  private final String[] listed = new String[PROBES];
  private final String[] unlisted = new String[PROBES];
  private final String[] underPrefix = new String[PROBES];
  private int next;

  @Setup
  public void setUp() {
    NumberList.Builder builder = NumberList.builder();
    SplittableRandom random = new SplittableRandom(10);
    List<String> numbers = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    // Subscribers 100,000,000..899,999,999: the numbers 41900000000 and up are on no entry.
    while (builder.size() < ENTRIES) {
      long subscriber = random.nextLong(100_000_000L, 900_000_000L);
      if (random.nextInt(20) == 0) {
        String prefix = "41" + subscriber / 100;
        if (builder.add(prefix, true, NumberRule.NEVER_ORIGINATES)) {
          prefixes.add(prefix);
        }
      } else {
        String number = "41" + subscriber;
        if (builder.add(number, false, NumberRule.NEVER_ORIGINATES)) {
          numbers.add(number);
        }
      }
    }
    list = builder.build();
    for (int i = 0; i < PROBES; i++) {
      listed[i] = numbers.get(random.nextInt(numbers.size()));
      unlisted[i] = "41" + random.nextLong(900_000_000L, 1_000_000_000L);
      underPrefix[i] = coveredOnlyByPrefix(prefixes, random);
    }
    check(listed, false);
    check(underPrefix, true);
    for (String number : unlisted) {
      if (list.lookup(number).isPresent()) {
        throw new IllegalStateException(number + " should not be listed");
      }
    }
  }

  private String coveredOnlyByPrefix(List<String> prefixes, SplittableRandom random) {
    while (true) {
      String number =
          prefixes.get(random.nextInt(prefixes.size()))
              + String.format("%02d", random.nextInt(100));
      Optional<NumberList.Match> match = list.lookup(number);
      if (match.isPresent() && match.get().prefix()) {
        return number;
      }
    }
  }

  private void check(String[] numbers, boolean prefix) {
    for (String number : numbers) {
      Optional<NumberList.Match> match = list.lookup(number);
      if (match.isEmpty() || match.get().prefix() != prefix) {
        throw new IllegalStateException(number + ": unexpected " + match);
      }
    }
  }

  @Benchmark
  public Optional<NumberList.Match> hit() {
    return list.lookup(listed[advance()]);
  }

  @Benchmark
  public Optional<NumberList.Match> miss() {
    return list.lookup(unlisted[advance()]);
  }

  @Benchmark
  public Optional<NumberList.Match> prefixHit() {
    return list.lookup(underPrefix[advance()]);
  }

  private int advance() {
    int index = next;
    next = (index + 1) & (PROBES - 1);
    return index;
  }
}
