package org.sipsentry.proxy.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of an audit log's rotated files: {@code audit.jsonl} becomes {@code
 * audit-YYYYMMDD-HHMMSS.jsonl} (UTC, the time of the rotation), with {@code -1}, {@code -2}, ...
 * added when that name is taken. Ordered by time, then by that number.
 */
final class RotatedFiles {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path directory;
  private final String base;
  private final String extension;
  private final Pattern rotated;

  RotatedFiles(Path file) {
    Path absolute = file.toAbsolutePath();
    this.directory = absolute.getParent();
    String name = absolute.getFileName().toString();
    int dot = name.lastIndexOf('.');
    this.base = dot > 0 ? name.substring(0, dot) : name;
    this.extension = dot > 0 ? name.substring(dot) : "";
    this.rotated =
        Pattern.compile(
            Pattern.quote(base) + "-(\\d{8}-\\d{6})(?:-(\\d{1,9}))?" + Pattern.quote(extension));
  }

  /**
   * A name for the file rotated at {@code time} that sorts after every rotated file of the same
   * second, even after retention deleted the first of them.
   */
  Path next(Instant time) throws IOException {
    String stamp = STAMP.format(time);
    int n = -1;
    for (Path path : list()) {
      Matcher m = rotated.matcher(path.getFileName().toString());
      if (m.matches() && m.group(1).equals(stamp)) {
        n = Math.max(n, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
      }
    }
    Path candidate;
    do {
      n++;
      candidate = directory.resolve(base + "-" + stamp + (n == 0 ? "" : "-" + n) + extension);
    } while (Files.exists(candidate));
    return candidate;
  }

  /** The rotated files in the directory, oldest first. */
  List<Path> list() throws IOException {
    record Found(Path path, String stamp, int n) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path path : files) {
        Matcher m = rotated.matcher(path.getFileName().toString());
        if (m.matches() && Files.isRegularFile(path)) {
          found.add(
              new Found(path, m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
        }
      }
    }
    found.sort(Comparator.comparing(Found::stamp).thenComparingInt(Found::n));
    return found.stream().map(Found::path).toList();
  }

  /**
   * Deletes the oldest rotated files beyond the newest {@code keep}.
   *
   * @return the files deleted
   */
  List<Path> retain(int keep) throws IOException {
    List<Path> all = list();
    List<Path> deleted = new ArrayList<>();
    for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
      Files.deleteIfExists(old);
      deleted.add(old);
    }
    return deleted;
  }
}
