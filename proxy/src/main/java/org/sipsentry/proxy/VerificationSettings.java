package org.sipsentry.proxy;

import java.util.Objects;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.TrustAnchors;
import org.sipsentry.sip.stir.fetch.FetchSettings;

/**
 * How the proxy verifies STIR/SHAKEN on the trunks that ask for it: the top-level {@code stir}
 * section of the config file, loaded (trust anchors and CRLs are read when the file is).
 *
 * @param trustAnchors the STI-CA roots a signer's certificate must chain to
 * @param revocationLists CRLs from files; {@link RevocationLists#none()} for none
 * @param policy freshness and strictness of the verifier
 * @param fetch how x5u certificates are fetched and cached
 */
public record VerificationSettings(
    TrustAnchors trustAnchors,
    RevocationLists revocationLists,
    StirPolicy policy,
    FetchSettings fetch) {

  /** Most x5u URLs whose validated certificate is kept (the fetcher caches the bodies). */
  public static final int MAX_VALIDATED_CERTIFICATES = 10_000;

  public VerificationSettings {
    Objects.requireNonNull(trustAnchors, "trustAnchors");
    Objects.requireNonNull(revocationLists, "revocationLists");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(fetch, "fetch");
  }
}
