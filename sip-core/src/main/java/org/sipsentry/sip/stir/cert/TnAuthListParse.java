package org.sipsentry.sip.stir.cert;

/**
 * The outcome of {@link TnAuthList#of(java.security.cert.X509Certificate)}: the extension, or why
 * the certificate has no usable one ({@link CertificateValidation.Invalid} with {@code
 * NO_TN_AUTH_LIST}).
 */
public sealed interface TnAuthListParse permits TnAuthList, CertificateValidation.Invalid {}
