package org.sipsentry.detector;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.sip.NameAddress;
import org.sipsentry.sip.Transport;

/** Readable call contexts for tests: {@code call().trunk(CARRIER).from("sip:...").build()}. */
public final class Calls {

  public static final String HOME_REGION = "CH";

  /** A trusted carrier: its P-Asserted-Identity is believed. */
  public static final Trunk CARRIER =
      new Trunk("carrier", List.of(Cidr.parse("192.0.2.0/24")), true);

  /** A known but untrusted peer. */
  public static final Trunk PEER = new Trunk("peer", List.of(Cidr.parse("198.51.100.0/24")), false);

  /** An international transit carrier inside the trust domain (203.0.113.0/24). */
  public static final Trunk TRUSTED_TRANSIT =
      new Trunk(
          "transit",
          List.of(Cidr.parse("203.0.113.0/24")),
          true,
          StirSettings.OFF,
          true,
          Set.of(),
          Optional.empty());

  private Calls() {}

  public static Builder call() {
    return new Builder();
  }

  /**
   * Reads {@code uri}, {@code <uri>} or {@code "Display" <uri>} the way the proxy's parser would
   * hand it over; good enough for the sip, sips and tel URIs of tests.
   */
  public static NameAddress address(String text) {
    String displayName = "";
    String uri = text.strip();
    if (uri.startsWith("\"")) {
      int close = uri.indexOf('"', 1);
      displayName = uri.substring(1, close);
      uri = uri.substring(close + 1).strip();
    }
    if (uri.startsWith("<")) {
      uri = uri.substring(1, uri.indexOf('>'));
    }
    int colon = uri.indexOf(':');
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = uri.substring(colon + 1);
    String user;
    String host;
    String parameters;
    if ("tel".equals(scheme)) {
      int semicolon = rest.indexOf(';');
      user = semicolon < 0 ? rest : rest.substring(0, semicolon);
      host = "";
      parameters = semicolon < 0 ? "" : rest.substring(semicolon + 1);
    } else {
      int at = rest.indexOf('@');
      user = at < 0 ? "" : rest.substring(0, at);
      String hostPart = rest.substring(at + 1);
      int semicolon = hostPart.indexOf(';');
      host = semicolon < 0 ? hostPart : hostPart.substring(0, semicolon);
      parameters = semicolon < 0 ? "" : hostPart.substring(semicolon + 1);
      int port = host.lastIndexOf(':');
      host = port < 0 || host.endsWith("]") ? host : host.substring(0, port);
    }
    Map<String, String> uriParameters = new HashMap<>();
    for (String parameter : parameters.isEmpty() ? new String[0] : parameters.split(";")) {
      int equals = parameter.indexOf('=');
      uriParameters.put(
          equals < 0 ? parameter : parameter.substring(0, equals),
          equals < 0 ? "" : parameter.substring(equals + 1));
    }
    return new NameAddress(displayName, uri, scheme, user, host, uriParameters, "");
  }

  /** A call builder; every field has a harmless default. */
  public static final class Builder {
    private Trunk trunk = Trunk.DEFAULT;
    private NameAddress from = address("sip:+41446681800@pbx.example");
    private List<NameAddress> pAssertedIdentities = List.of();
    private List<String> privacy = List.of();
    private NameAddress to = address("<sip:+41797654321@proxy.example>");
    private String requestUri = "sip:+41797654321@proxy.example";
    private List<String> identityHeaders = List.of();
    private String date = "";
    private String source = "192.0.2.10";
    private String userAgent = "";
    private String callId = "call-1@test";

    private Builder() {}

    /** The source address, a literal IP. */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public Builder callId(String callId) {
      this.callId = callId;
      return this;
    }

    public Builder to(String to) {
      this.to = address(to);
      return this;
    }

    public Builder requestUri(String requestUri) {
      this.requestUri = requestUri;
      return this;
    }

    /** The raw values of the Identity headers. */
    public Builder identity(String... values) {
      this.identityHeaders = List.of(values);
      return this;
    }

    /** The Date header as received. */
    public Builder date(String date) {
      this.date = date;
      return this;
    }

    public Builder trunk(Trunk trunk) {
      this.trunk = trunk;
      return this;
    }

    public Builder from(String from) {
      this.from = address(from);
      return this;
    }

    public Builder pai(String... entries) {
      this.pAssertedIdentities = Arrays.stream(entries).map(Calls::address).toList();
      return this;
    }

    public Builder privacy(String... values) {
      this.privacy = List.of(values);
      return this;
    }

    public CallContext build() {
      return new CallContext(
          callId,
          new InetSocketAddress(source, 5060),
          Transport.UDP,
          trunk,
          requestUri,
          from,
          to,
          pAssertedIdentities,
          List.of(),
          privacy,
          identityHeaders,
          userAgent,
          List.of(),
          date);
    }
  }
}
