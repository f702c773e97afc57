package org.sipsentry.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.sipsentry.sip.internal.HeaderSection;

/**
 * A SIP request or response that {@link SipCodec} accepted: the received bytes plus the header
 * fields SipSentry routes and judges by, read once at parse time. Immutable apart from {@link
 * #bytes()}, which is shared, not copied; safe to hand between threads.
 */
public final class SipMessage {

  private final byte[] bytes;
  private final HeaderSection headers;
  private final boolean request;
  private final String method;
  private final String requestUri;
  private final int statusCode;
  private final String reasonPhrase;
  private final String callId;
  private final long cseqNumber;
  private final String cseqMethod;
  private final List<Via> vias;
  private final OptionalInt maxForwards;
  private final NameAddress from;
  private final NameAddress to;
  private final List<NameAddress> pAssertedIdentities;
  private final List<NameAddress> pPreferredIdentities;
  private final List<String> privacy;
  private final List<String> identityHeaders;
  private final String userAgent;
  private final List<String> defects;

  /** Assembled by {@link SipCodec} only. */
  SipMessage(Builder b) {
    this.bytes = Objects.requireNonNull(b.bytes);
    this.headers = Objects.requireNonNull(b.headers);
    this.request = b.request;
    this.method = Objects.requireNonNull(b.method);
    this.requestUri = Objects.requireNonNull(b.requestUri);
    this.statusCode = b.statusCode;
    this.reasonPhrase = Objects.requireNonNull(b.reasonPhrase);
    this.callId = Objects.requireNonNull(b.callId);
    this.cseqNumber = b.cseqNumber;
    this.cseqMethod = Objects.requireNonNull(b.cseqMethod);
    this.vias = List.copyOf(b.vias);
    this.maxForwards = Objects.requireNonNull(b.maxForwards);
    this.from = Objects.requireNonNull(b.from);
    this.to = Objects.requireNonNull(b.to);
    this.pAssertedIdentities = List.copyOf(b.pAssertedIdentities);
    this.pPreferredIdentities = List.copyOf(b.pPreferredIdentities);
    this.privacy = List.copyOf(b.privacy);
    this.identityHeaders = List.copyOf(b.identityHeaders);
    this.userAgent = Objects.requireNonNull(b.userAgent);
    this.defects = List.copyOf(b.defects);
  }

  /**
   * The message as received: for a UDP datagram with octets after the Content-Length body (RFC 3261
   * §18.3, RFC 4475 §3.1.1.8) exactly the header section and body; otherwise the array passed to
   * {@link SipCodec#parse}. Not copied: callers must not mutate it.
   */
  public byte[] bytes() {
    return bytes;
  }

  public boolean isRequest() {
    return request;
  }

  /** The request method; for a response the CSeq method. Case-sensitive (RFC 3261 §7.1). */
  public String method() {
    return method;
  }

  /** The Request-URI as received; {@code ""} for a response. */
  public String requestUri() {
    return requestUri;
  }

  /** The status code (100-699) of a response; {@code 0} for a request. */
  public int statusCode() {
    return statusCode;
  }

  /** The reason phrase of a response (may be empty); {@code ""} for a request. */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  public String callId() {
    return callId;
  }

  public long cseqNumber() {
    return cseqNumber;
  }

  /** The CSeq method as received. */
  public String cseqMethod() {
    return cseqMethod;
  }

  /** Every Via value in order, topmost first, whether in one line or several. */
  public List<Via> vias() {
    return vias;
  }

  /** Max-Forwards (0-255), empty when the header field is absent. */
  public OptionalInt maxForwards() {
    return maxForwards;
  }

  public NameAddress from() {
    return from;
  }

  public NameAddress to() {
    return to;
  }

  /** Every well-formed P-Asserted-Identity entry in order (RFC 3325 §9.1). */
  public List<NameAddress> pAssertedIdentities() {
    return pAssertedIdentities;
  }

  /** Every well-formed P-Preferred-Identity entry in order (RFC 3325 §9.2). */
  public List<NameAddress> pPreferredIdentities() {
    return pPreferredIdentities;
  }

  /** The Privacy values (RFC 3323 §4.2) in lower case, e.g. {@code [id, header]}. */
  public List<String> privacy() {
    return privacy;
  }

  /**
   * The raw value of every Identity header field (RFC 8224 §4; compact form {@code y}), in order,
   * unparsed.
   */
  public List<String> identityHeaders() {
    return identityHeaders;
  }

  /** The first User-Agent value, or {@code ""}. */
  public String userAgent() {
    return userAgent;
  }

  /**
   * Identity-relevant header fields that did not parse and were left out of {@link
   * #pAssertedIdentities()}, {@link #pPreferredIdentities()} or {@link #privacy()}, e.g. {@code
   * "malformed P-Asserted-Identity: <sip:x"}. Other malformed header fields that neither routing
   * nor identity depend on (Date, Expires, ...) are ignored here: they are forwarded as received.
   */
  public List<String> defects() {
    return defects;
  }

  /**
   * The first value of a header field as received (folds replaced by a space, trimmed), by name:
   * case-insensitive, compact forms understood ({@code "f"} finds From and {@code "From"} finds
   * {@code f:}).
   */
  public Optional<String> header(String name) {
    int index = headers.indexOf(HeaderSection.canonicalName(name.trim().toLowerCase(Locale.ROOT)));
    return index < 0 ? Optional.empty() : Optional.of(headers.value(index));
  }

  @Override
  public String toString() {
    return request
        ? "SipMessage[" + method + " " + requestUri + ", Call-ID " + callId + "]"
        : "SipMessage[" + statusCode + " " + cseqMethod + ", Call-ID " + callId + "]";
  }

  /** Mutable assembly area for {@link SipCodec}. */
  static final class Builder {
    byte[] bytes;
    HeaderSection headers;
    boolean request;
    String method;
    String requestUri = "";
    int statusCode;
    String reasonPhrase = "";
    String callId;
    long cseqNumber;
    String cseqMethod;
    List<Via> vias;
    OptionalInt maxForwards = OptionalInt.empty();
    NameAddress from;
    NameAddress to;
    List<NameAddress> pAssertedIdentities = List.of();
    List<NameAddress> pPreferredIdentities = List.of();
    List<String> privacy = List.of();
    List<String> identityHeaders = List.of();
    String userAgent = "";
    List<String> defects = List.of();
  }
}
