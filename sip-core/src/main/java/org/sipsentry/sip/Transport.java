package org.sipsentry.sip;

import java.util.Locale;

/** The transport a SIP message arrived on or leaves by (RFC 3261 §18). */
public enum Transport {
  UDP,
  TCP;

  /** The token used in a Via header ({@code SIP/2.0/UDP}). */
  public String viaToken() {
    return name();
  }

  /** Parses a Via transport token, case-insensitively; {@code null} for unsupported ones. */
  public static Transport fromViaToken(String token) {
    return switch (token.toUpperCase(Locale.ROOT)) {
      case "UDP" -> UDP;
      case "TCP" -> TCP;
      default -> null;
    };
  }
}
