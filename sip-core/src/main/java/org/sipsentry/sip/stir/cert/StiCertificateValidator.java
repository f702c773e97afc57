package org.sipsentry.sip.stir.cert;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sipsentry.sip.stir.StirFailure;

/**
 * Validates the certificate an Identity header's {@code info}/{@code x5u} points to, as RFC 8224
 * §6.2.2, RFC 8226 and ATIS-1000080 §6.4 require of a verifier: the end-entity certificate must
 * chain to a configured STI-CA root (JDK PKIX, RFC 5280 §6), be valid at the given instant, not be
 * revoked by a configured CRL, hold an EC P-256 key (ES256, RFC 8588 §4) and carry a TNAuthList
 * (RFC 8226 §9).
 *
 * <p>Checks run in that order and the first failure is reported:
 *
 * <table>
 *   <caption>Failure mapping</caption>
 *   <tr><th>finding</th><th>{@link StirFailure}</th></tr>
 *   <tr><td>body empty, not PEM/DER, truncated, bad base64/DER</td><td>CERTIFICATE_UNTRUSTED</td></tr>
 *   <tr><td>a certificate of the path has expired</td><td>CERTIFICATE_EXPIRED</td></tr>
 *   <tr><td>a certificate of the path is not yet valid</td><td>CERTIFICATE_NOT_YET_VALID</td></tr>
 *   <tr><td>no path to a trust anchor, bad signature, revoked, not a CA, unknown critical
 *       extension</td><td>CERTIFICATE_UNTRUSTED</td></tr>
 *   <tr><td>end-entity key not EC P-256</td><td>CERTIFICATE_UNTRUSTED</td></tr>
 *   <tr><td>TNAuthList absent or malformed</td><td>NO_TN_AUTH_LIST</td></tr>
 * </table>
 *
 * <p>The detail names the certificate (its index in the path, 0 being the end-entity, and its
 * subject) and the cause.
 *
 * <p>Instances are immutable and thread-safe; each call creates its own {@code CertPathValidator}
 * and {@code PKIXParameters}. A call costs a few signature verifications, so callers cache results
 * per certificate (until {@link CertificateValidation.Valid#pathNotAfter}). Nothing here touches
 * the network: CRLs from the certificates' distribution points are fetched by the caller ({@link
 * X5uCertificates}) and passed to {@link #validate(CertificateChain, Instant, Collection)}; OCSP is
 * not consulted.
 */
public final class StiCertificateValidator {

  private static final ECParameterSpec P256 = p256();

  private final TrustAnchors trustAnchors;
  private final Set<TrustAnchor> anchors;
  private final RevocationLists revocationLists;
  private final CertStore crlStore;

  /**
   * @param trustAnchors the STI-CA roots
   * @param revocationLists CRLs to check revocation against, or {@link RevocationLists#none()}
   */
  public StiCertificateValidator(TrustAnchors trustAnchors, RevocationLists revocationLists) {
    this.trustAnchors = Objects.requireNonNull(trustAnchors, "trustAnchors");
    this.revocationLists = Objects.requireNonNull(revocationLists, "revocationLists");
    Set<TrustAnchor> set = new HashSet<>();
    for (X509Certificate root : trustAnchors.certificates()) {
      set.add(new TrustAnchor(root, null));
    }
    this.anchors = Set.copyOf(set);
    this.crlStore = crlStore(revocationLists.crls());
  }

  private static CertStore crlStore(Collection<X509CRL> crls) {
    try {
      return CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Collection CertStore", e);
    }
  }

  /** The trust anchors this validator uses. */
  public TrustAnchors trustAnchors() {
    return trustAnchors;
  }

  /** The CRLs this validator checks against. */
  public RevocationLists revocationLists() {
    return revocationLists;
  }

  /**
   * Parses an x5u response body ({@link CertificateChain#parse}) and validates it at {@code now}.
   */
  public CertificateValidation validate(byte[] body, Instant now) {
    ChainParse parsed = CertificateChain.parse(body);
    if (parsed instanceof CertificateValidation.Invalid invalid) {
      return invalid;
    }
    return validate((CertificateChain) parsed, now);
  }

