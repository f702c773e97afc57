package org.sipsentry.proxy.stirapi;

import java.util.Objects;
import java.util.Optional;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * What the STIR REST API of one configuration can do: verify (the {@code stir} section with trust
 * anchors is configured) and sign ({@code stir.signing} is). Built with each configuration
 * generation, so a reload changes them with the rest.
 *
 * @param verifier the verifier the SIP path uses for that configuration
 * @param signer signs with the {@code stir.signing} key
 */
public record StirServices(Optional<StirVerifier> verifier, Optional<PassportSigner> signer) {

  /** Neither verification nor signing. */
  public static final StirServices NONE = new StirServices(Optional.empty(), Optional.empty());

  public StirServices {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(signer, "signer");
  }
}
