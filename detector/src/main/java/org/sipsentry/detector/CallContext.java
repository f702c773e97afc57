package org.sipsentry.detector;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.Transport;

/**
 * Everything the detector may look at in one initial INVITE. Built by the proxy from the parsed
 * message; holds no JAIN-SIP or Netty types.
 *
 * @param callId the Call-ID
 * @param source where the INVITE came from
 * @param transport what it came over
 * @param trunk the trunk {@code source} belongs to ({@link Trunk#DEFAULT} if none)
 * @param requestUri the Request-URI as received
 * @param from the From header
 * @param to the To header
 * @param pAssertedIdentities every P-Asserted-Identity entry, in order (RFC 3325 §9.1)
 * @param pPreferredIdentities every P-Preferred-Identity entry (RFC 3325 §9.2)
 * @param privacy the Privacy header's values in lower case (RFC 3323 §4.2), e.g. {@code id}
 * @param identityHeaders the raw values of every Identity header (RFC 8224)
 * @param userAgent the User-Agent header, or {@code ""}
 * @param defects identity-relevant header values that were malformed and dropped by the parser
 *     (e.g. {@code P-Asserted-Identity: <sip:x}); a spoofing detector must see them
 * @param date the Date header as received (RFC 3261 §20.17), or {@code ""}; STIR verification
 *     checks its freshness (RFC 8224 §6.2.1)
 */
public record CallContext(
    String callId,
    InetSocketAddress source,
    Transport transport,
    Trunk trunk,
    String requestUri,
    NameAddress from,
    NameAddress to,
    List<NameAddress> pAssertedIdentities,
    List<NameAddress> pPreferredIdentities,
    List<String> privacy,
    List<String> identityHeaders,
    String userAgent,
    List<String> defects,
    String date) {

  public CallContext {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(trunk, "trunk");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    pAssertedIdentities = List.copyOf(pAssertedIdentities);
    pPreferredIdentities = List.copyOf(pPreferredIdentities);
    privacy = List.copyOf(privacy);
    identityHeaders = List.copyOf(identityHeaders);
    Objects.requireNonNull(userAgent, "userAgent");
    defects = List.copyOf(defects);
    Objects.requireNonNull(date, "date");
  }

  /** A call whose INVITE has no Date header. */
  public CallContext(
      String callId,
      InetSocketAddress source,
      Transport transport,
      Trunk trunk,
      String requestUri,
      NameAddress from,
      NameAddress to,
      List<NameAddress> pAssertedIdentities,
      List<NameAddress> pPreferredIdentities,
      List<String> privacy,
      List<String> identityHeaders,
      String userAgent,
      List<String> defects) {
    this(
        callId,
        source,
        transport,
        trunk,
        requestUri,
        from,
        to,
        pAssertedIdentities,
        pPreferredIdentities,
        privacy,
        identityHeaders,
        userAgent,
        defects,
        "");
  }
}
