package org.sipsentry.sip;

import java.util.Map;
import java.util.Objects;

/**
 * One name-addr or addr-spec of a From, To, P-Asserted-Identity or P-Preferred-Identity header (RFC
 * 3261 §25.1, RFC 3325 §9), as received.
 *
 * @param displayName the display name without quotes, or {@code ""} when there is none
 * @param uri the URI as received, without the enclosing {@code <>}
 * @param scheme the URI scheme in lower case: {@code sip}, {@code sips}, {@code tel}, or another
 * @param user the user part of a SIP URI, or the number of a tel URI; {@code ""} when there is none
 * @param host the host of a SIP URI; {@code ""} for tel and other schemes
 * @param uriParameters the URI parameters (e.g. {@code user=phone}, {@code tgrp}); a parameter
 *     without a value maps to {@code ""}
 * @param tag the header's {@code tag} parameter, or {@code ""} when there is none
 */
public record NameAddress(
    String displayName,
    String uri,
    String scheme,
    String user,
    String host,
    Map<String, String> uriParameters,
    String tag) {

  public NameAddress {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    uriParameters = Map.copyOf(uriParameters);
    Objects.requireNonNull(tag, "tag");
  }

  /** A bare URI with no display name, parameters or tag; for tests and synthetic identities. */
  public static NameAddress of(String scheme, String user, String host) {
    String uri = "tel".equals(scheme) ? "tel:" + user : scheme + ":" + user + "@" + host;
    return new NameAddress("", uri, scheme, user, host, Map.of(), "");
  }

  /** True for {@code tel} URIs and SIP URIs carrying {@code user=phone} (RFC 3261 §19.1.1). */
  public boolean isTelephoneSubscriber() {
    return "tel".equals(scheme) || "phone".equalsIgnoreCase(uriParameters.get("user"));
  }
}
