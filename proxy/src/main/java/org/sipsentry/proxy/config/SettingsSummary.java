package org.sipsentry.proxy.config;

import java.util.StringJoiner;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Trunk;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.VerificationSettings;

/**
 * The few lines {@code sipsentry check-config} prints: what the proxy will do with the settings.
 */
final class SettingsSummary {

  /** The prefix of the rules of STIR/SHAKEN verification. */
  private static final String STIR_RULES = "stir-";

  private SettingsSummary() {}

  /** {@code carrier verify (on failure reject, fail-open); 2 trust anchors, 1 CRL}. */
  private static String stir(ProxySettings s) {
    StringJoiner trunks = new StringJoiner("; ");
    for (Trunk trunk : s.detector().trunks()) {
      StirSettings stir = trunk.stir();
      if (stir.enabled()) {
        trunks.add(
            trunk.name()
                + " "
                + stir.mode().id()
                + " (on failure "
                + stir.onFailure().id()
                + ", "
                + stir.onIndeterminate().id()
                + ")");
      }
    }
    if (trunks.length() == 0) {
      return "off on every trunk";
    }
    VerificationSettings verification = s.stir().orElseThrow();
    int anchors = verification.trustAnchors().certificates().size();
    int crls = verification.revocationLists().crls().size();
    return trunks
        + "; "
        + anchors
        + (anchors == 1 ? " trust anchor, " : " trust anchors, ")
        + crls
        + (crls == 1 ? " CRL" : " CRLs");
  }

  static String of(ProxySettings s) {
    DetectorSettings d = s.detector();
    StringJoiner listens = new StringJoiner(", ");
    s.udpListen().ifPresent(a -> listens.add("udp " + a));
    s.tcpListen().ifPresent(a -> listens.add("tcp " + a));
    String transport =
        s.nextHopTransport()
            .map(t -> "over " + t.viaToken())
            .orElse("over the transport each request arrived on");
    StringJoiner trunks = new StringJoiner("; ");
    for (Trunk trunk : d.trunks()) {
      StringJoiner sources = new StringJoiner(", ");
      trunk.sources().stream().map(Cidr::toString).forEach(sources::add);
      trunks.add(
          trunk.name()
              + " ("
              + (trunk.trusted() ? "trusted" : "untrusted")
              + (trunk.international() ? ", international" : "")
              + ": "
              + sources
              + ")");
    }
    trunks.add("any other source: " + Trunk.DEFAULT.name() + " (untrusted)");
    StringJoiner rules = new StringJoiner(", ");
    for (String id : DetectorSettings.DEFAULT_RULES.keySet()) {
      if (id.startsWith(STIR_RULES) && !d.stirEnabled()) {
        // They find nothing unless a trunk verifies; listing them would only mislead.
        continue;
      }
      RuleSettings rule = d.rules().get(id);
      StringBuilder r = new StringBuilder(id);
      if (!rule.enabled()) {
        r.append(" off");
      } else if (rule.marked()) {
        r.append(" marked (dry run, weight ").append(rule.weight()).append(" not counted)");
      } else {
        r.append(' ').append(rule.weight());
        rule.action().ifPresent(a -> r.append(" forces ").append(a.id()));
        rule.response()
            .ifPresent(st -> r.append(" with ").append(st.code()).append(' ').append(st.reason()));
      }
      rules.add(r);
    }
    return String.join(
        System.lineSeparator(),
        "listens on:    " + listens,
        "next hop:      " + s.nextHop() + " " + transport,
        "home country:  " + String.join(", ", d.homeCountries()),
        "trunks (" + d.trunks().size() + "):    " + trunks,
        "thresholds:    label at score "
            + d.labelThreshold()
            + d.anonymiseThreshold().map(a -> ", anonymise at score " + a).orElse("")
            + ", block at score "
            + d.blockThreshold()
            + " with "
            + d.blockResponse().code()
            + " "
            + d.blockResponse().reason(),
        "rules:         " + rules,
        "stir:          " + stir(s),
        "verdict:       "
            + s.verdictHeader()
            + " header on labelled calls"
            + s.displayNamePrefix().map(p -> ", display names prefixed \"" + p + "\"").orElse(""),
        "limits:        "
            + s.maxMessageBytes()
            + " bytes, "
            + s.maxHeaders()
            + " header lines per message",
        "audit log:     " + s.auditLog() + auditPolicy(s.audit()));
  }

  /** {@code ; queue 65536, on full block-calls, rotate at 100000000 bytes, keep 30, fsync ...}. */
  private static String auditPolicy(org.sipsentry.proxy.audit.AuditSettings a) {
    return "; queue "
        + a.queueCapacity()
        + ", on full "
        + a.onFull().id()
        + (a.maxSizeBytes() > 0 ? ", rotate at " + a.maxSizeBytes() + " bytes" : "")
        + a.rotateEvery()
            .map(
                d ->
                    ", rotate every "
                        + d.toString().substring(2).toLowerCase(java.util.Locale.ROOT))
            .orElse("")
        + ", keep "
        + a.keep()
        + ", fsync "
        + a.fsync()
        + a.syslog()
            .map(
                sys ->
                    ", syslog udp "
                        + sys.address().getAddress().getHostAddress()
                        + ":"
                        + sys.address().getPort())
            .orElse("");
  }
}
