package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.audit.AuditSettings;

class AuditConfigTest {

  @TempDir Path dir;

  @Test
  void load_fullAuditSection_everyKeyConverted() throws Exception {
    Path file =
        write(
            dir,
            minimal()
                + """
                audit:
                  file: logs/audit.jsonl
                  queue-capacity: 1000
                  on-full: drop-records
                  max-size: 64MiB
                  rotate-every: 1h
                  keep: 7
                  fsync: interval 250ms
                  syslog:
                    address: "[::1]:5514"
                    facility: local3
                    app-name: edge-1
                    max-message-bytes: 4096
                """);

    ProxySettings settings = ConfigLoader.load(file);

    assertThat(settings.auditLog()).isEqualTo(Path.of("logs/audit.jsonl").toAbsolutePath());
    AuditSettings audit = settings.audit();
    assertThat(audit.queueCapacity()).isEqualTo(1000);
    assertThat(audit.onFull()).isEqualTo(AuditSettings.OnFull.DROP_RECORDS);
    assertThat(audit.maxSizeBytes()).isEqualTo(64L << 20);
    assertThat(audit.rotateEvery()).contains(Duration.ofHours(1));
    assertThat(audit.keep()).isEqualTo(7);
    assertThat(audit.fsync()).isEqualTo(AuditSettings.Fsync.interval(Duration.ofMillis(250)));
    AuditSettings.Syslog syslog = audit.syslog().orElseThrow();
    assertThat(syslog.address()).isEqualTo(new InetSocketAddress("::1", 5514));
    assertThat(syslog.facility()).isEqualTo(19);
    assertThat(syslog.appName()).isEqualTo("edge-1");
    assertThat(syslog.maxMessageBytes()).isEqualTo(4096);
  }

  @Test
  void load_noAuditSection_defaults() throws Exception {
    ProxySettings settings = ConfigLoader.load(write(dir, minimal() + "audit-log: a.jsonl\n"));

    assertThat(settings.auditLog()).isEqualTo(Path.of("a.jsonl").toAbsolutePath());
    assertThat(settings.audit()).isEqualTo(AuditSettings.DEFAULTS);
  }

  @Test
  void load_auditLogShortFormWithSection_fileFromAuditLogRestFromSection() throws Exception {
    ProxySettings settings =
        ConfigLoader.load(
            write(dir, minimal() + "audit-log: a.jsonl\naudit:\n  fsync: batch\n  max-size: 0\n"));

    assertThat(settings.auditLog()).isEqualTo(Path.of("a.jsonl").toAbsolutePath());
    assertThat(settings.audit().fsync()).isEqualTo(AuditSettings.Fsync.batch());
    assertThat(settings.audit().maxSizeBytes()).isZero();
  }

  static Stream<Arguments> badAudits() {
    return Stream.of(
        Arguments.of(
            "audit-log: a.jsonl\naudit:\n  file: b.jsonl\n",
            8,
            "audit.file",
            "both audit-log and audit.file are set; expected a file path, e.g. var/audit.jsonl;"
                + " or audit-log, not both"),
        Arguments.of(
            "audit:\n  on-full: wait\n",
            7,
            "audit.on-full",
            "\"wait\" is unknown; expected one of block-calls, drop-records"),
        Arguments.of(
            "audit:\n  queue-capacity: 0\n",
            7,
            "audit.queue-capacity",
            "0 is out of range; expected an integer from 1 to 1048576 (records)"),
        Arguments.of(
            "audit:\n  max-size: 100 furlongs\n",
            7,
            "audit.max-size",
            "\"100 furlongs\" is not a size; expected a size such as 100MB, 512MiB or 0 (no size"
                + " limit): bytes, KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024),"
                + " from 1KiB to 1TiB"),
        Arguments.of(
            "audit:\n  max-size: 10B\n",
            7,
            "audit.max-size",
            "10B is out of range; expected a size such as 100MB, 512MiB or 0 (no size limit):"
                + " bytes, KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024), from 1KiB"
                + " to 1TiB"),
        Arguments.of(
            "audit:\n  rotate-every: 10s\n",
            7,
            "audit.rotate-every",
            "10s is out of range; expected a duration such as 1h or 1d, from 1m to 366d"),
        Arguments.of(
            "audit:\n  keep: 0\n",
            7,
            "audit.keep",
            "0 is out of range; expected an integer from 1 to 10000 (rotated files)"),
        Arguments.of(
            "audit:\n  fsync: always\n",
            7,
            "audit.fsync",
            "\"always\" is unknown; expected one of never, batch, interval <duration> (e.g."
                + " interval 1s, 10ms..1h)"),
        Arguments.of(
            "audit:\n  fsync: interval soon\n",
            7,
            "audit.fsync",
            "\"soon\" is not a duration; expected one of never, batch, interval <duration> (e.g."
                + " interval 1s, 10ms..1h)"),
        Arguments.of(
            "audit:\n  syslog:\n    address: syslog.example.net:514\n",
            8,
            "audit.syslog.address",
            "\"syslog.example.net:514\" has no literal IP address; expected a literal IP address"
                + " and UDP port, e.g. 127.0.0.1:514 or [::1]:514"),
        Arguments.of(
            "audit:\n  syslog:\n    address: 999.1.1.1:514\n",
            8,
            "audit.syslog.address",
            "\"999.1.1.1:514\" has no literal IP address; expected a literal IP address"
                + " and UDP port, e.g. 127.0.0.1:514 or [::1]:514"),
        Arguments.of(
            "audit:\n  syslog:\n    address: 127.0.0.1:514\n    facility: local9\n",
            9,
            "audit.syslog.facility",
            "\"local9\" is not a facility; expected a syslog facility: kern, user, mail, daemon,"
                + " auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, audit, alert, clock,"
                + " local0 .. local7"),
        Arguments.of(
            "audit:\n  syslog:\n    address: 127.0.0.1:514\n    app-name: \"two words\"\n",
            9,
            "audit.syslog.app-name",
            "\"two words\" is not valid; expected 1 to 48 printable US-ASCII characters without"
                + " spaces"),
        Arguments.of(
            "audit:\n  syslog:\n    address: 127.0.0.1:514\n    max-message-bytes: 100\n",
            9,
            "audit.syslog.max-message-bytes",
            "100 is out of range; expected an integer from 480 to 65507"));
  }

  @ParameterizedTest(name = "{2}: {0}")
  @MethodSource("badAudits")
  void load_badAuditValue_namesFileLineKeyAndExpected(
      String yaml, int line, String keyPath, String problem) throws Exception {
    Path file = write(dir, minimal() + yaml);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e).as(yaml).isNotNull();
    assertThat(e.line()).isEqualTo(OptionalInt.of(line));
    assertThat(e.keyPath()).isEqualTo(keyPath);
    assertThat(e.getMessage()).isEqualTo(file + " line " + line + ": " + keyPath + ": " + problem);
  }
}
