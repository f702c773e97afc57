package org.sipsentry.proxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.proxy.audit.AuditSettings;
import org.sipsentry.sip.Transport;

/**
 * Everything the running proxy needs, converted from the YAML file (and the command line) by {@code
 * org.sipsentry.proxy.config}.
 *
 * @param udpListen where to receive SIP over UDP; empty to not listen on UDP
 * @param tcpListen where to accept SIP over TCP; empty to not listen on TCP
 * @param nextHop where every request goes
 * @param nextHopTransport the transport towards the next hop; empty means the one the request
 *     arrived on
 * @param maxMessageBytes the largest SIP message accepted, headers and body
 * @param maxHeaders the largest number of header lines accepted in one message
 * @param verdictHeader the name of the header a label adds, e.g. {@code X-SipSentry-Verdict}
 * @param auditLog the file that gets one JSON line per initial INVITE transaction
 * @param detector the detector's settings
 * @param stir how STIR/SHAKEN is verified; present when the config has the top-level {@code stir}
 *     section with trust anchors, and required when a trunk verifies
 * @param adminListen where the admin HTTP endpoint listens; empty: no endpoint
 * @param listFiles the number list files the settings were read from (absolute), which a change of
 *     reloads the configuration like a change of the config file
 * @param displayNamePrefix {@code actions.label.display-name-prefix}: put in front of the display
 *     name of the From and of each P-Asserted-Identity of a labelled call, e.g. {@code "[SPOOF?]
 *     "}; empty for none
 * @param adminToken {@code admin.token-file}: the bearer token every admin request but the probes
 *     must carry; empty: no token asked for
 * @param audit how the audit log at {@code auditLog} is written: queue, on-full, rotation, fsync,
 *     syslog
 * @param stirSigning {@code stir.signing}: the key and certificate URL the admin endpoint's {@code
 *     POST /stir/v1/signing} signs with; empty: no signing service
 */
