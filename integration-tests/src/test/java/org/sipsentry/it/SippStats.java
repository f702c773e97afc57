package org.sipsentry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SIPp's own cumulative counts, read from the last line of its statistics file ({@code -trace_stat
 * -stf FILE}, written when the run ends): what a test compares the proxy's metrics with.
 *
 * @param successful {@code SuccessfulCall(C)}: calls that reached the end of the scenario
 * @param failed {@code FailedCall(C)}
 * @param retransmissions {@code Retransmissions(C)}: messages SIPp sent again
 */
record SippStats(long successful, long failed, long retransmissions) {

  /** SIPp's options that write the statistics file {@code file}. */
  static String[] options(Path file) {
    return new String[] {"-trace_stat", "-stf", file.toString()};
  }

  /** Reads {@code file}, a SIPp statistics file of a finished run. */
  static SippStats read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      throw new IOException(file + " has no statistics line: " + lines);
    }
    List<String> header = List.of(lines.get(0).split(";"));
    String[] last = lines.get(lines.size() - 1).split(";");
    return new SippStats(
        column(header, last, "SuccessfulCall(C)", file),
        column(header, last, "FailedCall(C)", file),
        column(header, last, "Retransmissions(C)", file));
  }

  private static long column(List<String> header, String[] row, String name, Path file)
      throws IOException {
    int index = header.indexOf(name);
    if (index < 0 || index >= row.length) {
      throw new IOException(file + " has no column " + name + ": " + header);
    }
    return Long.parseLong(row[index].trim());
  }
}
