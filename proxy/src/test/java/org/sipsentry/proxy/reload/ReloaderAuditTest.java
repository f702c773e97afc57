package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.audit.AuditSettings;

/** The audit settings are bound at start: a reload keeps them and says a restart is needed. */
class ReloaderAuditTest {

  static ProxySettings withAudit(AuditSettings audit) {
    return ProxySettings.builder(
            HostPort.parse("127.0.0.1:5080"),
            new DetectorSettings(
                "CH",
                java.util.List.of(),
                java.util.Map.of(),
                30,
                80,
                org.sipsentry.detector.SipStatus.REJECTED))
        .listen(HostPort.parse("127.0.0.1:5060"))
        .audit(audit)
        .build();
  }

  @Test
  void reload_auditSettingsChanged_keptAndReportedAsNeedingRestart() {
    ProxySettings running = withAudit(AuditSettings.DEFAULTS);
    AuditSettings changed =
        new AuditSettings(
            10,
            AuditSettings.OnFull.DROP_RECORDS,
            0,
            Optional.of(Duration.ofHours(1)),
            3,
            AuditSettings.Fsync.batch(),
            Optional.empty());
    ProxySettings loaded = withAudit(changed);

    assertThat(Reloader.keepStartOnly(running, loaded).audit()).isEqualTo(AuditSettings.DEFAULTS);
    assertThat(Reloader.needsRestart(running, loaded))
        .singleElement()
        .asString()
        .startsWith("audit ");
  }
}
