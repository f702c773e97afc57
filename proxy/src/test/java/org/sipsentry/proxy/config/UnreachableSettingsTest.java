package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.sipsentry.proxy.config.ConfigLoaderTest.EXAMPLE;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Settings that load but can never take effect are warned about, with their line and key. */
class UnreachableSettingsTest {

  @TempDir Path dir;

  @Test
  void check_exampleFile_hasNoWarnings() throws Exception {
    assertThat(ConfigLoader.check(EXAMPLE).warnings()).isEmpty();
  }

  @Test
  void check_minimalFile_hasNoWarningsAboutDefaults() throws Exception {
    assertThat(warnings(minimal())).isEmpty();
  }

  @Test
  void check_weightedRuleLoweredToZeroWithoutAction_warnsAtTheWeight() throws Exception {
    List<ConfigWarning> warnings =
        warnings(minimal() + "rules:\n  invalid-cli:\n    weight: 0\n  allowlisted: {weight: 0}\n");

    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.line()).isEqualTo(OptionalInt.of(8));
              assertThat(w.keyPath()).isEqualTo("rules.invalid-cli.weight");
              assertThat(w.text())
                  .isEqualTo(
                      "rule invalid-cli has weight 0 and no action, so its finding never changes"
                          + " a verdict; expected a weight above 0, an action, or enabled: false");
            });
  }

  @Test
  void check_zeroWeightWithAnActionOrDisabled_doesNotWarn() throws Exception {
    assertThat(
            warnings(
                minimal()
                    + "rules:\n  invalid-cli: {weight: 0, action: block}\n"
                    + "  anonymous-caller: {weight: 0, enabled: false}\n"))
        .isEmpty();
  }

  @Test
  void check_protectedNumberWithoutList_warns() throws Exception {
    assertThat(keys(minimal() + "rules:\n  protected-number: {weight: 90}\n"))
        .containsExactly("rules.protected-number");
  }

  @Test
  void check_domesticCliFromAbroadWithoutInternationalTrunk_warns() throws Exception {
    String yaml =
        minimal()
            + "trunks:\n  - name: carrier\n    sources: [192.0.2.0/24]\n"
            + "rules:\n  domestic-cli-from-abroad: {weight: 80}\n";

    assertThat(keys(yaml)).containsExactly("rules.domestic-cli-from-abroad");
    assertThat(keys(yaml.replace("[192.0.2.0/24]\n", "[192.0.2.0/24]\n    international: true\n")))
        .isEmpty();
  }

  @Test
  void check_neighbourSpoofingWhenEverySourceIsTrustedDomestic_warns() throws Exception {
    String yaml =
        minimal()
            + "trunks:\n  - name: all\n    sources: [0.0.0.0/0, \"::/0\"]\n    trusted: true\n"
            + "rules:\n  neighbour-spoofing: {enabled: true}\n";

    assertThat(keys(yaml)).containsExactly("rules.neighbour-spoofing");
    // With only IPv4 covered, IPv6 callers reach the untrusted default trunk.
    assertThat(keys(yaml.replace("[0.0.0.0/0, \"::/0\"]", "[0.0.0.0/0]"))).isEmpty();
  }

  @Test
  void check_trunkInsideAnEarlierTrunksNetwork_warnsAtTheLaterTrunk() throws Exception {
    List<ConfigWarning> warnings =
        warnings(
            minimal()
                + "trunks:\n"
                + "  - name: wide\n    sources: [10.0.0.0/8]\n"
                + "  - name: narrow\n    sources: [10.1.0.0/16, 10.2.3.4]\n");

    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.keyPath()).isEqualTo("trunks[1]");
              assertThat(w.line()).isEqualTo(OptionalInt.of(9));
              assertThat(w.text())
                  .startsWith(
                      "trunk \"narrow\" can never match a packet: an earlier trunk takes each of"
                          + " its sources (10.1.0.0/16 by trunks[0] \"wide\" 10.0.0.0/8;");
            });
  }

  @Test
  void check_trunkPartlyOutsideEarlierOrOnOtherTransport_doesNotWarn() throws Exception {
    assertThat(
            warnings(
                minimal()
                    + "trunks:\n"
                    + "  - name: udp-only\n    sources: [10.0.0.0/8]\n    transport: udp\n"
                    + "  - name: any\n    sources: [10.0.0.0/8]\n"
                    + "  - name: more\n    sources: [10.1.0.0/16, 192.0.2.0/24]\n"))
        .extracting(ConfigWarning::keyPath)
        .isEmpty();
  }

  @Test
  void check_blockAboveTheWeightsOfRulesThatCanFire_warnsAtTheBlockThreshold() throws Exception {
    // Without lists, rates, international trunks or STIR, only these four can fire:
    // from-pai-mismatch 60, untrusted-pai 30, anonymous-caller 20 and invalid-cli 40, set to 0.
    String yaml =
        minimal()
            + "rules:\n  invalid-cli: {enabled: false}\n  from-pai-mismatch: {weight: 10}\n"
            + "thresholds:\n  label: 30\n  block: 90\n";

    assertThat(warnings(yaml))
        .extracting(ConfigWarning::keyPath, ConfigWarning::line, ConfigWarning::text)
        .containsExactly(
            tuple(
                "thresholds.block",
                OptionalInt.of(11),
                "the block threshold 90 can never be reached by score: the weights of all enabled"
                    + " rules that can fire add up to 60; expected at most 60, or higher"
                    + " weights"));
  }

  @Test
  void check_trunkLabelAboveTheWeightsOfRulesThatCanFire_warnsAtTheTrunksLabel() throws Exception {
    String yaml =
        minimal()
            + "trunks:\n  - name: pbx\n    sources: [192.0.2.0/24]\n"
            + "    thresholds: {label: 95, block: 100}\n"
            + "thresholds: {label: 30, block: 60}\n"
            + "rules:\n  from-pai-mismatch: {enabled: false}\n  untrusted-pai: {enabled: false}\n";

    // invalid-cli 40 + anonymous-caller 20 = 60: enough for the top level, not for the trunk.
    assertThat(keys(yaml)).containsExactly("trunks[0].thresholds.label");
    // A deny list lets denylisted (100) fire too.
    assertThat(keys(yaml + "lists:\n  deny:\n    sources: [203.0.113.0/24]\n")).isEmpty();
  }

  @Test
  void load_ruleThatCannotFire_loadsAndLogsTheWarning() throws Exception {
    Path file = write(dir, minimal() + "rules:\n  protected-number: {weight: 90}\n");
    Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      assertThat(ConfigLoader.load(file).detector().rules().get("protected-number").weight())
          .isEqualTo(90);
    } finally {
      logger.detachAppender(logged);
    }

    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .startsWith(file + " line 7: rules.protected-number: warning: rule");
            });
  }

  private List<ConfigWarning> warnings(String yaml) throws Exception {
    return ConfigLoader.check(write(dir, yaml)).warnings();
  }

  private List<String> keys(String yaml) throws Exception {
    return warnings(yaml).stream().map(ConfigWarning::keyPath).toList();
  }
}
