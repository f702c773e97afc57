package org.sipsentry.sip.stir.cert;

import java.security.cert.Certificate;
import java.security.cert.PKIXCertPathChecker;
import java.util.Collection;
import java.util.Set;

/**
 * Tells JDK PKIX that we process TNAuthList, so a certificate marking it critical (RFC 8226 §9
 * allows either) is not rejected for an unrecognised critical extension (RFC 5280 §4.2). The
 * extension itself is read by {@link TnAuthList} after path validation.
 */
final class TnAuthListCriticalChecker extends PKIXCertPathChecker {

  private static final Set<String> SUPPORTED = Set.of(TnAuthList.OID);

  @Override
  public void init(boolean forward) {
    // Stateless: either direction works.
  }

  @Override
  public boolean isForwardCheckingSupported() {
    return true;
  }

  @Override
  public Set<String> getSupportedExtensions() {
    return SUPPORTED;
  }

  @Override
  public void check(Certificate certificate, Collection<String> unresolvedCriticalExtensions) {
    unresolvedCriticalExtensions.remove(TnAuthList.OID);
  }
}
