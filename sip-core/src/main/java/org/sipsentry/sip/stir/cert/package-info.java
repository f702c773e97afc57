/**
 * STI certificate validation for STIR/SHAKEN verifiers (RFC 8226, ATIS-1000080): parse the x5u body
 * ({@link org.sipsentry.sip.stir.cert.CertificateChain}), load STI-CA roots ({@link
 * org.sipsentry.sip.stir.cert.TrustAnchors}) and CRLs ({@link
 * org.sipsentry.sip.stir.cert.RevocationLists}), validate ({@link
 * org.sipsentry.sip.stir.cert.StiCertificateValidator}) into a {@link
 * org.sipsentry.sip.stir.cert.CertificateValidation}, and read TNAuthList ({@link
 * org.sipsentry.sip.stir.cert.TnAuthList}). No network access.
 */
package org.sipsentry.sip.stir.cert;
