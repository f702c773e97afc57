package org.sipsentry.it;

import java.io.IOException;
import java.nio.charset.Charset;
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
    return fill(
        Sipp.SCENARIOS.resolve(template), values, dir.resolve(name), StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes {@code source} with the {@code ${name}} placeholders of {@code values} filled in to
   * {@code target} (a scenario, or a config file); throws when a placeholder is left.
   */
  static Path fill(Path source, Map<String, String> values, Path target, Charset charset)
      throws IOException {
    String text = Files.readString(source, charset);
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    int unfilled = text.indexOf("${");
    if (unfilled >= 0) {
      throw new IllegalArgumentException(
          source
              + " still has a placeholder: "
              + text.substring(unfilled, Math.min(text.length(), unfilled + 20)));
    }
    Files.writeString(target, text, charset);
    return target;
  }
}
