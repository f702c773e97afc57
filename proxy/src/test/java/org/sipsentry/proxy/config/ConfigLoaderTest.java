package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CheckOptions;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.audit.AuditSettings;
import org.sipsentry.sip.Transport;

class ConfigLoaderTest {

  /** The shipped example, from the repository root (tests run in the proxy module's directory). */
  static final Path EXAMPLE = Path.of("../config/sipsentry.example.yaml");

  static final Path RESOURCES = Path.of("src/test/resources/config");

  @Test
  void load_exampleFile_convertsToTheLabSettings() throws Exception {
    ProxySettings settings = ConfigLoader.load(EXAMPLE);

    HostPort listen = new HostPort("127.0.0.1", 5060);
    List<NamedList> lists = settings.detector().options().protectedNumbers();
    assertThat(lists).extracting(NamedList::name).containsExactly("bank-dno.example.txt");
    assertThat(lists.get(0).list().size()).isEqualTo(2);
    DetectorSettings detector =
        new DetectorSettings(
            List.of("CH", "LI"),
            List.of(
                new Trunk(
                    "carrier",
                    List.of(Cidr.parse("127.0.0.2/32"), Cidr.parse("192.0.2.0/24")),
                    true),
                new Trunk(
                    "transit",
                    List.of(Cidr.parse("198.51.100.0/24")),
                    false,
                    StirSettings.OFF,
                    true,
                    Set.of(),
                    Optional.of(new Thresholds(20, Optional.of(60), 80)),
                    Optional.of(org.sipsentry.sip.stir.Attestation.C))),
            DetectorSettings.DEFAULT_RULES,
            30,
            80,
            new SipStatus(608, "Rejected"),
            // The loaded list itself: a NumberList is compared by identity.
            new CheckOptions(
                true,
                lists,
                settings.detector().options().deny(),
                org.sipsentry.detector.CallerList.EMPTY,
                7,
                Set.of(),
                Set.of(),
                Map.of(
                    "transit",
                    new org.sipsentry.detector.RateLimits(
                        java.time.Duration.ofSeconds(60), 30, 300),
                    "default",
                    new org.sipsentry.detector.RateLimits(
                        java.time.Duration.ofSeconds(60), 30, 300),
                    "carrier",
                    new org.sipsentry.detector.RateLimits(
                        java.time.Duration.ofSeconds(60), 30, 0))));
    assertThat(settings.detector().options().deny().userAgents())
        .extracting(java.util.regex.Pattern::pattern)
        .containsExactly("friendly-scanner", "sipvicious");
    assertThat(settings)
        .isEqualTo(
            ProxySettings.builder(new HostPort("127.0.0.1", 5080), detector)
                .listen(listen)
                .auditLog(Path.of("var/audit.jsonl").toAbsolutePath())
                .audit(
                    new AuditSettings(
                        65_536,
                        AuditSettings.OnFull.BLOCK_CALLS,
                        100_000_000L,
                        Optional.of(Duration.ofDays(1)),
                        30,
                        AuditSettings.Fsync.interval(Duration.ofSeconds(1)),
                        Optional.empty()))
                .adminListen(Optional.of(new HostPort("127.0.0.1", 8080)))
                .listFiles(
                    List.of(
                        EXAMPLE
                            .toAbsolutePath()
                            .getParent()
                            .resolve("bank-dno.example.txt")
                            .normalize()))
                .displayNamePrefix(Optional.of("[SPOOF?] "))
                .build());
  }

