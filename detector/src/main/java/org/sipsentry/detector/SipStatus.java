package org.sipsentry.detector;

import java.util.Objects;

/**
 * A final SIP response the proxy sends itself, e.g. {@code 608 Rejected} (RFC 8688).
 *
 * @param code a final error code, 400 to 699
 * @param reason the reason phrase; no CR or LF
 */
public record SipStatus(int code, String reason) {

  public static final SipStatus REJECTED = new SipStatus(608, "Rejected");

  public SipStatus {
    Objects.requireNonNull(reason, "reason");
    if (code < 400 || code > 699) {
      throw new IllegalArgumentException(code + " is not a final error code; expected 400 to 699");
    }
    if (reason.isBlank() || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "\"" + reason + "\" is not a reason phrase; expected text without line breaks");
    }
  }
}
