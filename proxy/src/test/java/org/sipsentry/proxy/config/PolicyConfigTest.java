package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RateLimits;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;

/** The anti-spoofing policy keys: home countries, trunk attributes, rule parameters and lists. */
class PolicyConfigTest {

  @TempDir Path dir;

  private static final String TRANSIT =
      """
      trunks:
        - name: carrier
          sources: [192.0.2.0/24]
          trusted: true
        - name: transit
          sources: [203.0.113.0/24]
          transport: tcp
          international: true
          thresholds:
            label: 10
      """;

  private DetectorSettings load(String yaml) throws Exception {
    return ConfigLoader.load(write(dir, yaml)).detector();
  }

  private ConfigException fail(String yaml) throws Exception {
    Path file = write(dir, yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e).as("ConfigException").isNotNull();
    return e;
  }

  @Test
  void load_trunkAttributes_areConverted() throws Exception {
    DetectorSettings settings = load(minimal() + "thresholds: {label: 30, block: 70}\n" + TRANSIT);

    Trunk carrier = settings.trunks().get(0);
    Trunk transit = settings.trunks().get(1);
    assertThat(carrier.international()).isFalse();
    assertThat(carrier.transports()).isEmpty();
    assertThat(carrier.thresholds()).isEmpty();
    assertThat(transit.international()).isTrue();
    assertThat(transit.transports()).containsExactly(Transport.TCP);
    // block left out: the top-level block threshold.
    assertThat(transit.thresholds()).contains(new Thresholds(10, 70));
  }

  @Test
  void load_homeCountries_followHomeCountryWithoutRepeats() throws Exception {
    DetectorSettings settings = load(minimal() + "home-countries: [li, CH]\n");

    assertThat(settings.homeCountries()).containsExactly("CH", "LI");
    assertThat(settings.homeRegion()).isEqualTo("CH");
  }

  @Test
  void load_homeCountriesAlone_firstIsTheNationalRegion() throws Exception {
    DetectorSettings settings =
        load(minimal().replace("home-country: CH\n", "home-countries: [DE, AT]\n"));

    assertThat(settings.homeRegion()).isEqualTo("DE");
  }

  @Test
  void load_allowMobileRoaming_setsTheOption() throws Exception {
    DetectorSettings settings =
        load(minimal() + "rules:\n  domestic-cli-from-abroad: {allow-mobile-roaming: true}\n");

    assertThat(settings.options().allowMobileRoaming()).isTrue();
    assertThat(load(minimal()).options().allowMobileRoaming()).isFalse();
  }

  @Test
  void load_protectedNumbers_readsFilesRelativeToTheConfig() throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    Files.writeString(
        dir.resolve("lists/bank-dno.txt"),
        "# bank\n+41446681800\n+4144668* trunks=carrier min-attest=A\n");

    DetectorSettings settings =
        load(
            minimal() + TRANSIT + "lists:\n  protected-numbers:\n    - file: lists/bank-dno.txt\n");

