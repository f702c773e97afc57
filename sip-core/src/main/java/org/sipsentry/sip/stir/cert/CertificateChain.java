package org.sipsentry.sip.stir.cert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.sipsentry.sip.stir.StirFailure;

/**
 * The certificates served at an x5u URL (RFC 8224 §7.4, ATIS-1000080 §6.3.5): the end-entity
 * certificate first, then the intermediates towards an STI-CA root (possibly none).
 *
 * <p>{@link #parse} accepts a PEM bundle ({@code application/x-pem-file}, LF or CRLF, with any text
 * around and between the {@code CERTIFICATE} blocks, which is ignored, as are other PEM block
 * types) or a single DER certificate ({@code application/pkix-cert}). Anything else is data, not an
 * exception: {@link CertificateValidation.Invalid} with {@link StirFailure#CERTIFICATE_UNTRUSTED}.
 * We report an unusable credential as 437 rather than {@code MALFORMED} (438, "Invalid Identity
 * Header") because the Identity header may be fine: it is the credential it points to that is bad.
 *
 * @param certificates end-entity first, then intermediates, in the order served; not empty
 */
public record CertificateChain(List<X509Certificate> certificates) implements ChainParse {

  /**
   * More than any real SHAKEN chain (end-entity, one or two intermediates, perhaps the root): a
   * bound on the work a hostile x5u body can cause.
   */
  public static final int MAX_CERTIFICATES = 8;

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  public CertificateChain {
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain has at least one certificate");
    }
  }

  /** A chain of the given certificates, end-entity first. */
  public static CertificateChain of(X509Certificate... certificates) {
    return new CertificateChain(List.of(certificates));
  }

  /** The first certificate served: by ATIS-1000080 the end-entity certificate. */
  public X509Certificate first() {
    return certificates.get(0);
  }

  /**
   * Parses an x5u response body: a PEM bundle of one or more {@code CERTIFICATE} blocks, or one DER
   * certificate. Never throws on bad input.
   */
  public static ChainParse parse(byte[] body) {
    return parse(body, MAX_CERTIFICATES);
  }

  /** {@link #parse(byte[])} with another bound; package-private for {@link TrustAnchors}. */
  static ChainParse parse(byte[] body, int maxCertificates) {
    Objects.requireNonNull(body, "body");
    if (body.length == 0) {
      return invalid("empty certificate body");
    }
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 CertificateFactory", e);
    }
    // A DER certificate starts with a SEQUENCE tag; PEM text never does.
    if (body[0] == 0x30) {
      try {
        return of(decode(factory, body));
      } catch (CertificateException | RuntimeException e) {
        return invalid("malformed DER certificate: " + e.getMessage());
      }
    }
    return parsePem(factory, new String(body, StandardCharsets.ISO_8859_1), maxCertificates);
  }

  private static ChainParse parsePem(CertificateFactory factory, String text, int max) {
    List<X509Certificate> certificates = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        break;
      }
      int number = certificates.size() + 1;
      if (number > max) {
        return invalid("more than " + max + " certificates");
      }
      int contents = begin + BEGIN.length();
      int end = text.indexOf(END, contents);
      int nextBegin = text.indexOf(BEGIN, contents);
      if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
        return invalid("PEM certificate " + number + " has no END line (truncated?)");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(text.substring(contents, end));
      } catch (IllegalArgumentException e) {
        return invalid("PEM certificate " + number + ": bad base64: " + e.getMessage());
      }
      try {
        certificates.add(decode(factory, der));
      } catch (CertificateException | RuntimeException e) {
        return invalid("PEM certificate " + number + ": malformed: " + e.getMessage());
      }
      from = end + END.length();
    }
    if (certificates.isEmpty()) {
      return invalid("no PEM CERTIFICATE block and not a DER certificate");
    }
    return new CertificateChain(certificates);
  }

  private static X509Certificate decode(CertificateFactory factory, byte[] der)
      throws CertificateException {
    if (der.length == 0) {
      throw new CertificateException("empty");
    }
    return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
  }

  private static CertificateValidation.Invalid invalid(String detail) {
    return new CertificateValidation.Invalid(StirFailure.CERTIFICATE_UNTRUSTED, detail);
  }
}
