package org.sipsentry.sip.stir;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.StiCertificateValidator;
import org.sipsentry.sip.stir.cert.TestPki;
import org.sipsentry.sip.stir.cert.TrustAnchors;

/**
 * The French MAN verification matrix and the carrier quirks of issue 3, as data: each {@link Case}
 * holds the Identity header values, the numbers, the Date, the instant to verify at, the chain to
 * serve at the x5u URL and the expected outcome. Every PASSporT is signed here, at class-load time,
 * with {@link TestPki} keys, so the certificates chain to {@link #trustAnchorPem()} and are valid
 * at {@link TestPki#NOW}.
 *
 * <p>The MAN cases restate, in our words, the verification tests of the French "Mécanisme
 * d'Authentification des Numéros" operating manual v1.7 (p. 59) as OpenSIPS's sipssert suite
 * exercises them; ids keep the suite's numbers ({@code man-08a} is its {@code 08.A}). The quirks
 * are shapes seen from carriers and other verifiers.
 *
 * <p>Used by {@code ManCasesTest} (through {@link StirVerifier}) and by tests of the tools above
 * (the {@code verify} command, the proxy), which may write {@link Case#chainPem()} and {@link
 * #trustAnchorPem()} to files.
 */
public final class ManCases {

  /** The x5u of the standard SP certificate. */
  public static final String X5U = "https://cert.sp.example.net/sti/sp-1234.pem";

  /** The calling number of a valid call, as the From/PAI user part carries it. */
  public static final String CALLER = "+33612345678";

  /** The called number of a valid call, as the To user part carries it. */
  public static final String CALLEE = "+33987654321";

  /** A third number: the caller or callee that does not match the PASSporT. */
  public static final String OTHER = "+33999999999";

  /** The origid of every PASSporT here. */
  public static final String ORIGID = "4437c7eb-8f92-4a3a-9b1d-6e3c0f1d2a55";

  /** The verification instant of every case: {@link TestPki#NOW}. */
  public static final Instant AT = TestPki.NOW;

  /** The iat (and Date) of a fresh PASSporT: two seconds before {@link #AT}. */
  public static final Instant IAT = AT.minusSeconds(2);

