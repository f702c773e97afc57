package org.sipsentry.sip.stir.cert;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.sipsentry.sip.stir.StirFailure;

/**
 * The outcome of {@link StiCertificateValidator#validate}: a usable STI end-entity certificate, or
 * why it is not one.
 */
public sealed interface CertificateValidation
    permits CertificateValidation.Valid, CertificateValidation.Invalid {

  /**
   * An end-entity certificate that chains to a configured STI-CA trust anchor at the validation
   * instant, is not revoked by a configured CRL, has an EC P-256 key and a well-formed TNAuthList.
   *
   * @param endEntity the certificate whose key signs PASSporTs
   * @param key its public key (EC P-256), for ES256 verification
   * @param tnAuthList its TNAuthList (RFC 8226 §9)
   * @param notAfter when the end-entity certificate expires; a cache must not keep the result
   *     longer (an intermediate may expire earlier: see {@link #pathNotAfter})
   * @param pathNotAfter the earliest {@code notAfter} of the end-entity and its intermediates
   */
  record Valid(
      X509Certificate endEntity,
      PublicKey key,
      TnAuthList tnAuthList,
      Instant notAfter,
      Instant pathNotAfter)
      implements CertificateValidation {
    public Valid {
      Objects.requireNonNull(endEntity, "endEntity");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(tnAuthList, "tnAuthList");
      Objects.requireNonNull(notAfter, "notAfter");
      Objects.requireNonNull(pathNotAfter, "pathNotAfter");
    }

    /**
     * The Service Provider Codes in the TNAuthList, in certificate order; a SHAKEN certificate
     * (ATIS-1000080) has exactly one. May be empty for a STIR certificate listing only numbers.
     */
    public List<String> spcs() {
      return tnAuthList.spcs();
    }
  }

  /**
   * Why the certificate (or the body that should have held it) is not usable.
   *
   * @param failure the STIR failure, carrying the SIP response code
   * @param detail a human-readable explanation for logs: which certificate (index in the path, 0 =
   *     end-entity, and subject) and what is wrong. May contain text from the fetched body.
   * @param indeterminate true when the certificate could not be obtained for a reason that says
   *     nothing about the call (timeout, connection refused, breaker open, overload); see {@link
   *     org.sipsentry.sip.stir.StirOutcome.Fail#indeterminate()}
   */
  record Invalid(StirFailure failure, String detail, boolean indeterminate)
      implements CertificateValidation, ChainParse, TnAuthListParse {
    public Invalid {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(detail, "detail");
    }

    /** A definite failure: the certificate (or the URL to it) is at fault. */
    public Invalid(StirFailure failure, String detail) {
      this(failure, detail, false);
    }
  }
}