  /** Validates a parsed chain at {@code now}. */
  public CertificateValidation validate(CertificateChain chain, Instant now) {
    return validate(chain, now, List.of());
  }

  /**
   * Validates a parsed chain at {@code now}, checking revocation against the configured CRLs and
   * {@code crls} too (e.g. fetched from the chain's CRL distribution points, RFC 5280 §4.2.1.13).
   * PKIX verifies each CRL's signature and issuer before using it; one that does not verify, or is
   * out of date, is ignored, and a certificate no usable CRL covers is not rejected (soft fail).
   */
  public CertificateValidation validate(
      CertificateChain chain, Instant now, Collection<X509CRL> crls) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(crls, "crls");
    List<X509Certificate> path = path(chain.certificates());
    X509Certificate endEntity = path.get(0);

    CertificateValidation.Invalid untrusted = validatePath(path, now, crls);
    if (untrusted != null) {
      return untrusted;
    }
    PublicKey key = endEntity.getPublicKey();
    if (!isP256(key)) {
      return new CertificateValidation.Invalid(
          StirFailure.CERTIFICATE_UNTRUSTED,
          describe(endEntity, 0)
              + ": key is "
              + keyDescription(key)
              + ", not EC P-256 (ES256, RFC 8588 §4; ATIS-1000080 §6.3.2)");
    }
    TnAuthListParse tnAuthList = TnAuthList.of(endEntity);
    if (tnAuthList instanceof CertificateValidation.Invalid invalid) {
      return new CertificateValidation.Invalid(
          invalid.failure(), describe(endEntity, 0) + ": " + invalid.detail());
    }
    Instant pathNotAfter = endEntity.getNotAfter().toInstant();
    for (X509Certificate certificate : path) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (notAfter.isBefore(pathNotAfter)) {
        pathNotAfter = notAfter;
      }
    }
    return new CertificateValidation.Valid(
        endEntity, key, (TnAuthList) tnAuthList, endEntity.getNotAfter().toInstant(), pathNotAfter);
  }

  /**
   * The certification path, end-entity first, from the certificates as served. ATIS-1000080 puts
   * the end-entity first; a server that lists its intermediates first is common enough that we take
   * the end-entity to be the first certificate that issued none of the others, then follow issuer
   * names. Certificates off that path, and a self-signed root at its end (which must be a
   * configured anchor anyway), are left out: PKIX then decides.
   */
  private static List<X509Certificate> path(List<X509Certificate> served) {
    X509Certificate endEntity = served.get(0);
    for (X509Certificate candidate : served) {
      if (!issuedAnother(candidate, served)) {
        endEntity = candidate;
        break;
      }
    }
    return pathFrom(endEntity, served);
  }

  /**
   * {@code endEntity}, then its issuers by name among {@code served}, leaving out self-issued ones
   * (the anchor's own validity is not checked by PKIX either).
   */
  static List<X509Certificate> pathFrom(X509Certificate endEntity, List<X509Certificate> served) {
    List<X509Certificate> path = new ArrayList<>(served.size());
    path.add(endEntity);
    X509Certificate current = endEntity;
    while (path.size() < served.size() && !isSelfIssued(current)) {
      X509Certificate issuer = null;
      for (X509Certificate candidate : served) {
        if (!path.contains(candidate)
            && !isSelfIssued(candidate)
            && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null) {
        break;
      }
      path.add(issuer);
      current = issuer;
    }
    return path;
  }

  private static boolean issuedAnother(X509Certificate candidate, List<X509Certificate> served) {
    for (X509Certificate other : served) {
      if (other != candidate
          && !isSelfIssued(other)
          && other.getIssuerX500Principal().equals(candidate.getSubjectX500Principal())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSelfIssued(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  /** Runs JDK PKIX; null when the path is valid. */
  private CertificateValidation.Invalid validatePath(
      List<X509Certificate> path, Instant now, Collection<X509CRL> crls) {
    CertPath certPath;
    CertPathValidator validator;
    PKIXParameters parameters;
    try {
      certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      validator = CertPathValidator.getInstance("PKIX");
      parameters = new PKIXParameters(anchors);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK PKIX unavailable", e);
    }
    parameters.setDate(Date.from(now));
    parameters.addCertPathChecker(new TnAuthListCriticalChecker());
    if (revocationLists.enabled() || !crls.isEmpty()) {
      // Only the configured CRLs and those passed in: no OCSP, and the JDK does not fetch from
      // distribution points itself (com.sun.security.enableCRLDP is off by default and must stay
      // so: the JDK would fetch attacker-named URLs outside the x5u fetch policy). A certificate
      // whose issuer has no CRL is not rejected (SOFT_FAIL): the CRLs are the revocations we know
      // of, not a promise to cover every CA.
      PKIXRevocationChecker revocation = (PKIXRevocationChecker) validator.getRevocationChecker();
      revocation.setOptions(
          EnumSet.of(
              PKIXRevocationChecker.Option.PREFER_CRLS,
              PKIXRevocationChecker.Option.NO_FALLBACK,
              PKIXRevocationChecker.Option.SOFT_FAIL));
      parameters.addCertStore(crlStore);
      if (!crls.isEmpty()) {
        parameters.addCertStore(crlStore(crls));
      }
      parameters.addCertPathChecker(revocation);
      parameters.setRevocationEnabled(true);
    } else {
      parameters.setRevocationEnabled(false);
    }
    try {
      validator.validate(certPath, parameters);
      return null;
    } catch (CertPathValidatorException e) {
      return map(e, path);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("bad PKIX parameters", e);
    }
  }

  private static CertificateValidation.Invalid map(
      CertPathValidatorException e, List<X509Certificate> path) {
    int index = e.getIndex();
    String where =
        index >= 0 && index < path.size() ? describe(path.get(index), index) : "certificate path";
    CertPathValidatorException.Reason reason = e.getReason();
    StirFailure failure;
    String what;
    if (reason == BasicReason.EXPIRED) {
      failure = StirFailure.CERTIFICATE_EXPIRED;
      what = "expired at " + path.get(Math.max(index, 0)).getNotAfter().toInstant();
    } else if (reason == BasicReason.NOT_YET_VALID) {
      failure = StirFailure.CERTIFICATE_NOT_YET_VALID;
      what = "not valid before " + path.get(Math.max(index, 0)).getNotBefore().toInstant();
    } else {
      failure = StirFailure.CERTIFICATE_UNTRUSTED;
      what = untrustedReason(reason) + ": " + e.getMessage();
    }
    return new CertificateValidation.Invalid(failure, where + ": " + what);
  }

  private static String untrustedReason(CertPathValidatorException.Reason reason) {
    if (reason == BasicReason.REVOKED) {
      return "revoked";
    }
    if (reason == BasicReason.INVALID_SIGNATURE) {
      return "bad signature";
    }
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return "no path to a trust anchor";
    }
    if (reason == BasicReason.ALGORITHM_CONSTRAINED) {
      return "disallowed algorithm";
    }
    if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
      return "unrecognised critical extension";
    }
    if (reason == PKIXReason.NOT_CA_CERT || reason == PKIXReason.INVALID_KEY_USAGE) {
      return "issuer not a CA";
    }
    if (reason == BasicReason.UNDETERMINED_REVOCATION_STATUS) {
      return "revocation status undetermined";
    }
    return "invalid path (" + reason + ")";
  }

  private static String describe(X509Certificate certificate, int index) {
    return "certificate "
        + index
        + (index == 0 ? " (end-entity " : " (")
        + certificate.getSubjectX500Principal().getName()
        + ")";
  }

  private static boolean isP256(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      return false;
    }
    ECParameterSpec params = ec.getParams();
    return params.getCurve().equals(P256.getCurve())
        && params.getGenerator().equals(P256.getGenerator())
        && params.getOrder().equals(P256.getOrder())
        && params.getCofactor() == P256.getCofactor();
  }

  private static String keyDescription(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      return "EC on a " + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve";
    }
    return key.getAlgorithm();
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no P-256", e);
    }
  }
}
