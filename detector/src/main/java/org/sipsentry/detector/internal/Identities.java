package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.sip.NameAddress;

/**
 * Who a call says it is from, parsed once per call and shared by every check.
 *
 * @param from the From header
 * @param assertedIdentity the P-Asserted-Identity entry the detector believes, if any: only from a
 *     trusted trunk (RFC 3325 §5), and chosen among the (at most one SIP and one tel, RFC 3325
 *     §9.1) entries as the tel URI, else the first SIP URI whose user is a number, else the first
 *     other entry; anonymous entries are never chosen
 */
record Identities(Identity from, Optional<Identity> assertedIdentity) {

  private static final int NOT_AN_IDENTITY = Integer.MAX_VALUE;

  static Identities of(CallContext call, String homeRegion) {
    return of(call, NumberReader.parsing(homeRegion));
  }

  static Identities of(CallContext call, NumberReader numbers) {
    return new Identities(Identity.parse(call.from(), numbers), assertedIdentity(call, numbers));
  }

  /** The identity the call is attributed to: the believed P-Asserted-Identity, else the From. */
  Identity caller() {
    return assertedIdentity.orElse(from);
  }

  private static Optional<Identity> assertedIdentity(CallContext call, NumberReader numbers) {
    if (!call.trunk().trusted()) {
      // Untrusted PAI is ignored for every decision; don't even parse it.
      return Optional.empty();
    }
    Identity best = null;
    int bestRank = NOT_AN_IDENTITY;
    for (NameAddress entry : call.pAssertedIdentities()) {
      Identity candidate = Identity.parse(entry, numbers);
      int rank = rank(candidate);
      if (rank < bestRank) {
        best = candidate;
        bestRank = rank;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Lower is preferred; equal ranks keep the first entry. */
  private static int rank(Identity entry) {
    if (entry.isAnonymous()) {
      return NOT_AN_IDENTITY;
    }
    if ("tel".equals(entry.address().scheme())) {
      return 0;
    }
    return entry.number().isNumber() ? 1 : 2;
  }
}
