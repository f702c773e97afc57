package org.sipsentry.proxy.stirapi;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.sipsentry.proxy.admin.AdminRequest;
import org.sipsentry.proxy.admin.AdminResponse;
import org.sipsentry.proxy.admin.Router;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.PassportSigner;

/**
 * {@code POST /stir/v1/signing}: signs a SHAKEN PASSporT for another switch, as ATIS-1000082's
 * signing service does. The request
 *
 * <pre>{"signingRequest": {"attest": "A", "orig": {"tn": "41446681811"},
 *   "dest": {"tn": ["41446681800"]}, "iat": 1764828000, "origid": "de305d54-..."}}</pre>
 *
 * is answered 200 with {@code {"signingResponse": {"identity": "eyJ...;info=<x5u>;alg=ES256;
 * ppt=shaken"}}}, the Identity header value to add to the INVITE, signed with the {@code
 * stir.signing} key. Refusals carry {@link AtisJson}'s error body: 400 for a body of the wrong
 * shape or a value that cannot be signed (attest not A/B/C, a tn that is not a number, no dest, iat
 * not positive, empty origid), 413 for one over {@link AtisJson#MAX_BODY_BYTES}, 503 when no
 * signing key is configured. Signing is a few hundred microseconds of CPU and no I/O: it runs on
 * the caller's thread.
 */
public final class SigningRoute implements Router.Route {

  /** Numbers a PASSporT's dest may list here; a call has one, a forked call a few. */
  static final int MAX_DEST = 32;

  private final Supplier<StirServices> services;

  /**
   * @param services those of the configuration in force, asked once per request
   */
  public SigningRoute(Supplier<StirServices> services) {
    this.services = Objects.requireNonNull(services, "services");
  }

  /** The body of {@code POST /stir/v1/signing}. */
  record Body(Request signingRequest) {}

  record Request(String attest, Tn orig, Tns dest, Long iat, String origid) {}

  record Tn(String tn) {}

  record Tns(List<String> tn) {}

  @Override
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    Optional<PassportSigner> signer = services.get().signer();
    if (signer.isEmpty()) {
      return CompletableFuture.completedFuture(
          AtisJson.error(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              AtisJson.NOT_CONFIGURED,
              "STIR signing is not configured: the config file needs stir.signing with key and"
                  + " x5u"));
    }
    try {
      String identity = sign(signer.get(), AtisJson.read(request.body(), Body.class));
      return CompletableFuture.completedFuture(
          AdminResponse.json(
              HttpResponseStatus.OK, Map.of("signingResponse", Map.of("identity", identity))));
    } catch (AtisJson.Refused refused) {
      return CompletableFuture.completedFuture(refused.response());
    }
  }

  private static String sign(PassportSigner signer, Body body) throws AtisJson.Refused {
    Request request = body.signingRequest();
    if (request == null) {
      throw AtisJson.missing("signingRequest");
    }
    if (request.attest() == null) {
      throw AtisJson.missing("signingRequest.attest");
    }
    Optional<Attestation> attest = Attestation.of(request.attest());
    if (attest.isEmpty()) {
      throw AtisJson.badValue(
          "signingRequest.attest " + AtisJson.quote(request.attest()) + "; expected A, B or C");
    }
    if (request.orig() == null || request.orig().tn() == null) {
      throw AtisJson.missing("signingRequest.orig.tn");
    }
    CanonicalTn orig = number("signingRequest.orig.tn", request.orig().tn());
    if (request.dest() == null || request.dest().tn() == null) {
      throw AtisJson.missing("signingRequest.dest.tn");
    }
    List<String> destTn = request.dest().tn();
    if (destTn.isEmpty() || destTn.size() > MAX_DEST) {
      throw AtisJson.badValue(
          "signingRequest.dest.tn holds " + destTn.size() + " numbers; expected 1 to " + MAX_DEST);
    }
    List<CanonicalTn> dest = new ArrayList<>(destTn.size());
    for (int i = 0; i < destTn.size(); i++) {
      String path = "signingRequest.dest.tn[" + i + "]";
      if (destTn.get(i) == null) {
        throw AtisJson.missing(path);
      }
      dest.add(number(path, destTn.get(i)));
    }
    if (request.iat() == null) {
      throw AtisJson.missing("signingRequest.iat");
    }
    if (request.iat() <= 0) {
      throw AtisJson.badValue(
          "signingRequest.iat " + request.iat() + " is not positive; expected epoch seconds");
    }
    if (request.origid() == null) {
      throw AtisJson.missing("signingRequest.origid");
    }
    if (request.origid().isBlank()) {
      throw AtisJson.badValue("signingRequest.origid is empty; expected a UUID");
    }
    return signer.identity(
        attest.get(), orig, dest, Instant.ofEpochSecond(request.iat()), request.origid());
  }

  private static CanonicalTn number(String path, String tn) throws AtisJson.Refused {
    return CanonicalTn.parse(tn)
        .orElseThrow(
            () ->
                AtisJson.badValue(
                    path
                        + " "
                        + AtisJson.quote(tn)
                        + " is not a telephone number (RFC 8224 §8.3)"));
  }
}