public record ProxySettings(
    Optional<HostPort> udpListen,
    Optional<HostPort> tcpListen,
    HostPort nextHop,
    Optional<Transport> nextHopTransport,
    int maxMessageBytes,
    int maxHeaders,
    String verdictHeader,
    Path auditLog,
    DetectorSettings detector,
    Optional<VerificationSettings> stir,
    Optional<HostPort> adminListen,
    List<Path> listFiles,
    Optional<String> displayNamePrefix,
    Optional<BearerToken> adminToken,
    AuditSettings audit,
    Optional<SigningSettings> stirSigning) {

  /** RFC 3261 §18.1.1 lets UDP carry up to 65,535 bytes; SIP over TCP we cap at the same. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_536;

  /** Far above any real INVITE (carrier INVITEs run to ~40 header lines). */
  public static final int DEFAULT_MAX_HEADERS = 256;

  public static final String DEFAULT_VERDICT_HEADER = "X-SipSentry-Verdict";

  /** Long enough for a warning word and a symbol, short enough to leave the caller's name shown. */
  public static final int MAX_DISPLAY_NAME_PREFIX = 32;

  public ProxySettings {
    Objects.requireNonNull(udpListen, "udpListen");
    Objects.requireNonNull(tcpListen, "tcpListen");
    Objects.requireNonNull(nextHop, "nextHop");
    Objects.requireNonNull(nextHopTransport, "nextHopTransport");
    Objects.requireNonNull(verdictHeader, "verdictHeader");
    Objects.requireNonNull(auditLog, "auditLog");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(stir, "stir");
    Objects.requireNonNull(adminListen, "adminListen");
    listFiles = List.copyOf(listFiles);
    Objects.requireNonNull(displayNamePrefix, "displayNamePrefix");
    displayNamePrefix.ifPresent(ProxySettings::checkDisplayNamePrefix);
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(stirSigning, "stirSigning");
    if (detector.stirEnabled() && stir.isEmpty()) {
      throw new IllegalArgumentException(
          "a trunk verifies STIR/SHAKEN; the stir settings with trust anchors are required");
    }
    if (udpListen.isEmpty() && tcpListen.isEmpty()) {
      throw new IllegalArgumentException("listen on at least one of udp and tcp");
    }
    if (maxMessageBytes < 512 || maxMessageBytes > 1 << 20) {
      throw new IllegalArgumentException(maxMessageBytes + " is outside 512..1048576 bytes");
    }
    if (maxHeaders < 8 || maxHeaders > 10_000) {
      throw new IllegalArgumentException(maxHeaders + " is outside 8..10000 headers");
    }
    if (!verdictHeader.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
      throw new IllegalArgumentException(
          "\"" + verdictHeader + "\" is not a header name; expected letters, digits and -");
    }
  }

  /**
   * Throws unless {@code prefix} is 1 to {@link #MAX_DISPLAY_NAME_PREFIX} characters, not all white
   * space, without control characters (CR, LF and tab included): it goes inside a quoted-string on
   * one header line.
   */
  public static String checkDisplayNamePrefix(String prefix) {
    if (prefix.isBlank()) {
      throw new IllegalArgumentException(
          "\""
              + prefix
              + "\" is empty or only white space; expected a prefix such as \"[SPOOF?] \"");
    }
    if (prefix.length() > MAX_DISPLAY_NAME_PREFIX) {
      throw new IllegalArgumentException(
          prefix.length()
              + " characters are too many; expected at most "
              + MAX_DISPLAY_NAME_PREFIX);
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "control character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i
                + "; expected printable characters on one line");
      }
    }
    return prefix;
  }

  /**
   * Settings that forward to {@code nextHop} and judge with {@code detector}; every other setting
   * at its default until the builder changes it. Give it at least one listener.
   */
  public static Builder builder(HostPort nextHop, DetectorSettings detector) {
    return new Builder(nextHop, detector);
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings and keeps the others; {@link #build} checks them all. */
  public static final class Builder {
    private Optional<HostPort> udpListen = Optional.empty();
    private Optional<HostPort> tcpListen = Optional.empty();
    private HostPort nextHop;
    private Optional<Transport> nextHopTransport = Optional.empty();
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxHeaders = DEFAULT_MAX_HEADERS;
    private String verdictHeader = DEFAULT_VERDICT_HEADER;
    private Path auditLog = Path.of("audit.jsonl");
    private DetectorSettings detector;
    private Optional<VerificationSettings> stir = Optional.empty();
    private Optional<HostPort> adminListen = Optional.empty();
    private List<Path> listFiles = List.of();
    private Optional<String> displayNamePrefix = Optional.empty();
    private Optional<BearerToken> adminToken = Optional.empty();
    private AuditSettings audit = AuditSettings.DEFAULTS;
    private Optional<SigningSettings> stirSigning = Optional.empty();

    private Builder(HostPort nextHop, DetectorSettings detector) {
      this.nextHop = nextHop;
      this.detector = detector;
    }

    private Builder(ProxySettings s) {
      udpListen = s.udpListen;
      tcpListen = s.tcpListen;
      nextHop = s.nextHop;
      nextHopTransport = s.nextHopTransport;
      maxMessageBytes = s.maxMessageBytes;
      maxHeaders = s.maxHeaders;
      verdictHeader = s.verdictHeader;
      auditLog = s.auditLog;
      detector = s.detector;
      stir = s.stir;
      adminListen = s.adminListen;
      listFiles = s.listFiles;
      displayNamePrefix = s.displayNamePrefix;
      adminToken = s.adminToken;
      audit = s.audit;
      stirSigning = s.stirSigning;
    }

    /** Listens on {@code listen} over both UDP and TCP. */
    public Builder listen(HostPort listen) {
      return udpListen(Optional.of(listen)).tcpListen(Optional.of(listen));
    }

    public Builder udpListen(Optional<HostPort> udpListen) {
      this.udpListen = udpListen;
      return this;
    }

    public Builder tcpListen(Optional<HostPort> tcpListen) {
      this.tcpListen = tcpListen;
      return this;
    }

    public Builder nextHop(HostPort nextHop) {
      this.nextHop = nextHop;
      return this;
    }

    public Builder nextHopTransport(Optional<Transport> nextHopTransport) {
      this.nextHopTransport = nextHopTransport;
      return this;
    }

    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    public Builder maxHeaders(int maxHeaders) {
      this.maxHeaders = maxHeaders;
      return this;
    }

    public Builder verdictHeader(String verdictHeader) {
      this.verdictHeader = verdictHeader;
      return this;
    }

    public Builder auditLog(Path auditLog) {
      this.auditLog = auditLog;
      return this;
    }

    public Builder detector(DetectorSettings detector) {
      this.detector = detector;
      return this;
    }

    public Builder stir(Optional<VerificationSettings> stir) {
      this.stir = stir;
      return this;
    }

    public Builder adminListen(Optional<HostPort> adminListen) {
      this.adminListen = adminListen;
      return this;
    }

    public Builder listFiles(List<Path> listFiles) {
      this.listFiles = listFiles;
      return this;
    }

    public Builder displayNamePrefix(Optional<String> displayNamePrefix) {
      this.displayNamePrefix = displayNamePrefix;
      return this;
    }

    public Builder adminToken(Optional<BearerToken> adminToken) {
      this.adminToken = adminToken;
      return this;
    }

    public Builder audit(AuditSettings audit) {
      this.audit = audit;
      return this;
    }

    public Builder stirSigning(Optional<SigningSettings> stirSigning) {
      this.stirSigning = stirSigning;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException when they do not go together, as the constructor
     */
    public ProxySettings build() {
      return new ProxySettings(
          udpListen,
          tcpListen,
          nextHop,
          nextHopTransport,
          maxMessageBytes,
          maxHeaders,
          verdictHeader,
          auditLog,
          detector,
          stir,
          adminListen,
          listFiles,
          displayNamePrefix,
          adminToken,
          audit,
          stirSigning);
    }
  }
}
