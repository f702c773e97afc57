package org.sipsentry.sip.stir;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StirVerifier} needs to know about one INVITE.
 *
 * @param identityHeaders the raw values of every Identity header, in received order
 * @param caller the calling number chosen by the caller of the verifier (a trusted
 *     P-Asserted-Identity, else From): a user part or tel number, canonicalised per RFC 8224 §8.3
 * @param callee the called number (To, else the Request-URI), likewise
 * @param date the Date header, when present
 * @param now the verifier's clock
 * @param attestationIndicator for a compact-form PASSporT only: the {@code attest} to rebuild the
 *     payload with, when the message carried one out of band (P-Attestation-Indicator)
 * @param originationId likewise for {@code origid} (P-Origination-Id)
 */
public record StirRequest(
    List<String> identityHeaders,
    String caller,
    String callee,
    Optional<Instant> date,
    Instant now,
    Optional<Attestation> attestationIndicator,
    Optional<String> originationId) {

  public StirRequest {
    identityHeaders = List.copyOf(identityHeaders);
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(callee, "callee");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(attestationIndicator, "attestationIndicator");
    Objects.requireNonNull(originationId, "originationId");
  }

  /** A request for a full-form PASSporT (no out-of-band attest/origid). */
  public static StirRequest of(
      List<String> identityHeaders,
      String caller,
      String callee,
      Optional<Instant> date,
      Instant now) {
    return new StirRequest(
        identityHeaders, caller, callee, date, now, Optional.empty(), Optional.empty());
  }

  /**
   * Parses a SIP Date header value (RFC 3261 §20.17, the RFC 1123 form); empty when it is not one.
   */
  public static Optional<Instant> parseDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
