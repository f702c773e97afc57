package org.sipsentry.proxy.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.audit.AuditSettings;

/**
 * Converts the {@code audit} section (and the short form {@code audit-log: path}) into the audit
 * file and {@link AuditSettings}, naming the key of whatever is wrong.
 */
final class AuditConverter extends ValueConverter {

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,13})\\s*(B|KB|MB|GB|KiB|MiB|GiB)?");
  private static final Pattern FSYNC_INTERVAL = Pattern.compile("interval\\s+(\\S+)");

  private static final long MIN_MAX_SIZE = 1024;
  private static final long MAX_MAX_SIZE = 1L << 40;

  /** RFC 5424 §6.2.1, in code order: the index is the facility code. */
  private static final List<String> FACILITIES =
      List.of(
          "kern",
          "user",
          "mail",
          "daemon",
          "auth",
          "syslog",
          "lpr",
          "news",
          "uucp",
          "cron",
          "authpriv",
          "ftp",
          "ntp",
          "audit",
          "alert",
          "clock",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");

  AuditConverter(ConfigSource source) {
    super(source);
  }

  /**
   * The audit file: {@code audit.file}, or the short form {@code audit-log}, or {@code byDefault}.
   * Giving both is an error: one of them would be ignored.
   */
  Optional<Path> file(ConfigFile file, String byDefault) {
    Optional<String> sectionFile = file.audit().flatMap(ConfigFile.Audit::file);
    if (sectionFile.isPresent() && file.auditLog().isPresent()) {
      source.record(
          source.error(
              "audit.file",
              "both audit-log and audit.file are set; expected " + expected("audit.file")));
      return Optional.empty();
    }
    if (sectionFile.isPresent()) {
      return source.attempt(
          () -> at("audit.file", () -> SettingsConverter.auditLog(sectionFile.get())));
    }
    return source.attempt(
        () -> at("audit-log", () -> SettingsConverter.auditLog(file.auditLog().orElse(byDefault))));
  }

  /** The settings of the {@code audit} section; the defaults without one. */
  Optional<AuditSettings> settings(Optional<ConfigFile.Audit> written) {
    if (written.isEmpty()) {
      return Optional.of(AuditSettings.DEFAULTS);
    }
    ConfigFile.Audit audit = written.get();
    AuditSettings d = AuditSettings.DEFAULTS;
    Optional<Integer> capacity =
        source.attempt(
            () ->
                inRange(
                    "audit.queue-capacity",
                    audit.queueCapacity(),
                    d.queueCapacity(),
                    1,
                    AuditSettings.MAX_QUEUE_CAPACITY));
    Optional<AuditSettings.OnFull> onFull =
        source.attempt(() -> onFull(audit.onFull().orElse(d.onFull().id())));
    Optional<Long> maxSize =
        source.attempt(() -> maxSize(audit.maxSize()).orElse(d.maxSizeBytes()));
    Optional<Optional<Duration>> rotateEvery =
        source.attempt(
            () ->
                audit.rotateEvery().isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                        duration(
                            "audit.rotate-every",
                            audit.rotateEvery().get(),
                            Duration.ofMinutes(1),
                            Duration.ofDays(366))));
    Optional<Integer> keep =
        source.attempt(
            () -> inRange("audit.keep", audit.keep(), d.keep(), 1, AuditSettings.MAX_KEEP));
    Optional<AuditSettings.Fsync> fsync =
        audit.fsync().isEmpty()
            ? Optional.of(d.fsync())
            : source.attempt(() -> fsync(audit.fsync().get()));
    Optional<Optional<AuditSettings.Syslog>> syslog =
        audit.syslog().isEmpty()
            ? Optional.of(Optional.empty())
            : syslog(audit.syslog().get()).map(Optional::of);
    if (capacity.isEmpty()
        || onFull.isEmpty()
        || maxSize.isEmpty()
        || rotateEvery.isEmpty()
        || keep.isEmpty()
        || fsync.isEmpty()
        || syslog.isEmpty()) {
      return Optional.empty();
    }
    return source.attempt(
        () ->
            at(
                "audit",
                () ->
                    new AuditSettings(
                        capacity.get(),
                        onFull.get(),
                        maxSize.get(),
                        rotateEvery.get(),
                        keep.get(),
                        fsync.get(),
                        syslog.get())));
  }

  private AuditSettings.OnFull onFull(String text) throws ConfigException {
    for (AuditSettings.OnFull value : AuditSettings.OnFull.values()) {
      if (value.id().equals(text)) {
        return value;
      }
    }
    throw source.error(
        "audit.on-full", "\"" + text + "\" is unknown; expected " + expected("audit.on-full"));
  }

  private Optional<Long> maxSize(Optional<String> text) throws ConfigException {
    String path = "audit.max-size";
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = SIZE.matcher(text.get().strip());
    if (!m.matches()) {
      throw source.error(path, "\"" + text.get() + "\" is not a size; expected " + expected(path));
    }
    long unit =
        switch (m.group(2) == null ? "B" : m.group(2)) {
          case "KB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          case "KiB" -> 1L << 10;
          case "MiB" -> 1L << 20;
          case "GiB" -> 1L << 30;
          default -> 1L;
        };
    long amount = Long.parseLong(m.group(1));
    if (amount == 0) {
      return Optional.of(0L);
    }
    if (amount > MAX_MAX_SIZE / unit
        || amount * unit < MIN_MAX_SIZE
        || amount * unit > MAX_MAX_SIZE) {
      throw source.error(path, text.get() + " is out of range; expected " + expected(path));
    }
    return Optional.of(amount * unit);
  }

  private AuditSettings.Fsync fsync(String text) throws ConfigException {
    String path = "audit.fsync";
    String value = text.strip();
    if (value.equals("never")) {
      return AuditSettings.Fsync.never();
    }
    if (value.equals("batch")) {
      return AuditSettings.Fsync.batch();
    }
    Matcher m = FSYNC_INTERVAL.matcher(value);
    if (!m.matches()) {
      throw source.error(path, "\"" + text + "\" is unknown; expected " + expected(path));
    }
    return AuditSettings.Fsync.interval(
        duration(path, m.group(1), Duration.ofMillis(10), Duration.ofHours(1)));
  }

  /** The syslog settings; empty when one of them is wrong (each mistake is recorded). */
  private Optional<AuditSettings.Syslog> syslog(ConfigFile.AuditSyslog syslog) {
    Optional<InetSocketAddress> address =
        source.attempt(() -> at("audit.syslog.address", () -> syslogAddress(syslog.address())));
    Optional<Integer> facility =
        source.attempt(
            () ->
                facility(
                    syslog
                        .facility()
                        .orElse(FACILITIES.get(AuditSettings.Syslog.DEFAULT_FACILITY))));
    Optional<String> appName =
        source.attempt(
            () ->
                at(
                    "audit.syslog.app-name",
                    () -> appName(syslog.appName().orElse(AuditSettings.Syslog.DEFAULT_APP_NAME))));
    Optional<Integer> maxBytes =
        source.attempt(
            () ->
                inRange(
                    "audit.syslog.max-message-bytes",
                    syslog.maxMessageBytes(),
                    AuditSettings.Syslog.DEFAULT_MAX_MESSAGE_BYTES,
                    AuditSettings.Syslog.MIN_MESSAGE_BYTES,
                    AuditSettings.Syslog.MAX_MESSAGE_BYTES));
    if (address.isEmpty() || facility.isEmpty() || appName.isEmpty() || maxBytes.isEmpty()) {
      return Optional.empty();
    }
    return source.attempt(
        () ->
            at(
                "audit.syslog",
                () ->
                    new AuditSettings.Syslog(
                        address.get(), facility.get(), appName.get(), maxBytes.get())));
  }

  /** A literal IP: the socket address is made without a DNS lookup. */
  private static InetSocketAddress syslogAddress(String text) {
    HostPort address = HostPort.parse(text);
    String host = address.host();
    // A checked literal: InetSocketAddress would otherwise ask DNS for "999.1.1.1".
    if (!SettingsConverter.isLiteralIp(host)) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" has no literal IP address; expected "
              + expected("audit.syslog.address"));
    }
    return new InetSocketAddress(host, address.port());
  }

  private int facility(String text) throws ConfigException {
    int code = FACILITIES.indexOf(text.toLowerCase(Locale.ROOT));
    if (code < 0) {
      throw source.error(
          "audit.syslog.facility",
          "\"" + text + "\" is not a facility; expected " + expected("audit.syslog.facility"));
    }
    return code;
  }

  private static String appName(String text) {
    if (!text.matches("[\\x21-\\x7e]{1,48}")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not valid; expected " + expected("audit.syslog.app-name"));
    }
    return text;
  }
}
