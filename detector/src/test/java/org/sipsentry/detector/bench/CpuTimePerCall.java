package org.sipsentry.detector.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * {@link DetectorBenchmark}'s calls measured in CPU time of the calling thread instead of elapsed
 * time: on a machine shared with other builds, JMH's elapsed times swing by 2–10× with the load,
 * while a thread's CPU time counts only the time it ran (caches shared with other processes still
 * make it somewhat higher than on a quiet machine). Not a JMH benchmark and not a test: a main
 * class, run after {@code scripts/bench.sh --module detector -l} has compiled the classes and
 * written the classpath:
 *
 * <pre>
 * java -cp "detector/target/test-classes:detector/target/classes:$(cat detector/target/bench.classpath)" \
 *     org.sipsentry.detector.bench.CpuTimePerCall cached 262144
 * </pre>
 *
 * <p>Arguments: {@code stir} ({@code cached} or {@code off}) and {@code calls} as the benchmark's
 * parameters, then optionally warm-up rounds (4), measured rounds (5) and CPU milliseconds per
 * round (2000). Prints the mean CPU µs per call of the measured rounds and every round's figure.
 */
public final class CpuTimePerCall {

  private CpuTimePerCall() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: CpuTimePerCall cached|off CALLS [WARMUP ROUNDS CPU_MS]");
      System.exit(2);
    }
    DetectorBenchmark benchmark = new DetectorBenchmark();
    benchmark.stir = args[0];
    benchmark.calls = Integer.parseInt(args[1]);
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    long roundNanos = (args.length > 4 ? Long.parseLong(args[4]) : 2000) * 1_000_000L;
    benchmark.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StringBuilder each = new StringBuilder();
    double sum = 0;
    for (int round = 0; round < warmup + rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      long calls = 0;
      long now;
      do {
        for (int i = 0; i < 256; i++) {
          benchmark.inspect();
        }
        calls += 256;
        now = threads.getCurrentThreadCpuTime();
      } while (now - start < roundNanos);
      double micros = (now - start) / 1000.0 / calls;
      each.append(String.format(Locale.ROOT, " %s%.2f", round < warmup ? "w" : "", micros));
      if (round >= warmup) {
        sum += micros;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "stir=%s calls=%d: %.2f CPU µs per call (rounds, w = warm-up:%s)%n",
        benchmark.stir,
        benchmark.calls,
        sum / rounds,
        each);
  }
}
