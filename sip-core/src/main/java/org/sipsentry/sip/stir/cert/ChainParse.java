package org.sipsentry.sip.stir.cert;

/**
 * The outcome of {@link CertificateChain#parse}: the certificates of an x5u body, or why it holds
 * none we can use ({@link CertificateValidation.Invalid} with {@code CERTIFICATE_UNTRUSTED}).
 */
public sealed interface ChainParse permits CertificateChain, CertificateValidation.Invalid {}
