package org.sipsentry.proxy.stirapi;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.sipsentry.detector.StirSummary;
import org.sipsentry.proxy.admin.AdminRequest;
import org.sipsentry.proxy.admin.AdminResponse;
import org.sipsentry.proxy.admin.Router;
import org.sipsentry.sip.stir.StirOutcome;
import org.sipsentry.sip.stir.StirRequest;
import org.sipsentry.sip.stir.StirVerifier;

/**
 * {@code POST /stir/v1/verification}: verifies an Identity header for another switch, as
 * ATIS-1000082's verification service does. The request
 *
 * <pre>{"verificationRequest": {"from": {"tn": "41446681811"}, "to": {"tn": ["41446681800"]},
 *   "time": 1764828000, "identity": "eyJ...;info=&lt;https://...&gt;;alg=ES256;ppt=shaken"}}</pre>
 *
 * is verified exactly as an INVITE on a {@code verify} trunk: the same {@link StirVerifier}
 * (policy, trust anchors, certificate cache), {@code from.tn} as the caller, {@code to.tn} as the
 * callee, {@code time} (the INVITE's Date header, in seconds since the epoch; optional, as the
 * header is) as the Date, this process's clock as now. The answer is 200 with
 *
 * <pre>{"verificationResponse": {"verstat": "TN-Validation-Failed", "reasoncode": 438,
 *   "reasontext": "Invalid Identity Header"}}</pre>
 *
 * where {@code reasoncode} and {@code reasontext} (RFC 8224 §6.2.2, the failure's default code) are
 * there only on a failure, and verstat is {@code No-TN-Validation} when verification could not
 * complete (certificate server down), as on the SIP path.
 *
 * <p>Refusals carry {@link AtisJson}'s error body: 400 for a body of the wrong shape, 413 for one
 * over {@link AtisJson#MAX_BODY_BYTES}, 503 when the configuration has no {@code stir} section with
 * trust anchors. A certificate fetch runs on the fetcher's threads: the admin event loop only waits
 * on a future.
 */
public final class VerificationRoute implements Router.Route {

  private final Supplier<StirServices> services;
  private final Clock clock;

  /**
   * @param services those of the configuration in force, asked once per request
   * @param clock the verifier's now
   */
  public VerificationRoute(Supplier<StirServices> services, Clock clock) {
    this.services = Objects.requireNonNull(services, "services");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The body of {@code POST /stir/v1/verification}. */
  record Body(Request verificationRequest) {}

  record Request(Tn from, Tns to, Long time, String identity) {}

  record Tn(String tn) {}

  record Tns(List<String> tn) {}

  @Override
  public CompletableFuture<AdminResponse> handle(AdminRequest request) {
    Optional<StirVerifier> verifier = services.get().verifier();
    if (verifier.isEmpty()) {
      return CompletableFuture.completedFuture(
          AtisJson.error(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              AtisJson.NOT_CONFIGURED,
              "STIR verification is not configured: the config file needs a stir section with"
                  + " trust-anchors"));
    }
    StirRequest stirRequest;
    try {
      stirRequest = stirRequest(AtisJson.read(request.body(), Body.class));
    } catch (AtisJson.Refused refused) {
      return CompletableFuture.completedFuture(refused.response());
    }
    return verifier
        .get()
        .verify(stirRequest)
        .thenApply(VerificationRoute::response)
        .toCompletableFuture();
  }

  private StirRequest stirRequest(Body body) throws AtisJson.Refused {
    Request request = body.verificationRequest();
    if (request == null) {
      throw AtisJson.missing("verificationRequest");
    }
    if (request.from() == null || request.from().tn() == null) {
      throw AtisJson.missing("verificationRequest.from.tn");
    }
    if (request.to() == null || request.to().tn() == null) {
      throw AtisJson.missing("verificationRequest.to.tn");
    }
    List<String> to = request.to().tn();
    if (to.size() != 1 || to.get(0) == null) {
      throw AtisJson.badValue(
          "verificationRequest.to.tn holds "
              + to.size()
              + " numbers; expected exactly one, the called number");
    }
    if (request.identity() == null) {
      throw AtisJson.missing("verificationRequest.identity");
    }
    if (request.identity().isBlank()) {
      throw AtisJson.badValue("verificationRequest.identity is empty; expected an Identity header");
    }
    Optional<Instant> date = Optional.empty();
    if (request.time() != null) {
      if (request.time() < 0) {
        throw AtisJson.badValue(
            "verificationRequest.time " + request.time() + " is negative; expected epoch seconds");
      }
      date = Optional.of(Instant.ofEpochSecond(request.time()));
    }
    return StirRequest.of(
        List.of(request.identity()), request.from().tn(), to.get(0), date, clock.instant());
  }

  /** The verify-mode answer to {@code outcome}: the verstat the SIP path labels the call with. */
  static AdminResponse response(StirOutcome outcome) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("verstat", StirSummary.verstat(outcome));
    if (outcome instanceof StirOutcome.Fail fail) {
      result.put("reasoncode", fail.failure().code());
      result.put("reasontext", fail.failure().reason());
    }
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("verificationResponse", result));
  }
}