    assertThat(settings.options().protectedNumbers()).hasSize(1);
    NamedList list = settings.options().protectedNumbers().get(0);
    assertThat(list.name()).isEqualTo("bank-dno.txt");
    assertThat(list.list().size()).isEqualTo(2);
    assertThat(list.list().lookup("41446681899").orElseThrow().rule().trunks())
        .isEqualTo(Set.of("carrier"));
  }

  @Test
  void load_missingListFile_namesKeyAndFile() throws Exception {
    ConfigException e = fail(minimal() + "lists:\n  protected-numbers:\n    - file: nowhere.txt\n");

    assertThat(e.keyPath()).isEqualTo("lists.protected-numbers[0].file");
    assertThat(e.line()).isEqualTo(OptionalInt.of(8));
    assertThat(e.getMessage())
        .contains("cannot read " + dir.resolve("nowhere.txt") + ": there is no such file");
  }

  @Test
  void load_badListEntries_namesEveryBadLineOfTheListFile() throws Exception {
    Files.writeString(dir.resolve("dno.txt"), "+41446681800\nbank\n+4144668* min-attest=D\n");

    ConfigException e = fail(minimal() + "lists:\n  protected-numbers:\n    - file: dno.txt\n");

    assertThat(e.keyPath()).isEqualTo("lists.protected-numbers[0].file");
    assertThat(e.getMessage()).contains("dno.txt line 2").contains("dno.txt line 3");
  }

  @Test
  void load_listAllowingUnknownTrunk_isRejected() throws Exception {
    Files.writeString(dir.resolve("dno.txt"), "+4144668* trunks=carier\n");

    ConfigException e =
        fail(minimal() + TRANSIT + "lists:\n  protected-numbers:\n    - file: dno.txt\n");

    assertThat(e.getMessage())
        .endsWith(
            "allows trunk \"carier\", which is not a trunk of this file; expected one of carrier,"
                + " transit, default");
  }

  @Test
  void load_unknownTrunkTransport_namesKey() throws Exception {
    ConfigException e =
        fail(minimal() + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n    transport: tls\n");

    assertThat(e.keyPath()).isEqualTo("trunks[0].transport");
    assertThat(e.getMessage())
        .endsWith("\"tls\" is not a transport; expected one of any, udp, tcp");
  }

  @Test
  void load_trunkLabelAboveItsBlock_namesTrunkThreshold() throws Exception {
    ConfigException e =
        fail(
            minimal()
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n"
                + "    thresholds: {label: 90}\n");

    assertThat(e.keyPath()).isEqualTo("trunks[0].thresholds.label");
    assertThat(e.getMessage()).endsWith("90 is above the block threshold 80; expected at most 80");
  }

  @Test
  void load_unknownHomeCountry_namesListItem() throws Exception {
    ConfigException e = fail(minimal() + "home-countries: [CH, XX]\n");

    assertThat(e.keyPath()).isEqualTo("home-countries[1]");
    assertThat(e.getMessage()).contains("\"XX\" is not a region libphonenumber knows");
  }

  @Test
  void load_allowMobileRoamingOnAnotherRule_isRejected() throws Exception {
    ConfigException e = fail(minimal() + "rules:\n  invalid-cli: {allow-mobile-roaming: true}\n");

    assertThat(e.keyPath()).isEqualTo("rules.invalid-cli.allow-mobile-roaming");
    assertThat(e.getMessage())
        .endsWith(
            "rule invalid-cli takes no allow-mobile-roaming; expected it on"
                + " domestic-cli-from-abroad");
  }

  @Test
  void load_withoutLists_hasNoProtectedNumbers() throws Exception {
    assertThat(load(minimal()).options().protectedNumbers()).isEmpty();
    assertThat(load(minimal()).trunks()).isEmpty();
    assertThat(Optional.of(load(minimal()).homeCountries())).contains(java.util.List.of("CH"));
  }

  @Test
  void load_denyAndAllowLists_areConverted() throws Exception {
    Files.writeString(dir.resolve("deny.txt"), "+4190*\n");

    DetectorSettings settings =
        load(
            minimal()
                + "lists:\n"
                + "  deny:\n"
                + "    numbers: [{file: deny.txt}]\n"
                + "    spcs: [\"666\"]\n"
                + "    sources: [203.0.113.0/24]\n"
                + "    user-agents: [friendly-scanner]\n"
                + "  allow:\n"
                + "    sources: [192.0.2.1]\n");

    CallerList deny = settings.options().deny();
    assertThat(deny.numbers()).extracting(NamedList::name).containsExactly("deny.txt");
    assertThat(deny.spcs()).containsExactly("666");
    assertThat(deny.sources()).containsExactly(Cidr.parse("203.0.113.0/24"));
    assertThat(deny.userAgents().get(0).matcher("x FRIENDLY-SCANNER y").find()).isTrue();
    assertThat(settings.options().allow().sources()).containsExactly(Cidr.parse("192.0.2.1/32"));
    assertThat(settings.options().allow().userAgents()).isEmpty();
  }

  @Test
  void load_badUserAgentPattern_namesItem() throws Exception {
    ConfigException e = fail(minimal() + "lists:\n  deny:\n    user-agents: [ok, \"sip(\"]\n");

    assertThat(e.keyPath()).isEqualTo("lists.deny.user-agents[1]");
    assertThat(e.getMessage()).contains("\"sip(\" is not a regular expression (Unclosed group)");
  }

  @Test
  void load_badDenySource_namesItem() throws Exception {
    ConfigException e = fail(minimal() + "lists:\n  allow:\n    sources: [10.0.0/8]\n");

    assertThat(e.keyPath()).isEqualTo("lists.allow.sources[0]");
    assertThat(e.line()).isEqualTo(OptionalInt.of(8));
  }

  @Test
  void load_neighbourDigitsMinAttestationAndSigners_areConverted() throws Exception {
    DetectorSettings settings =
        load(
            minimal()
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n    min-attestation: B\n"
                + "rules:\n  neighbour-spoofing: {digits: 6}\n"
                + "lists:\n  signers:\n    allow: [\"1234\"]\n    deny: [\"666\"]\n");

    assertThat(settings.trunks().get(0).minimumAttestation()).contains(Attestation.B);
    assertThat(settings.options().neighbourDigits()).isEqualTo(6);
    assertThat(settings.options().signersAllowed()).containsExactly("1234");
    assertThat(settings.options().signersDenied()).containsExactly("666");
  }

  @Test
  void load_badMinAttestation_namesKey() throws Exception {
    ConfigException e =
        fail(
            minimal()
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n    min-attestation: D\n");

    assertThat(e.keyPath()).isEqualTo("trunks[0].min-attestation");
    assertThat(e.getMessage()).endsWith("\"D\" is not an attestation; expected one of A, B, C");
  }

  @Test
  void load_digitsOutOfRangeOrOnAnotherRule_isRejected() throws Exception {
    assertThat(fail(minimal() + "rules:\n  neighbour-spoofing: {digits: 1}\n").getMessage())
        .endsWith(
            "1 is out of range; expected an integer from 2 to 15, on the rule neighbour-spoofing");
    assertThat(fail(minimal() + "rules:\n  invalid-cli: {digits: 7}\n").keyPath())
        .isEqualTo("rules.invalid-cli.digits");
  }

  @Test
  void load_anonymiseThresholds_topLevelAndPerTrunk() throws Exception {
    DetectorSettings settings =
        load(
            minimal()
                + "thresholds: {label: 30, anonymise: 60, block: 80}\n"
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n"
                + "    thresholds: {anonymise: 40}\n"
                + "  - name: b\n    sources: [198.51.100.0/24]\n"
                + "    thresholds: {block: 90}\n");

    assertThat(settings.anonymiseThreshold()).contains(60);
    assertThat(settings.trunks().get(0).thresholds())
        .contains(new Thresholds(30, Optional.of(40), 80));
    assertThat(settings.trunks().get(1).thresholds())
        .contains(new Thresholds(30, Optional.of(60), 90));
    assertThat(load(minimal()).anonymiseThreshold()).isEmpty();
  }

  @Test
  void load_anonymiseAboveBlock_namesKey() throws Exception {
    ConfigException e = fail(minimal() + "thresholds:\n  anonymise: 90\n");

    assertThat(e.keyPath()).isEqualTo("thresholds.anonymise");
    assertThat(e.getMessage())
        .endsWith(
            "90 is outside the label threshold 30 to the block threshold 80; expected a score from"
                + " 30 to 80");
  }

  @Test
  void load_anonymiseAction_isAcceptedOnARule() throws Exception {
    DetectorSettings settings =
        load(minimal() + "rules:\n  domestic-cli-from-abroad: {action: anonymise}\n");

    assertThat(settings.rules().get("domestic-cli-from-abroad").action())
        .contains(org.sipsentry.detector.Action.ANONYMISE);
  }

  @Test
  void load_rateLimits_trunkOwnElseTopLevelWhichAlsoCoversDefault() throws Exception {
    DetectorSettings settings =
        load(
            minimal()
                + "rate: {window: 30s, per-caller: 10}\n"
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n"
                + "    rate: {per-source: 100}\n"
                + "  - name: b\n    sources: [198.51.100.0/24]\n");

    assertThat(settings.options().rateLimits())
        .containsOnly(
            java.util.Map.entry("a", new RateLimits(java.time.Duration.ofSeconds(30), 10, 100)),
            java.util.Map.entry("b", new RateLimits(java.time.Duration.ofSeconds(30), 10, 0)),
            java.util.Map.entry(
                "default", new RateLimits(java.time.Duration.ofSeconds(30), 10, 0)));
    assertThat(load(minimal()).options().rateLimits()).isEmpty();
  }

  @Test
  void load_badRateWindow_namesKey() throws Exception {
    ConfigException e = fail(minimal() + "rate:\n  window: 2h\n");

    assertThat(e.keyPath()).isEqualTo("rate.window");
    assertThat(e.getMessage()).contains("2h is out of range");
  }
}
