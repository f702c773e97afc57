package org.sipsentry.sip.stir;

/**
 * Why STIR/SHAKEN verification of an INVITE failed, with the SIP response RFC 8224 §6.2.2 (and the
 * French MAN test plan, as OpenSIPS implements it) associates with it. The proxy may map these
 * differently by configuration; these are the defaults.
 */
public enum StirFailure {
  /** No Identity header at all (RFC 8224 §6.2.2). */
  NO_IDENTITY(428, "Use Identity Header", "RFC 8224 §6.2.2"),
  /** The Identity header has no {@code info} parameter. */
  MISSING_INFO(436, "Bad Identity Info", "RFC 8224 §4.1"),
  /** The PASSporT's JOSE header has no {@code ppt}. */
  MISSING_PPT(436, "Bad Identity Info", "RFC 8225 §8.1, RFC 8588 §6"),
  /** The JOSE header's {@code x5u} differs from the header's {@code info}. */
  X5U_MISMATCH(436, "Bad Identity Info", "RFC 8588 §5"),
  /** The certificate could not be fetched (refused URL, HTTP error, timeout, too large). */
  CERTIFICATE_UNAVAILABLE(436, "Bad Identity Info", "RFC 8224 §6.2.2"),
  /** The header's {@code alg} parameter is missing or not ES256. */
  UNSUPPORTED_ALG(437, "Unsupported Credential", "RFC 8224 §4.1, RFC 8588 §4"),
  /** The JOSE header's {@code alg} is not ES256 or its {@code typ} not {@code passport}. */
  UNSUPPORTED_JOSE(437, "Unsupported Credential", "RFC 8225 §3, RFC 8588 §4"),
  /** The certificate has expired. */
  CERTIFICATE_EXPIRED(437, "Unsupported Credential", "RFC 8226 §9"),
  /** The certificate is not yet valid. */
  CERTIFICATE_NOT_YET_VALID(437, "Unsupported Credential", "RFC 8226 §9"),
  /** The certificate does not chain to a configured STI-CA trust anchor, or is revoked. */
  CERTIFICATE_UNTRUSTED(437, "Unsupported Credential", "RFC 8226 §9, ATIS-1000080"),
  /** The certificate has no TNAuthList extension (OID 1.3.6.1.5.5.7.1.26). */
  NO_TN_AUTH_LIST(437, "Unsupported Credential", "RFC 8226 §9, ATIS-1000080"),
  /** The Identity header or PASSporT is malformed: bad params, bad base64, bad JSON, truncated. */
  MALFORMED(438, "Invalid Identity Header", "RFC 8224 §4.1"),
  /** The {@code ppt} is not {@code shaken} (where shaken is required). */
  WRONG_PPT(438, "Invalid Identity Header", "RFC 8588 §6"),
  /** {@code attest} is missing or not A, B or C. */
  WRONG_ATTEST(438, "Invalid Identity Header", "RFC 8588 §4"),
  /** The signature does not verify with the certificate's key. */
  BAD_SIGNATURE(438, "Invalid Identity Header", "RFC 8225 §6"),
  /** {@code orig} does not match the caller (P-Asserted-Identity, else From). */
  ORIG_MISMATCH(438, "Invalid Identity Header", "RFC 8224 §6.2.1"),
  /** {@code dest} does not match the callee (To, else Request-URI). */
  DEST_MISMATCH(438, "Invalid Identity Header", "RFC 8224 §6.2.1"),
  /** {@code iat} (or the Date header) is outside the freshness window. */
  STALE_DATE(403, "Stale Date", "RFC 8224 §6.2.2"),
  /** The caller's number cannot be canonicalised (RFC 8224 §8.3). */
  MALFORMED_CALLER(400, "Bad Request", "RFC 8224 §8.3");

  private final int code;
  private final String reason;
  private final String reference;

  StirFailure(int code, String reason, String reference) {
    this.code = code;
    this.reason = reason;
    this.reference = reference;
  }

  /** The SIP response code, 400–499. */
  public int code() {
    return code;
  }

  /** The reason phrase. */
  public String reason() {
    return reason;
  }

  /** Where the rule comes from. */
  public String reference() {
    return reference;
  }

  /** A stable lower-case id for logs, metrics and config keys, e.g. {@code bad-signature}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
