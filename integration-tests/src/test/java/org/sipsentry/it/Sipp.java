package org.sipsentry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real SIPp binary. Each run writes its console output and SIPp's error trace into a work
 * directory, so that a failing test can show what SIPp saw.
 */
final class Sipp implements AutoCloseable {

  /** The folder of the scenario files, copied from src/test/resources/sipp by Maven. */
  static final Path SCENARIOS = Path.of("target/test-classes/sipp").toAbsolutePath();

  private final Process process;
  private final Path output;
  private final List<String> command;

  private Sipp(List<String> command, Path workDir) throws IOException {
    this.command = List.copyOf(command);
    Files.createDirectories(workDir);
    this.output = Files.createTempFile(workDir, "sipp-", ".log");
    this.process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
  }

  /** Starts SIPp with {@code arguments} (everything after {@code sipp}). */
  static Sipp start(Path workDir, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("sipp");
    command.addAll(List.of(arguments));
    command.add("-nostdin");
    command.add("-trace_err");
    return new Sipp(command, workDir);
  }

  /**
   * Waits for SIPp to end. Its exit code is 0 when every call succeeded, 1 when at least one
   * failed, and other values for errors (SIPp manual, "Exit codes").
   */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("SIPp did not finish within " + timeout + ":\n" + describe());
    }
    return process.exitValue();
  }

  /** Whether SIPp is still running. */
  boolean isRunning() {
    return process.isAlive();
  }

  /** The command line and what SIPp printed, for assertion messages. */
  String describe() {
    StringBuilder text = new StringBuilder(String.join(" ", command)).append('\n');
    try {
      String log = Files.readString(output);
      text.append(log.length() > 6000 ? log.substring(log.length() - 6000) : log);
      try (var errors = Files.list(output.getParent())) {
        for (Path error : errors.filter(p -> p.toString().endsWith("_errors.log")).toList()) {
          String content = Files.readString(error);
          text.append("\n--- ").append(error.getFileName()).append('\n');
          text.append(content.length() > 4000 ? content.substring(0, 4000) : content);
        }
      }
    } catch (IOException e) {
      text.append("(output unreadable: ").append(e).append(')');
    }
    return text.toString();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
