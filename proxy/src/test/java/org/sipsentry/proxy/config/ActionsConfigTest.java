package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;

/** {@code actions.label.display-name-prefix} and the rule action {@code mark}. */
class ActionsConfigTest {

  @TempDir Path dir;

  private ProxySettings load(String yaml) throws Exception {
    return ConfigLoader.load(write(dir, yaml));
  }

  private ConfigException fail(String yaml) throws Exception {
    Path file = write(dir, yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e).as("ConfigException").isNotNull();
    return e;
  }

  private static String prefix(String yamlValue) {
    return minimal() + "actions:\n  label:\n    display-name-prefix: " + yamlValue + "\n";
  }

  // --- display-name-prefix ---------------------------------------------------------------------

  @Test
  void load_displayNamePrefix_keptWithItsTrailingSpace() throws Exception {
    assertThat(load(prefix("\"[SPOOF?] \"")).displayNamePrefix()).contains("[SPOOF?] ");
  }

  @Test
  void load_withoutActions_noPrefix() throws Exception {
    assertThat(load(minimal()).displayNamePrefix()).isEmpty();
    assertThat(load(minimal() + "actions:\n  label: {}\n").displayNamePrefix()).isEmpty();
  }

  @Test
  void load_displayNamePrefixOver32Characters_namesFileLineAndKey() throws Exception {
    String yaml = prefix("\"" + "x".repeat(33) + "\"");
    ConfigException e = fail(yaml);

    assertThat(e.getMessage())
        .isEqualTo(
            dir.resolve("sipsentry.yaml")
                + " line 8: actions.label.display-name-prefix: 33 characters are too many;"
                + " expected text of 1 to 32 characters on one line, without control characters,"
                + " e.g. \"[SPOOF?] \"");
    assertThat(e.line()).hasValue(8);
  }

  @Test
  void load_displayNamePrefixWithLineBreak_rejected() throws Exception {
    ConfigException e = fail(prefix("\"[X]\\r\\nVia: x\""));

    assertThat(e.keyPath()).isEqualTo("actions.label.display-name-prefix");
    assertThat(e.getMessage()).contains("control character U+000D at index 3");
  }

  @Test
  void load_displayNamePrefixWithTab_rejected() throws Exception {
    assertThat(fail(prefix("\"[X]\\t\"")).getMessage()).contains("control character U+0009");
  }

  @Test
  void load_blankDisplayNamePrefix_rejected() throws Exception {
    ConfigException e = fail(prefix("\"  \""));

    assertThat(e.keyPath()).isEqualTo("actions.label.display-name-prefix");
    assertThat(e.getMessage()).contains("is empty or only white space");
  }

  @Test
  void load_unknownKeyUnderLabel_listsDisplayNamePrefix() throws Exception {
    ConfigException e = fail(minimal() + "actions:\n  label:\n    prefix: \"[X] \"\n");

    assertThat(e.getMessage()).contains("actions.label.prefix: unknown key");
    assertThat(e.getMessage()).contains("display-name-prefix");
  }

  @Test
  void withOverrides_listenAndNextHop_keepThePrefix() throws Exception {
    ProxySettings settings = load(prefix("\"[SPOOF?] \""));

    ProxySettings overridden =
        ConfigLoader.withOverrides(
            settings,
            Optional.of(new HostPort("127.0.0.1", 5070)),
            Optional.of(new HostPort("127.0.0.1", 5090)));

    assertThat(overridden.displayNamePrefix()).contains("[SPOOF?] ");
  }

  // --- rules.<rule>.action: mark ---------------------------------------------------------------

  @Test
  void load_markAction_ruleMarkedWithItsWeight() throws Exception {
    RuleSettings rule =
        load(minimal() + "rules:\n  neighbour-spoofing: {enabled: true, action: mark}\n")
            .detector()
            .rules()
            .get("neighbour-spoofing");

    assertThat(rule)
        .isEqualTo(new RuleSettings(true, 20, Optional.empty(), Optional.empty(), true));
  }

  @Test
  void load_markOnRuleForcingBlockByDefault_dropsTheForcedBlock() throws Exception {
    RuleSettings rule =
        load(minimal() + "rules:\n  denylisted: {action: mark}\n")
            .detector()
            .rules()
            .get("denylisted");

    assertThat(rule.marked()).isTrue();
    assertThat(rule.action()).isEmpty();
  }

  @Test
  void load_markWithResponse_namesTheResponseKey() throws Exception {
    ConfigException e =
        fail(
            minimal()
                + "rules:\n  invalid-cli:\n    action: mark\n"
                + "    response: {code: 604, reason: Does Not Exist Anywhere}\n");

    assertThat(e.keyPath()).isEqualTo("rules.invalid-cli.response");
    assertThat(e.line()).hasValue(9);
  }

  @Test
  void load_unknownRuleAction_listsMark() throws Exception {
    ConfigException e = fail(minimal() + "rules:\n  invalid-cli: {action: dryrun}\n");

    assertThat(e.keyPath()).isEqualTo("rules.invalid-cli.action");
    assertThat(e.getMessage())
        .endsWith(
            "\"dryrun\" is not an action; expected one of allow, label, anonymise, block, mark");
  }

  @Test
  void summary_markedRuleAndPrefix_shown() throws Exception {
    String summary =
        ConfigLoader.summary(
            load(prefix("\"[SPOOF?] \"") + "rules:\n  from-pai-mismatch: {action: mark}\n"));

    assertThat(summary)
        .contains("from-pai-mismatch marked (dry run, weight 60 not counted)")
        .contains("display names prefixed \"[SPOOF?] \"");
  }
}