  @Test
  void load_adminListen_portAloneMeansLoopbackAndNameIsRefused(@TempDir Path dir) throws Exception {
    String base =
        "listen: {udp: 127.0.0.1:5060}\nnext-hop: {address: 127.0.0.1:5080}\n"
            + "home-country: CH\n";
    Path portOnly = Files.writeString(dir.resolve("port.yaml"), base + "admin: {listen: 8081}\n");
    Path named =
        Files.writeString(dir.resolve("named.yaml"), base + "admin:\n  listen: localhost:8081\n");

    assertThat(ConfigLoader.load(portOnly).adminListen()).contains(new HostPort("127.0.0.1", 8081));
    assertThatThrownBy(() -> ConfigLoader.load(named))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            named + " line 5: admin.listen: \"localhost:8081\" does not name a literal IP address");
  }

  @Test
  void load_onlyRequiredKeys_getsEveryDefault() throws Exception {
    ProxySettings settings = ConfigLoader.load(RESOURCES.resolve("minimal.yaml"));

    assertThat(settings.udpListen()).contains(new HostPort("127.0.0.1", 5060));
    assertThat(settings.tcpListen()).isEmpty();
    assertThat(settings.nextHop()).isEqualTo(new HostPort("127.0.0.1", 5080));
    assertThat(settings.nextHopTransport()).isEmpty();
    assertThat(settings.maxMessageBytes()).isEqualTo(ProxySettings.DEFAULT_MAX_MESSAGE_BYTES);
    assertThat(settings.maxHeaders()).isEqualTo(ProxySettings.DEFAULT_MAX_HEADERS);
    assertThat(settings.verdictHeader()).isEqualTo(ProxySettings.DEFAULT_VERDICT_HEADER);
    assertThat(settings.auditLog()).isEqualTo(Path.of("var/audit.jsonl").toAbsolutePath());
    DetectorSettings detector = settings.detector();
    assertThat(detector.homeRegion()).isEqualTo("CH");
    assertThat(detector.trunks()).isEmpty();
    assertThat(detector.rules()).isEqualTo(DetectorSettings.DEFAULT_RULES);
    assertThat(detector.labelThreshold()).isEqualTo(30);
    assertThat(detector.blockThreshold()).isEqualTo(80);
    assertThat(detector.blockResponse()).isEqualTo(SipStatus.REJECTED);
  }

  @Test
  void load_everyKeySet_convertsEveryKey() throws Exception {
    ProxySettings settings = ConfigLoader.load(RESOURCES.resolve("full.yaml"));

    assertThat(settings.udpListen()).contains(new HostPort("::1", 5070));
    assertThat(settings.tcpListen()).contains(new HostPort("127.0.0.1", 5071));
    // A name is kept as written: it is resolved when the proxy starts, never while loading.
    assertThat(settings.nextHop()).isEqualTo(new HostPort("sbc.example.net", 5060));
    assertThat(settings.nextHopTransport()).contains(Transport.TCP);
    assertThat(settings.maxMessageBytes()).isEqualTo(8192);
    assertThat(settings.maxHeaders()).isEqualTo(64);
    assertThat(settings.verdictHeader()).isEqualTo("X-Caller-Check");
    assertThat(settings.auditLog()).isEqualTo(Path.of("/var/log/sipsentry/audit.jsonl"));
    DetectorSettings detector = settings.detector();
    assertThat(detector.homeRegion()).as("upper-cased").isEqualTo("DE");
    assertThat(detector.trunks())
        .containsExactly(
            new Trunk(
                "carrier", List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")), true),
            new Trunk("pbx", List.of(Cidr.parse("198.51.100.7/32")), false));
    assertThat(detector.labelThreshold()).isZero();
    assertThat(detector.blockThreshold()).isEqualTo(100);
    assertThat(detector.blockResponse()).isEqualTo(new SipStatus(603, "Decline"));
    assertThat(detector.rules())
        .containsAllEntriesOf(
            Map.of(
                "from-pai-mismatch",
                new RuleSettings(
                    true,
                    70,
                    Optional.of(Action.LABEL),
                    Optional.of(new SipStatus(603, "Decline"))),
                "anonymous-caller",
                new RuleSettings(
                    true,
                    20,
                    Optional.of(Action.BLOCK),
                    Optional.of(new SipStatus(433, "Anonymity Disallowed"))),
                "invalid-cli",
                new RuleSettings(false, 40, Optional.empty(), Optional.empty()),
                "untrusted-pai",
                RuleSettings.weighted(30)))
        .hasSameSizeAs(DetectorSettings.DEFAULT_RULES);
  }

  @Test
  void load_keysWithNoValue_takeTheirDefaults(@TempDir Path dir) throws Exception {
    Path file =
        write(
            dir,
            """
            listen:
              udp: 127.0.0.1:5060
              tcp:
            next-hop:
              address: 127.0.0.1:5080
              transport:
            home-country: CH
            limits:
            trunks: ~
            rules:
            """);

    ProxySettings settings = ConfigLoader.load(file);

    assertThat(settings.tcpListen()).isEmpty();
    assertThat(settings.nextHopTransport()).isEmpty();
    assertThat(settings.maxHeaders()).isEqualTo(ProxySettings.DEFAULT_MAX_HEADERS);
    assertThat(settings.detector().trunks()).isEmpty();
    assertThat(settings.detector().rules()).isEqualTo(DetectorSettings.DEFAULT_RULES);
  }

  @Test
  void load_relativeAuditLog_resolvesAgainstTheWorkingDirectory(@TempDir Path dir)
      throws Exception {
    Path file = write(dir, minimal() + "audit-log: logs/../var/sipsentry-audit.jsonl\n");

    ProxySettings settings = ConfigLoader.load(file);

    assertThat(settings.auditLog())
        .isEqualTo(Path.of("").toAbsolutePath().resolve("var/sipsentry-audit.jsonl"))
        .isAbsolute();
  }

  @Test
  void load_norwayAsHomeCountry_isARegionNotABoolean(@TempDir Path dir) throws Exception {
    Path file = write(dir, minimal().replace("home-country: CH", "home-country: NO"));

    assertThat(ConfigLoader.load(file).detector().homeRegion()).isEqualTo("NO");
  }

  @Test
  void load_byteOrderMark_isIgnored(@TempDir Path dir) throws Exception {
    Path file = write(dir, "\uFEFF" + minimal());

    assertThat(ConfigLoader.load(file).detector().homeRegion()).isEqualTo("CH");
  }

  @Test
  void withOverrides_listen_setsUdpAndTcp() throws Exception {
    ProxySettings file = ConfigLoader.load(RESOURCES.resolve("minimal.yaml"));
    HostPort listen = new HostPort("127.0.0.1", 15060);

    ProxySettings settings =
        ConfigLoader.withOverrides(file, Optional.of(listen), Optional.empty());

    assertThat(settings.udpListen()).contains(listen);
    assertThat(settings.tcpListen()).contains(listen);
    assertThat(settings.nextHop()).isEqualTo(file.nextHop());
    assertThat(settings.detector()).isEqualTo(file.detector());
  }

  @Test
  void withOverrides_nextHop_setsTheAddressAndKeepsTheTransport() throws Exception {
    ProxySettings file = ConfigLoader.load(RESOURCES.resolve("full.yaml"));
    HostPort nextHop = new HostPort("127.0.0.1", 15080);

    ProxySettings settings =
        ConfigLoader.withOverrides(file, Optional.empty(), Optional.of(nextHop));

    assertThat(settings.nextHop()).isEqualTo(nextHop);
    assertThat(settings.nextHopTransport()).contains(Transport.TCP);
    assertThat(settings.udpListen()).isEqualTo(file.udpListen());
    assertThat(settings.tcpListen()).isEqualTo(file.tcpListen());
  }

  @Test
  void withOverrides_none_changesNothing() throws Exception {
    ProxySettings file = ConfigLoader.load(EXAMPLE);

    assertThat(ConfigLoader.withOverrides(file, Optional.empty(), Optional.empty()))
        .isEqualTo(file);
  }

  @Test
  void summary_exampleFile_saysWhatTheProxyWillDo() throws Exception {
    ProxySettings settings = ConfigLoader.load(EXAMPLE);

    assertThat(ConfigLoader.summary(settings).lines())
        .containsExactly(
            "listens on:    udp 127.0.0.1:5060, tcp 127.0.0.1:5060",
            "next hop:      127.0.0.1:5080 over the transport each request arrived on",
            "home country:  CH, LI",
            "trunks (2):    carrier (trusted: 127.0.0.2/32, 192.0.2.0/24);"
                + " transit (untrusted, international: 198.51.100.0/24);"
                + " any other source: default (untrusted)",
            "thresholds:    label at score 30, block at score 80 with 608 Rejected",
            "rules:         from-pai-mismatch 60, untrusted-pai 30, invalid-cli 40,"
                + " anonymous-caller 20, domestic-cli-from-abroad 80, neighbour-spoofing off,"
                + " protected-number 80, denylisted 100 forces block, allowlisted 0,"
                + " attestation-too-low 30, signer-denied 60, rate-exceeded 50,"
                + " passport-replay 80",
            "stir:          off on every trunk",
            "verdict:       X-SipSentry-Verdict header on labelled calls, display names prefixed"
                + " \"[SPOOF?] \"",
            "limits:        65536 bytes, 256 header lines per message",
            "audit log:     "
                + Path.of("var/audit.jsonl").toAbsolutePath()
                + "; queue 65536, on full block-calls, rotate at 100000000 bytes, rotate every 24h,"
                + " keep 30, fsync interval 1s");
  }

  @Test
  void summary_rulesWithForcedActions_showThem() throws Exception {
    String summary = ConfigLoader.summary(ConfigLoader.load(RESOURCES.resolve("full.yaml")));

    assertThat(summary)
        .contains("listens on:    udp [::1]:5070, tcp 127.0.0.1:5071")
        .contains("next hop:      sbc.example.net:5060 over TCP")
        .contains(
            "trunks (2):    carrier (trusted: 192.0.2.0/24, 2001:db8:0:0:0:0:0:0/32);"
                + " pbx (untrusted: 198.51.100.7/32); any other source: default (untrusted)")
        .contains(
            "rules:         from-pai-mismatch 70 forces label with 603 Decline, untrusted-pai 30,"
                + " invalid-cli off, anonymous-caller 20 forces block with 433 Anonymity"
                + " Disallowed");
  }

  static String minimal() {
    return """
        listen:
          udp: 127.0.0.1:5060
        next-hop:
          address: 127.0.0.1:5080
        home-country: CH
        """;
  }

  static Path write(Path dir, String yaml) throws Exception {
    Path file = dir.resolve("sipsentry.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
