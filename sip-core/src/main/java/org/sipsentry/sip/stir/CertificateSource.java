package org.sipsentry.sip.stir;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.sipsentry.sip.stir.cert.CertificateValidation;

/**
 * Where {@link StirVerifier} gets the validated certificate an x5u URL points to: fetched over
 * HTTPS and cached in the proxy, read from a file by {@code bin/sipsentry verify --cert}.
 *
 * <p>Implementations never block the calling thread (it may be a Netty event loop) and never
 * complete the stage exceptionally: every problem is a {@link CertificateValidation.Invalid}. A
 * cached answer should complete the stage before it is returned, so that a call with a known
 * certificate is verified without a thread hop.
 */
@FunctionalInterface
public interface CertificateSource {

  /**
   * The certificate at {@code x5u}, validated at {@code now}.
   *
   * @param x5u the URL from the PASSporT's JOSE header (attacker-controlled input)
   * @param now the instant to validate the certificate at
   */
  CompletionStage<CertificateValidation> certificate(String x5u, Instant now);
}