  /** SIP Date (RFC 3261 §20.17): RFC 1123 with a two-digit day, always GMT. */
  private static final DateTimeFormatter SIP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /**
   * One verification scenario.
   *
   * @param id a stable id: {@code man-NN} for the MAN matrix, {@code quirk-...} for carrier quirks
   * @param description what the case changes and why it must give the expected outcome
   * @param identityHeaders the Identity header field values of the INVITE, in order; empty for none
   * @param from the From user part as the INVITE carries it ({@code anonymous} when the caller is
   *     only in P-Asserted-Identity)
   * @param caller the number the verifier compares {@code orig} with: the P-Asserted-Identity user
   *     part when the INVITE has one, else the From user part, as it appears in SIP
   * @param callee the To user part as it appears in SIP
   * @param date the Date header value, when the INVITE has one
   * @param at the instant to verify at, epoch seconds
   * @param attestationIndicator for compact form only: the out-of-band attest
   *     (P-Attestation-Indicator)
   * @param originationId for compact form only: the out-of-band origid (P-Origination-Id)
   * @param x5u the URL to serve {@code chainPem} at
   * @param chainPem the PEM body served at {@code x5u}: end-entity, then intermediate
   * @param policy the policy to verify with
   * @param expected the expected failure, or empty for a pass
   */
  public record Case(
      String id,
      String description,
      List<String> identityHeaders,
      String from,
      String caller,
      String callee,
      Optional<String> date,
      long at,
      Optional<Attestation> attestationIndicator,
      Optional<String> originationId,
      String x5u,
      String chainPem,
      StirPolicy policy,
      Optional<StirFailure> expected) {

    public Case {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(description, "description");
      identityHeaders = List.copyOf(identityHeaders);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(callee, "callee");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(attestationIndicator, "attestationIndicator");
      Objects.requireNonNull(originationId, "originationId");
      Objects.requireNonNull(x5u, "x5u");
      Objects.requireNonNull(chainPem, "chainPem");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(expected, "expected");
    }

    /** True when the verifier must pass the call. */
    public boolean expectsPass() {
      return expected.isEmpty();
    }

    /** The expected SIP code: 200 for a pass, else the failure's code. */
    public int expectedCode() {
      return expected.map(StirFailure::code).orElse(200);
    }

    /** {@link #at()} as an instant. */
    public Instant now() {
      return Instant.ofEpochSecond(at);
    }

    /**
     * The request to hand {@link StirVerifier}; a Date that is not RFC 1123 is treated as absent.
     */
    public StirRequest request() {
      return new StirRequest(
          identityHeaders,
          caller,
          callee,
          date.flatMap(StirRequest::parseDate),
          now(),
          attestationIndicator,
          originationId);
    }

    /** {@link #chainPem()} as the bytes of an x5u response body. */
    public byte[] chainBytes() {
      return chainPem.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A certificate source that serves {@link #chainPem()} at {@link #x5u()}, validated against
     * {@link ManCases#trustAnchors()} at the instant asked, and answers any other URL with {@link
     * StirFailure#CERTIFICATE_UNAVAILABLE}.
     */
    public CertificateSource certificateSource() {
      return (url, now) ->
          CompletableFuture.completedFuture(
              url.equals(x5u)
                  ? VALIDATOR.validate(chainBytes(), now)
                  : new CertificateValidation.Invalid(
                      StirFailure.CERTIFICATE_UNAVAILABLE, "nothing served at " + url));
    }

    @Override
    public String toString() {
      return id;
    }
  }

  private static final StiCertificateValidator VALIDATOR =
      new StiCertificateValidator(trustAnchors(), RevocationLists.none());

  private static final class Holder {
    static final List<Case> MAN = buildMan();
    static final List<Case> QUIRKS = buildQuirks();
  }

  private ManCases() {}

  /** The MAN matrix (24 cases: the suite's 04–26, with 08 split into past and future). */
  public static List<Case> man() {
    return Holder.MAN;
  }

  /** The carrier quirks of issue 3. */
  public static List<Case> quirks() {
    return Holder.QUIRKS;
  }

  /** {@link #man()} then {@link #quirks()}. */
  public static List<Case> all() {
    List<Case> all = new ArrayList<>(man());
    all.addAll(quirks());
    return List.copyOf(all);
  }

  /** The case with this id. */
  public static Case byId(String id) {
    return all().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no case " + id));
  }

  /** PEM of the STI-CA root every valid case chains to ({@link TestPki#root()}). */
  public static String trustAnchorPem() {
    return TestPki.pem(TestPki.root().certificate());
  }

  /** The trust anchors every valid case chains to. */
  public static TrustAnchors trustAnchors() {
    return TrustAnchors.of(TestPki.root().certificate());
  }

  /** The standard chain: TestPki's SP end-entity, then its intermediate. */
  public static String standardChainPem() {
    return TestPki.pem(TestPki.endEntity().certificate(), TestPki.intermediate().certificate());
  }

  private static List<Case> buildMan() {
    Signer sp = new Signer(TestPki.endEntity(), X5U);
    String valid = sp.identity(sp.validClaims());
    String chain = standardChainPem();
    Optional<String> freshDate = Optional.of(sipDate(IAT));
    List<Case> cases = new ArrayList<>();
    Builder b = new Builder(X5U, chain);

    cases.add(
        b.pass(
            "man-04",
            "valid PASSporT (ES256, ppt shaken, attest A), P-Asserted-Identity = From",
            List.of(valid),
            CALLER,
            CALLER,
            freshDate));
    cases.add(
        b.pass(
            "man-05",
            "From user 'anonymous': orig is compared with the P-Asserted-Identity number",
            List.of(valid),
            "anonymous",
            CALLER,
            freshDate));
    cases.add(
        b.fail(
            "man-06",
            "the caller number '++4' cannot be canonicalised",
            List.of(valid),
            "++4",
            freshDate,
            StirFailure.MALFORMED_CALLER));
    cases.add(
        b.fail(
            "man-07",
            "as man-06; the suite's 'do not kill the call' policy then answers 200 with"
                + " Reason: SIP;cause=400, but that is proxy policy: the verifier's outcome is 400",
            List.of(valid),
            "++4",
            freshDate,
            StirFailure.MALFORMED_CALLER));
    cases.add(
        b.fail(
            "man-08a",
            "Date header in 2010, far in the past",
            List.of(valid),
            CALLER,
            Optional.of("Sat, 13 Nov 2010 23:29:00 GMT"),
            StirFailure.STALE_DATE));
    cases.add(
        b.fail(
            "man-08b",
            "Date header in 2150, far in the future",
            List.of(valid),
            CALLER,
            Optional.of("Tue, 22 Sep 2150 23:29:00 GMT"),
            StirFailure.STALE_DATE));
    cases.add(
        b.fail(
            "man-09",
            "iat 1687444148 (June 2023): far older than the 60 s window",
            List.of(sp.identity(sp.claims("A", CALLER, CALLEE, 1687444148L))),
            CALLER,
            freshDate,
            StirFailure.STALE_DATE));
    cases.add(
        b.fail(
            "man-10", "no Identity header", List.of(), CALLER, freshDate, StirFailure.NO_IDENTITY));
    cases.add(
        b.fail(
            "man-11",
            "Identity header without the info parameter",
            List.of(sp.jws(sp.validClaims()) + ";alg=ES256;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.MISSING_INFO));
    cases.add(
        b.fail(
            "man-12",
            "JOSE header without ppt (alg, typ and x5u only)",
            List.of(
                sp.identityRaw(
                    Map.of("alg", "ES256", "typ", "passport", "x5u", X5U), sp.validClaims())),
            CALLER,
            freshDate,
            StirFailure.MISSING_PPT));
    cases.add(
        b.fail(
            "man-13",
            "info URL differs from the JOSE x5u",
            List.of(
                sp.jws(sp.validClaims())
                    + ";info=<https://other.example.net/sti/sp.pem>;alg=ES256;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.X5U_MISMATCH));
    cases.add(
        b.fail(
            "man-14",
            "Identity header without the alg parameter (required by MAN)",
            List.of(sp.jws(sp.validClaims()) + ";info=<" + X5U + ">;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.UNSUPPORTED_ALG));
    cases.add(
        b.fail(
            "man-15",
            "Identity header alg=XX564",
            List.of(sp.jws(sp.validClaims()) + ";info=<" + X5U + ">;alg=XX564;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.UNSUPPORTED_ALG));
    cases.add(
        b.fail(
            "man-16",
            "JOSE header alg RS256 (the Identity header still says ES256)",
            List.of(
                sp.identityRaw(
                    Map.of("alg", "RS256", "ppt", "shaken", "typ", "passport", "x5u", X5U),
                    sp.validClaims())),
            CALLER,
            freshDate,
            StirFailure.UNSUPPORTED_JOSE));
    cases.add(
        b.fail(
            "man-17",
            "JOSE header typ 'poussport'",
            List.of(
                sp.identityRaw(
                    Map.of("alg", "ES256", "ppt", "shaken", "typ", "poussport", "x5u", X5U),
                    sp.validClaims())),
            CALLER,
            freshDate,
            StirFailure.UNSUPPORTED_JOSE));

    TestPki.Issued expired = TestPki.expiredEndEntity();
    String expiredX5u = "https://cert.sp.example.net/sti/expired.pem";
    Signer expiredSigner = new Signer(expired, expiredX5u);
    cases.add(
        new Builder(
                expiredX5u,
                TestPki.pem(expired.certificate(), TestPki.intermediate().certificate()))
            .fail(
                "man-18",
                "the SP certificate expired the day before",
                List.of(expiredSigner.identity(expiredSigner.validClaims())),
                CALLER,
                freshDate,
                StirFailure.CERTIFICATE_EXPIRED));
    TestPki.Issued future = TestPki.notYetValidEndEntity();
    String futureX5u = "https://cert.sp.example.net/sti/future.pem";
    Signer futureSigner = new Signer(future, futureX5u);
    cases.add(
        new Builder(
                futureX5u, TestPki.pem(future.certificate(), TestPki.intermediate().certificate()))
            .fail(
                "man-19",
                "the SP certificate is valid only from the next day",
                List.of(futureSigner.identity(futureSigner.validClaims())),
                CALLER,
                freshDate,
                StirFailure.CERTIFICATE_NOT_YET_VALID));

    cases.add(
        b.fail(
            "man-20",
            "a fourth Identity parameter ';toto=titi' (MAN allows info, alg and ppt only)",
            List.of(valid + ";toto=titi"),
            CALLER,
            freshDate,
            StirFailure.MALFORMED));
    cases.add(
        b.fail(
            "man-21",
            "Identity header without the ppt parameter",
            List.of(sp.jws(sp.validClaims()) + ";info=<" + X5U + ">;alg=ES256"),
            CALLER,
            freshDate,
            StirFailure.WRONG_PPT));
    cases.add(
        b.fail(
            "man-22",
            "Identity header ppt=hey",
            List.of(sp.jws(sp.validClaims()) + ";info=<" + X5U + ">;alg=ES256;ppt=hey"),
            CALLER,
            freshDate,
            StirFailure.WRONG_PPT));
    cases.add(
        b.fail(
            "man-23",
            "JOSE header ppt 'no_shaken' (the Identity header says shaken)",
            List.of(
                sp.identityRaw(
                    Map.of("alg", "ES256", "ppt", "no_shaken", "typ", "passport", "x5u", X5U),
                    sp.validClaims())),
            CALLER,
            freshDate,
            StirFailure.WRONG_PPT));
    cases.add(
        b.fail(
            "man-24",
            "attest 'W'",
            List.of(sp.identity(sp.claims("W", CALLER, CALLEE, IAT.getEpochSecond()))),
            CALLER,
            freshDate,
            StirFailure.WRONG_ATTEST));
    cases.add(
        b.fail(
            "man-25",
            "orig.tn is not the caller (From " + OTHER + ", no P-Asserted-Identity)",
            List.of(valid),
            OTHER,
            freshDate,
            StirFailure.ORIG_MISMATCH));
    cases.add(
        new Case(
            "man-26",
            "dest.tn does not hold the callee (To " + OTHER + ")",
            List.of(valid),
            CALLER,
            CALLER,
            OTHER,
            freshDate,
            AT.getEpochSecond(),
            Optional.empty(),
            Optional.empty(),
            X5U,
            chain,
            StirPolicy.MAN,
            Optional.of(StirFailure.DEST_MISMATCH)));
    return List.copyOf(cases);
  }

  private static List<Case> buildQuirks() {
    Signer sp = new Signer(TestPki.endEntity(), X5U);
    String chain = standardChainPem();
    Optional<String> freshDate = Optional.of(sipDate(IAT));
    Builder b = new Builder(X5U, chain);
    List<Case> cases = new ArrayList<>();
    String jws = sp.jws(sp.validClaims());

    cases.add(
        b.pass(
            "quirk-quoted-ppt",
            "ppt=\"shaken\" quoted, as some carriers send it",
            List.of(jws + ";info=<" + X5U + ">;alg=ES256;ppt=\"shaken\""),
            CALLER,
            CALLER,
            freshDate));

    String x5u8443 = "https://cert.sp.example.net:8443/sti/sp-1234.pem";
    Signer sp8443 = new Signer(TestPki.endEntity(), x5u8443);
    cases.add(
        new Builder(x5u8443, chain)
            .pass(
                "quirk-x5u-port-8443",
                "x5u and info on port 8443 (allowed by ATIS-1000074)",
                List.of(sp8443.identity(sp8443.validClaims())),
                CALLER,
                CALLER,
                freshDate));

    cases.add(
        b.pass(
            "quirk-tgrp-in-user-part",
            "the caller's user part carries ;tgrp= and ;trunk-context= (RFC 4904)",
            List.of(sp.identity(sp.validClaims())),
            CALLER + ";tgrp=TG-7;trunk-context=carrier.example.net",
            CALLER + ";tgrp=TG-7;trunk-context=carrier.example.net",
            freshDate));

    // RFC 8225 §7: header..signature; the verifier rebuilds the claims from From, To and Date,
    // and SHAKEN's attest and origid from P-Attestation-Indicator and P-Origination-Id.
    String compactPayload =
        Passport.compactPayload(
            tn(CALLER), tn(CALLEE), IAT, Optional.of(Attestation.A), Optional.of(ORIGID));
    String full = sp.signRaw(sp.encodedHeader(), Passport.base64Url(compactPayload));
    String[] parts = full.split("\\.");
    cases.add(
        new Case(
            "quirk-compact-form",
            "compact form header..signature, claims rebuilt from From, To, Date and the"
                + " out-of-band attest and origid",
            List.of(parts[0] + ".." + parts[2] + ";info=<" + X5U + ">;alg=ES256;ppt=shaken"),
            CALLER,
            CALLER,
            CALLEE,
            freshDate,
            AT.getEpochSecond(),
            Optional.of(Attestation.A),
            Optional.of(ORIGID),
            X5U,
            chain,
            StirPolicy.MAN,
            Optional.empty()));

    String div =
        sp.identityRaw(
            Map.of("alg", "ES256", "ppt", "div", "typ", "passport", "x5u", X5U),
            canonical(
                Map.of(
                    "dest", Map.of("tn", List.of(digits(OTHER))),
                    "div", Map.of("tn", digits(CALLEE)),
                    "iat", IAT.getEpochSecond(),
                    "orig", Map.of("tn", digits(CALLER)))),
            "div");
    cases.add(
        b.pass(
            "quirk-shaken-and-div",
            "two Identity headers: a ppt=div (RFC 8946) before the ppt=shaken one",
            List.of(div, sp.identity(sp.validClaims())),
            CALLER,
            CALLER,
            freshDate));
    cases.add(
        b.fail(
            "quirk-two-shaken",
            "two Identity headers, both ppt=shaken: which one binds the call is ambiguous",
            List.of(sp.identity(sp.validClaims()), sp.identity(sp.validClaims())),
            CALLER,
            freshDate,
            StirFailure.MALFORMED));

    cases.add(
        b.fail(
            "quirk-no-semicolon",
            "the bare JWS without any parameter (the shape that crashed Asterisk)",
            List.of(jws),
            CALLER,
            freshDate,
            StirFailure.MALFORMED));

    String[] jwsParts = jws.split("\\.");
    byte[] der = Es256.rawToDer(Base64.getUrlDecoder().decode(jwsParts[2]));
    cases.add(
        b.fail(
            "quirk-der-signature",
            "the signature as JCA's DER SEQUENCE { r, s } instead of the 64-byte R||S of JWS",
            List.of(
                jwsParts[0]
                    + "."
                    + jwsParts[1]
                    + "."
                    + BASE64URL.encodeToString(der)
                    + ";info=<"
                    + X5U
                    + ">;alg=ES256;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.BAD_SIGNATURE));

    String identity = sp.identity(sp.validClaims());
    cases.add(
        b.fail(
            "quirk-truncated-token",
            "the token cut in the middle of its payload, parameters kept",
            List.of(
                jwsParts[0]
                    + "."
                    + jwsParts[1].substring(0, jwsParts[1].length() / 2 / 4 * 4)
                    + "."
                    + jwsParts[2]
                    + ";info=<"
                    + X5U
                    + ">;alg=ES256;ppt=shaken"),
            CALLER,
            freshDate,
            StirFailure.MALFORMED));
    cases.add(
        b.fail(
            "quirk-truncated-header",
            "the whole header value cut 30 characters into the payload: no signature, no"
                + " parameters",
            List.of(identity.substring(0, identity.indexOf('.') + 30)),
            CALLER,
            freshDate,
            StirFailure.MALFORMED));
    return List.copyOf(cases);
  }

  /** SIP Date header text for an instant, e.g. {@code Sun, 01 Mar 2026 11:59:58 GMT}. */
  public static String sipDate(Instant instant) {
    return SIP_DATE.format(instant);
  }

  private static CanonicalTn tn(String number) {
    return CanonicalTn.parse(number).orElseThrow();
  }

  private static String digits(String number) {
    return tn(number).digits();
  }

  private static String canonical(Map<String, ?> json) {
    return Passport.canonicalJson(new TreeMap<>(json));
  }

  /** Cases served from one x5u with one chain, verified at {@link #AT} under MAN. */
  private record Builder(String x5u, String chainPem) {
    Case pass(
        String id,
        String description,
        List<String> identities,
        String from,
        String caller,
        Optional<String> date) {
      return new Case(
          id,
          description,
          identities,
          from,
          caller,
          CALLEE,
          date,
          AT.getEpochSecond(),
          Optional.empty(),
          Optional.empty(),
          x5u,
          chainPem,
          StirPolicy.MAN,
          Optional.empty());
    }

    Case fail(
        String id,
        String description,
        List<String> identities,
        String caller,
        Optional<String> date,
        StirFailure expected) {
      return new Case(
          id,
          description,
          identities,
          caller,
          caller,
          CALLEE,
          date,
          AT.getEpochSecond(),
          Optional.empty(),
          Optional.empty(),
          x5u,
          chainPem,
          StirPolicy.MAN,
          Optional.of(expected));
    }
  }

  /** Our {@link PassportSigner} plus raw JOSE headers for the malformed cases. */
  private static final class Signer {
    private final PassportSigner signer;
    private final String x5u;

    Signer(TestPki.Issued issued, String x5u) {
      this.signer = new PassportSigner(issued.privateKey(), x5u, Es256.shared());
      this.x5u = x5u;
    }

    String validClaims() {
      return claims("A", CALLER, CALLEE, IAT.getEpochSecond());
    }

    String claims(String attest, String orig, String dest, long iat) {
      return canonical(
          Map.of(
              "attest", attest,
              "dest", Map.of("tn", List.of(digits(dest))),
              "iat", iat,
              "orig", Map.of("tn", digits(orig)),
              "origid", ORIGID));
    }

    String encodedHeader() {
      return Passport.base64Url(
          canonical(Map.of("alg", "ES256", "ppt", "shaken", "typ", "passport", "x5u", x5u)));
    }

    String jws(String claimsJson) {
      return signer.signJson(claimsJson);
    }

    String identity(String claimsJson) {
      return signer.identityOf(jws(claimsJson));
    }

    String signRaw(String encodedHeader, String encodedPayload) {
      return signer.signRaw(encodedHeader, encodedPayload);
    }

    /** An Identity header (ppt=shaken) whose JOSE header is {@code joseHeader}, as given. */
    String identityRaw(Map<String, String> joseHeader, String claimsJson) {
      return identityRaw(joseHeader, claimsJson, "shaken");
    }

    String identityRaw(Map<String, String> joseHeader, String claimsJson, String ppt) {
      String jws =
          signRaw(Passport.base64Url(canonical(joseHeader)), Passport.base64Url(claimsJson));
      return jws + ";info=<" + x5u + ">;alg=ES256;ppt=" + ppt;
    }
  }
}
