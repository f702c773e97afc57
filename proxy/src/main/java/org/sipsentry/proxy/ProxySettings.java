package org.sipsentry.proxy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sipsentry.detector.DetectorSettings;
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
    Optional<String> displayNamePrefix) {

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

  /** Settings without an admin endpoint, list files to watch or a display-name prefix. */
  public ProxySettings(
      Optional<HostPort> udpListen,
      Optional<HostPort> tcpListen,
      HostPort nextHop,
      Optional<Transport> nextHopTransport,
      int maxMessageBytes,
      int maxHeaders,
      String verdictHeader,
      Path auditLog,
      DetectorSettings detector,
      Optional<VerificationSettings> stir) {
    this(
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
        Optional.empty(),
        List.of(),
        Optional.empty());
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

  /** Settings without STIR/SHAKEN verification. */
  public ProxySettings(
      Optional<HostPort> udpListen,
      Optional<HostPort> tcpListen,
      HostPort nextHop,
      Optional<Transport> nextHopTransport,
      int maxMessageBytes,
      int maxHeaders,
      String verdictHeader,
      Path auditLog,
      DetectorSettings detector) {
    this(
        udpListen,
        tcpListen,
        nextHop,
        nextHopTransport,
        maxMessageBytes,
        maxHeaders,
        verdictHeader,
        auditLog,
        detector,
        Optional.empty());
  }
}
