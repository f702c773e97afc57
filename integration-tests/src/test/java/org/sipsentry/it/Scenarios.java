package org.sipsentry.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Fills in the {@code ${name}} placeholders of a SIPp scenario template (see sipp/README.md). */
final class Scenarios {

  private Scenarios() {}

  /**
   * Writes {@code template} (relative to the sipp folder) with {@code values} filled in into {@code
   * dir}, and returns the written file.
   */
  static Path render(String template, Map<String, String> values, Path dir) throws IOException {
    return render(template, values, dir, template.replace('/', '-'));
  }

  /**
   * As {@link #render(String, Map, Path)}, into the file {@code name}: for two renderings of one
   * template that SIPp runs at the same time.
   */
  static Path render(String template, Map<String, String> values, Path dir, String name)
      throws IOException {
    String text = Files.readString(Sipp.SCENARIOS.resolve(template), StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    int unfilled = text.indexOf("${");
    if (unfilled >= 0) {
      throw new IllegalArgumentException(
          template + " still has a placeholder: " + text.substring(unfilled, unfilled + 20));
    }
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    return file;
  }
}
