package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.Transport;

class DetectorSettingsTest {

  private static final Trunk CARRIER =
      new Trunk("carrier", List.of(Cidr.parse("192.0.2.0/28")), true);
  private static final Trunk LAB =
      new Trunk("lab", List.of(Cidr.parse("2001:db8::/32"), Cidr.parse("192.0.2.0/24")), false);

  private static DetectorSettings settings(
      List<Trunk> trunks, Map<String, RuleSettings> rules, int label, int block) {
    return new DetectorSettings("CH", trunks, rules, label, block, SipStatus.REJECTED);
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void trunkFor_overlappingTrunks_firstMatchWins() throws UnknownHostException {
    DetectorSettings settings = settings(List.of(CARRIER, LAB), Map.of(), 30, 80);

    assertThat(settings.trunkFor(ip("192.0.2.5"), Transport.UDP)).isEqualTo(CARRIER);
    assertThat(settings.trunkFor(ip("192.0.2.200"), Transport.UDP)).isEqualTo(LAB);
    assertThat(settings.trunkFor(ip("2001:db8::5"), Transport.UDP)).isEqualTo(LAB);
  }

  @Test
  void trunkFor_trunkLimitedToTcp_matchesOnlyTcpFromItsSources() throws UnknownHostException {
    Trunk tcpOnly =
        new Trunk(
            "sbc-tls",
            List.of(Cidr.parse("192.0.2.0/24")),
            true,
            StirSettings.OFF,
            false,
            java.util.Set.of(Transport.TCP),
            java.util.Optional.empty());
    DetectorSettings settings = settings(List.of(tcpOnly, LAB), Map.of(), 30, 80);

    assertThat(settings.trunkFor(ip("192.0.2.5"), Transport.TCP)).isEqualTo(tcpOnly);
    assertThat(settings.trunkFor(ip("192.0.2.5"), Transport.UDP)).isEqualTo(LAB);
  }

  @Test
  void new_severalHomeCountries_firstIsTheNationalFormatRegion() {
    DetectorSettings settings =
        new DetectorSettings(
            List.of("CH", "LI"),
            List.of(),
            Map.of(),
            30,
            80,
            SipStatus.REJECTED,
            CheckOptions.DEFAULT);

    assertThat(settings.homeRegion()).isEqualTo("CH");
    assertThat(settings.homeCountries()).containsExactly("CH", "LI");
  }

  @Test
  void thresholds_trunkWithOwn_winsOverTheDefault() {
    Trunk strict =
        new Trunk(
            "transit",
            List.of(),
            false,
            StirSettings.OFF,
            true,
            java.util.Set.of(),
            java.util.Optional.of(new Thresholds(10, 20)));
    DetectorSettings settings = settings(List.of(strict), Map.of(), 30, 80);

    assertThat(settings.thresholds(strict)).isEqualTo(new Thresholds(10, 20));
    assertThat(settings.thresholds(Trunk.DEFAULT)).isEqualTo(new Thresholds(30, 80));
  }

  @Test
  void trunkFor_unknownSource_isDefaultTrunk() throws UnknownHostException {
    DetectorSettings settings = settings(List.of(CARRIER, LAB), Map.of(), 30, 80);

    assertThat(settings.trunkFor(ip("203.0.113.1"), Transport.UDP)).isSameAs(Trunk.DEFAULT);
    assertThat(Trunk.DEFAULT.trusted()).isFalse();
  }

  @Test
  void new_someRules_keepsDefaultsForTheOthers() {
    DetectorSettings settings =
        settings(List.of(), Map.of("invalid-cli", RuleSettings.weighted(75)), 30, 80);

    assertThat(settings.rules())
        .containsOnlyKeys(DetectorSettings.DEFAULT_RULES.keySet())
        .containsEntry("invalid-cli", RuleSettings.weighted(75))
        .containsEntry("from-pai-mismatch", RuleSettings.weighted(60));
  }

  @Test
  void new_unknownRule_isRejectedNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> settings(List.of(), Map.of("from-spoofed", RuleSettings.weighted(10)), 30, 80))
        .withMessage(
            "\"from-spoofed\" is not a rule; expected one of "
                + "[from-pai-mismatch, untrusted-pai, invalid-cli, anonymous-caller,"
                + " domestic-cli-from-abroad, neighbour-spoofing, protected-number, denylisted,"
                + " allowlisted, attestation-too-low, signer-denied, rate-exceeded,"
                + " passport-replay, stir-failed, stir-missing, stir-attestation-a, stir-attestation-b,"
                + " stir-attestation-c]");
  }

  @Test
  void new_labelAboveBlock_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings(List.of(), Map.of(), 81, 80))
        .withMessage("label threshold 81 is above block threshold 80");
  }

  @Test
  void new_thresholdOutsideScores_isRejectedNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings(List.of(), Map.of(), -1, 80))
        .withMessage("label threshold -1 is outside 0..100; thresholds are scores");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings(List.of(), Map.of(), 30, 101))
        .withMessage("block threshold 101 is outside 0..100; thresholds are scores");
  }

  @Test
  void new_equalThresholds_areAccepted() {
    assertThat(settings(List.of(), Map.of(), 50, 50).blockThreshold()).isEqualTo(50);
  }

  @Test
  void defaultRules_haveDocumentedWeightsAndOnlyNeighbourSpoofingIsOff() {
    assertThat(DetectorSettings.DEFAULT_RULES)
        .containsExactly(
            Map.entry("from-pai-mismatch", RuleSettings.weighted(60)),
            Map.entry("untrusted-pai", RuleSettings.weighted(30)),
            Map.entry("invalid-cli", RuleSettings.weighted(40)),
            Map.entry("anonymous-caller", RuleSettings.weighted(20)),
            Map.entry("domestic-cli-from-abroad", RuleSettings.weighted(80)),
            Map.entry(
                "neighbour-spoofing",
                new RuleSettings(
                    false, 20, java.util.Optional.empty(), java.util.Optional.empty())),
            Map.entry("protected-number", RuleSettings.weighted(80)),
            Map.entry(
                "denylisted",
                new RuleSettings(
                    true, 100, java.util.Optional.of(Action.BLOCK), java.util.Optional.empty())),
            Map.entry("allowlisted", RuleSettings.weighted(0)),
            Map.entry("attestation-too-low", RuleSettings.weighted(30)),
            Map.entry("signer-denied", RuleSettings.weighted(60)),
            Map.entry("rate-exceeded", RuleSettings.weighted(50)),
            Map.entry("passport-replay", RuleSettings.weighted(80)),
            Map.entry("stir-failed", RuleSettings.weighted(50)),
            Map.entry("stir-missing", RuleSettings.weighted(10)),
            Map.entry("stir-attestation-a", RuleSettings.weighted(0)),
            Map.entry("stir-attestation-b", RuleSettings.weighted(0)),
            Map.entry("stir-attestation-c", RuleSettings.weighted(10)));
  }

  @Test
  void stirEnabled_onlyWhenSomeTrunkVerifies() {
    Trunk verifying =
        new Trunk(
            "signed",
            List.of(Cidr.parse("198.51.100.0/24")),
            false,
            StirSettings.of(StirSettings.Mode.VERIFY));

    assertThat(settings(List.of(CARRIER, LAB), Map.of(), 30, 80).stirEnabled()).isFalse();
    assertThat(settings(List.of(CARRIER, verifying), Map.of(), 30, 80).stirEnabled()).isTrue();
    assertThat(Trunk.DEFAULT.stir()).isEqualTo(StirSettings.OFF);
  }
}
