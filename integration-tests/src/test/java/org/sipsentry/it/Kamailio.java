package org.sipsentry.it;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Kamailio started from a config template in {@code src/test/resources/kamailio/}, in the
 * foreground ({@code -DD -E}) with its own runtime folder, listening on UDP 127.0.0.1; stopped
 * (with the worker processes it forked) by {@link #close}.
 */
final class Kamailio implements AutoCloseable {

  /** Where Debian and source builds put the modules; the first holding every needed one wins. */
  private static final List<String> MODULE_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu/kamailio/modules",
          "/usr/lib/aarch64-linux-gnu/kamailio/modules",
          "/usr/lib/kamailio/modules",
          "/usr/lib64/kamailio/modules",
          "/usr/local/lib64/kamailio/modules",
          "/usr/local/lib/kamailio/modules");

  /** The modules the test configs load beyond Kamailio's own package. */
  static final List<String> MODULES = List.of("http_client.so", "json.so", "sl.so", "pv.so");

  private final Process process;
  private final Path log;
  final int port;

  private Kamailio(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The kamailio binary, if installed. */
  static Optional<Path> binary() {
    for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
      Path candidate = Path.of(dir, "kamailio");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The module folder holding every one of {@link #MODULES}, if there is one. */
  static Optional<Path> moduleDir() {
    for (String dir : MODULE_DIRS) {
      Path candidate = Path.of(dir);
      if (MODULES.stream().allMatch(module -> Files.isRegularFile(candidate.resolve(module)))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Renders {@code template} with {@code values}, {@code KAMAILIO_PORT} (a free port) and {@code
   * MODULES} into {@code dir}, starts Kamailio on it and waits until it has bound its port.
   */
  static Kamailio start(String template, Path dir, Map<String, String> values) throws Exception {
    Path binary = binary().orElseThrow(() -> new IllegalStateException("kamailio not installed"));
    Path modules =
        moduleDir()
            .orElseThrow(
                () -> new IllegalStateException("kamailio modules " + MODULES + " missing"));
    int port = Ports.free();
    Map<String, String> all = new java.util.HashMap<>(values);
    all.put("KAMAILIO_PORT", String.valueOf(port));
    all.put("MODULES", modules.toString());
    Path cfg =
        Scenarios.fill(
            Path.of("target/test-classes/kamailio", template),
            all,
            dir.resolve(template),
            StandardCharsets.US_ASCII);
    Path runtime = Files.createDirectories(dir.resolve("kamailio-run"));
    Path log = dir.resolve("kamailio.log");
    Process process =
        new ProcessBuilder(
                binary.toString(), "-DD", "-E", "-f", cfg.toString(), "-Y", runtime.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Kamailio kamailio = new Kamailio(process, log, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!kamailio.bound()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        kamailio.close();
        throw new IllegalStateException(
            "kamailio did not start on udp 127.0.0.1:" + port + ":\n" + kamailio.log());
      }
      Thread.sleep(100);
    }
    return kamailio;
  }

  /** Whether something (Kamailio) holds the UDP port. */
  private boolean bound() throws IOException {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return false;
    } catch (BindException e) {
      return true;
    }
  }

  /** {@code 127.0.0.1:<port>}: where SIPp UACs send. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** What Kamailio wrote so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Stops Kamailio (SIGTERM, which it passes to its workers), then any worker left over. */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    for (ProcessHandle worker : workers) {
      if (worker.isAlive()) {
        worker.destroyForcibly();
      }
    }
  }
}
