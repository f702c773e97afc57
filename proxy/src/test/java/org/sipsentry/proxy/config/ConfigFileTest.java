package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.DetectorSettings;

/** Keeps the file's shape, its error wording and its documentation in step. */
class ConfigFileTest {

  @Test
  void expected_everyKey_saysWhatItTakes() {
    List<String> keys = keyPaths();

    assertThat(keys)
        .contains(
            "listen.udp",
            "trunks[0].sources[0]",
            "rules.invalid-cli.weight",
            "trunks[0].stir.responses.stale-date.code",
            "stir.fetch.allow-addresses[0]");
    for (String key : keys) {
      assertThat(ConfigFile.expected(key)).as(key).isPresent();
    }
  }

  @Test
  void docs_everyKey_isDocumented() throws Exception {
    String docs = Files.readString(Path.of("../docs/configuration.md"));

    for (String key : keyPaths()) {
      if (!key.endsWith("[0]")) {
        String documented =
            key.replace("[0]", "[]")
                .replace("invalid-cli", "<rule>")
                .replace("stale-date", "<failure>");
        assertThat(docs).as(key).contains("`" + documented + "`");
      }
    }
    for (String rule : DetectorSettings.DEFAULT_RULES.keySet()) {
      assertThat(docs).as(rule).contains("`" + rule + "`");
    }
  }

  private static final java.util.Set<String> COMMENTED_IN_EXAMPLES =
      java.util.Set.of(
          "stir.fetch.tls-ca-file",
          "admin.token-file",
          "audit.syslog",
          "audit.syslog.address",
          "audit.syslog.facility",
          "audit.syslog.app-name",
          "audit.syslog.max-message-bytes");

  /** The plain example leaves STIR commented out; the STIR lab example shows its keys. */
  @Test
  void examples_everyKeyButRuleFields_isInOneOfThem() throws Exception {
    String example =
        Files.readString(ConfigLoaderTest.EXAMPLE) + Files.readString(StirConfigTest.LAB_EXAMPLE);

    for (String key : keyPaths()) {
      if (!key.endsWith("[0]") && !key.startsWith("rules.") && !key.contains(".responses.")) {
        String last = key.substring(key.lastIndexOf('.') + 1).replace("[0]", "");
        // A lab has no file for these: they are shown commented out.
        String prefix = COMMENTED_IN_EXAMPLES.contains(key) ? "(?m)^[ #-]*" : "(?m)^[ -]*";
        assertThat(example).as(key).containsPattern(prefix + last + ":");
      }
    }
  }

  /**
   * Every key path of {@link ConfigFile}, lists written with index 0, rules with {@code
   * invalid-cli} and STIR failures with {@code stale-date}.
   */
  private static List<String> keyPaths() {
    List<String> paths = new ArrayList<>();
    collect(ConfigFile.class, "", paths);
    return paths;
  }

  private static void collect(Type type, String path, List<String> paths) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        collect(args[0], path, paths);
      } else if (raw == List.class) {
        paths.add(path + "[0]");
        collect(args[0], path + "[0]", paths);
      } else if (raw == Map.class) {
        String key = path.endsWith(".responses") ? ".stale-date" : ".invalid-cli";
        paths.add(path + key);
        collect(args[1], path + key, paths);
      }
      return;
    }
    if (type instanceof Class<?> c && c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        String key =
            new PropertyNamingStrategies.KebabCaseStrategy().translate(component.getName());
        String child = path.isEmpty() ? key : path + "." + key;
        paths.add(child);
        collect(component.getGenericType(), child, paths);
      }
    }
  }
}
