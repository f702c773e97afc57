package org.sipsentry.sip.stir.cert;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.sipsentry.sip.stir.CertificateSource;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchFailure;
import org.sipsentry.sip.stir.fetch.FetchResult;

/**
 * The proxy's {@link CertificateSource}: the x5u URL fetched by a {@link CertificateFetcher}, its
 * body validated by a {@link StiCertificateValidator}, and the validation cached.
 *
 * <p><b>Caching.</b> Validation costs a few signature verifications, so its result is kept per x5u
 * URL together with the identity of the fetched body it was computed from (the fetcher returns the
 * same {@link FetchResult.Fetched} instance for as long as it caches it); a new body, after the
 * fetcher's cache expired, is validated afresh. A cached {@link CertificateValidation.Valid} is
 * re-checked against {@code now} on every use: outside the validity period of its certification
 * path (the latest {@code notBefore} to the earliest {@code notAfter}) it gives {@link
 * StirFailure#CERTIFICATE_NOT_YET_VALID} or {@link StirFailure#CERTIFICATE_EXPIRED}, so it never
 * outlives {@link CertificateValidation.Valid#pathNotAfter()}. At most {@code maxEntries} URLs are
 * kept.
 *
 * <p><b>Threads.</b> A call whose certificate and CRLs are cached completes before it returns,
 * without a thread hop. Otherwise the stage completes later and validation runs on the fetcher's
 * threads (the executor that completed the fetch, or the executor by hand-off when the fetch was
 * already complete), never on the caller's thread. The stage never completes exceptionally: a fetch
 * failure is {@link StirFailure#CERTIFICATE_UNAVAILABLE}, {@linkplain
 * CertificateValidation.Invalid#indeterminate() indeterminate} when its {@link FetchFailure} is.
 *
 * <p><b>CRL distribution points</b> (RFC 5280 §4.2.1.13; ATIS-1000080 §6.3.7 has SHAKEN
 * certificates point at the STI-PA's CRL). The http and https URIs in the distribution points of
 * the chain's certificates (at most {@value #MAX_CRL_URLS} per chain) are fetched through the same
 * fetcher, so under the same policy (an http URI is refused unless the fetcher allows http), caps
 * and cache, and the CRLs passed to the validator, which verifies their signatures. A CRL that
 * cannot be fetched or parsed is a <em>soft failure</em>: the chain is validated without it, as if
 * its CA published none, and the failure is logged (DEBUG, rate-limited) and counted ({@link
 * #crlFailures()}; the fetcher's listener also sees failed fetches). A hard failure would let
 * whoever can disturb the CRL server fail every call. When a cached chain's CRL is being fetched
 * again (its cache entry expired), calls go on using the cached answer meanwhile; the first call
 * after the new CRL arrives validates again with it.
 *
 * <p>Thread-safe.
 */
public final class X5uCertificates implements CertificateSource {

  /** Distribution point URIs followed per chain: a bound on the work a hostile chain causes. */
  public static final int MAX_CRL_URLS = 4;

  private static final System.Logger LOG = System.getLogger(X5uCertificates.class.getName());

  /** Soft CRL failures are logged at DEBUG at most this often (nanoseconds). */
  private static final long DEBUG_LOG_INTERVAL_NANOS = 1_000_000_000L;

  /** Stands for any failed CRL fetch when comparing the inputs of a cached validation. */
  private static final Object NO_CRL = new Object();

  private final CertificateFetcher fetcher;
  private final StiCertificateValidator validator;
  private final Cache<String, Entry> validations;
  private final AtomicLong crlFailures = new AtomicLong();
  private final AtomicLong nextDebugLog = new AtomicLong(Long.MIN_VALUE);

  /**
   * @param fetcher fetches x5u URLs and CRLs; its executor runs validations
   * @param validator validates chains against the STI-CA trust anchors
   * @param maxEntries most x5u URLs whose validation is cached, at least 1
   */
  public X5uCertificates(
      CertificateFetcher fetcher, StiCertificateValidator validator, int maxEntries) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.validator = Objects.requireNonNull(validator, "validator");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " is less than 1");
    }
    this.validations = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  @Override
  public CompletionStage<CertificateValidation> certificate(String x5u, Instant now) {
    Objects.requireNonNull(x5u, "x5u");
    Objects.requireNonNull(now, "now");
    Thread caller = Thread.currentThread();
    return fetcher
        .fetch(x5u)
        .thenCompose(result -> afterFetch(x5u, result, now, caller))
        .exceptionally(X5uCertificates::bug);
  }

  /**
   * How many validations went ahead without a CRL from a distribution point because it could not be
   * fetched or parsed (soft failures); for metrics.
   */
  public long crlFailures() {
    return crlFailures.get();
  }

  private CompletionStage<CertificateValidation> afterFetch(
      String x5u, FetchResult result, Instant now, Thread caller) {
    if (result instanceof FetchResult.Failed failed) {
      return CompletableFuture.completedFuture(unavailable(failed));
    }
    FetchResult.Fetched body = (FetchResult.Fetched) result;
    Entry entry = validations.getIfPresent(x5u);
    if (entry == null || entry.body != body) {
      return offCaller(caller, () -> parseAndValidate(x5u, body, now, caller));
    }
    List<CompletableFuture<FetchResult>> crls = fetchAll(entry.crlUrls);
    boolean crlsKnown = crls.stream().allMatch(CompletableFuture::isDone);
    if (!crlsKnown || entry.sameCrls(crls)) {
      // Unchanged, or a CRL being fetched again: answer from the cache meanwhile.
      CertificateValidation cached = entry.at(now);
      if (cached != null) {
        return CompletableFuture.completedFuture(cached);
      }
    }
    return CompletableFuture.allOf(crls.toArray(CompletableFuture[]::new))
        .thenCompose(
            done ->
                offCaller(
                    caller,
                    () ->
                        CompletableFuture.completedFuture(
                            validateAndCache(x5u, body, entry.chain, entry.crlUrls, crls, now))));
  }

  /** Off the caller's thread: parse the body, fetch the chain's CRLs, validate. */
  private CompletionStage<CertificateValidation> parseAndValidate(
      String x5u, FetchResult.Fetched body, Instant now, Thread caller) {
    ChainParse parsed = CertificateChain.parse(body.body());
    if (parsed instanceof CertificateValidation.Invalid invalid) {
      validations.put(x5u, Entry.unparsable(body, invalid, now));
      return CompletableFuture.completedFuture(invalid);
    }
    CertificateChain chain = (CertificateChain) parsed;
    List<String> urls = distributionPoints(chain);
    List<CompletableFuture<FetchResult>> crls = fetchAll(urls);
    return CompletableFuture.allOf(crls.toArray(CompletableFuture[]::new))
        .thenCompose(
            done -> {
              // A URL the fetcher's policy refuses will always be refused: forget it, so that
              // later calls do not ask again.
              List<String> kept = new ArrayList<>(urls.size());
              List<CompletableFuture<FetchResult>> keptCrls = new ArrayList<>(urls.size());
              for (int i = 0; i < urls.size(); i++) {
                FetchResult crl = crls.get(i).join();
                if (crl instanceof FetchResult.Failed failed
                    && failed.kind() == FetchFailure.REFUSED_URL) {
                  softFailure(failed.x5u(), failed.kind() + ": " + failed.detail());
                } else {
                  kept.add(urls.get(i));
                  keptCrls.add(crls.get(i));
                }
              }
              return offCaller(
                  caller,
                  () ->
                      CompletableFuture.completedFuture(
                          validateAndCache(x5u, body, chain, kept, keptCrls, now)));
            });
  }

  private CertificateValidation validateAndCache(
      String x5u,
      FetchResult.Fetched body,
      CertificateChain chain,
      List<String> crlUrls,
      List<CompletableFuture<FetchResult>> crlFetches,
      Instant now) {
    List<X509CRL> crls = new ArrayList<>(crlFetches.size());
    List<Object> crlInputs = new ArrayList<>(crlFetches.size());
    for (CompletableFuture<FetchResult> fetch : crlFetches) {
      FetchResult crl = fetch.join();
      if (crl instanceof FetchResult.Fetched fetched) {
        X509CRL parsedCrl = parseCrl(fetched);
        if (parsedCrl != null) {
          crls.add(parsedCrl);
        }
        crlInputs.add(fetched);
      } else {
        FetchResult.Failed failed = (FetchResult.Failed) crl;
        softFailure(failed.x5u(), failed.kind() + ": " + failed.detail());
        crlInputs.add(NO_CRL);
      }
    }
    CertificateValidation validation = validator.validate(chain, now, crls);
    validations.put(x5u, Entry.of(body, chain, crlUrls, crlInputs, validation, now));
    return validation;
  }

  private X509CRL parseCrl(FetchResult.Fetched fetched) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509CRL) factory.generateCRL(new ByteArrayInputStream(fetched.body()));
    } catch (CertificateException | CRLException | RuntimeException e) {
      softFailure(fetched.x5u(), "not a CRL: " + e.getMessage());
      return null;
    }
  }

  private List<CompletableFuture<FetchResult>> fetchAll(List<String> urls) {
    List<CompletableFuture<FetchResult>> fetches = new ArrayList<>(urls.size());
    for (String url : urls) {
      fetches.add(fetcher.fetch(url).toCompletableFuture());
    }
    return fetches;
  }

  /**
   * Runs {@code work} here if this is not the caller's thread, else hands it to the fetcher's
   * executor; never completes exceptionally.
   */
  private CompletionStage<CertificateValidation> offCaller(
      Thread caller, Supplier<CompletionStage<CertificateValidation>> work) {
    if (Thread.currentThread() != caller) {
      return safely(work);
    }
    CompletableFuture<CertificateValidation> result = new CompletableFuture<>();
    try {
      fetcher
          .executor()
          .execute(
              () -> safely(work).whenComplete((validation, error) -> result.complete(validation)));
    } catch (RejectedExecutionException e) {
      result.complete(
          new CertificateValidation.Invalid(
              StirFailure.CERTIFICATE_UNAVAILABLE,
              "certificate validation not started: fetch executor full or closed",
              true));
    }
    return result;
  }

  private static CompletionStage<CertificateValidation> safely(
      Supplier<CompletionStage<CertificateValidation>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(bug(e));
    }
  }

  /** Our bug: logged as such; the call gets an indeterminate failure rather than an exception. */
  private static CertificateValidation bug(Throwable e) {
    LOG.log(System.Logger.Level.ERROR, "certificate validation failed unexpectedly", e);
    return new CertificateValidation.Invalid(
        StirFailure.CERTIFICATE_UNAVAILABLE, "validation failed unexpectedly: " + e, true);
  }

  private static CertificateValidation.Invalid unavailable(FetchResult.Failed failed) {
    return new CertificateValidation.Invalid(
        StirFailure.CERTIFICATE_UNAVAILABLE,
        "x5u fetch failed: " + failed.kind() + ": " + failed.detail(),
        failed.kind().indeterminate());
  }

  private void softFailure(String url, String detail) {
    crlFailures.incrementAndGet();
    if (!LOG.isLoggable(System.Logger.Level.DEBUG)) {
      return;
    }
    long now = System.nanoTime();
    long next = nextDebugLog.get();
    if ((next == Long.MIN_VALUE || now - next >= 0)
        && nextDebugLog.compareAndSet(next, now + DEBUG_LOG_INTERVAL_NANOS)) {
      LOG.log(System.Logger.Level.DEBUG, "CRL not used (soft failure): " + detail + ": " + url);
    }
  }

  /**
   * The http and https URIs of the CRL distribution points of the chain's certificates, in order,
   * without duplicates, at most {@link #MAX_CRL_URLS}. A malformed extension is ignored: it is the
   * CA's signature, checked by PKIX, that matters.
   */
  static List<String> distributionPoints(CertificateChain chain) {
    Set<String> urls = new LinkedHashSet<>();
    for (X509Certificate certificate : chain.certificates()) {
      byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
      if (extension == null) {
        continue;
      }
      CRLDistPoint points;
      try {
        points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      } catch (IllegalArgumentException | IllegalStateException e) {
        continue;
      }
      for (DistributionPoint point : points.getDistributionPoints()) {
        DistributionPointName name = point.getDistributionPoint();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
          continue;
        }
        for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
          if (general.getTagNo() == GeneralName.uniformResourceIdentifier
              && isHttp(ASN1IA5String.getInstance(general.getName()).getString())) {
            urls.add(ASN1IA5String.getInstance(general.getName()).getString());
            if (urls.size() == MAX_CRL_URLS) {
              return List.copyOf(urls);
            }
          }
        }
      }
    }
    return List.copyOf(urls);
  }

  private static boolean isHttp(String uri) {
    try {
      String scheme = new URI(uri).getScheme();
      return scheme != null
          && (scheme.toLowerCase(Locale.ROOT).equals("https")
              || scheme.toLowerCase(Locale.ROOT).equals("http"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * A cached validation and what it was computed from.
   *
   * @param body the fetched x5u body (compared by identity)
   * @param chain the parsed chain, or null when the body did not parse
   * @param crlUrls the distribution point URLs followed
   * @param crlInputs per URL, the fetched CRL (compared by identity) or {@link #NO_CRL}
   * @param validation the result
   * @param validatedAt the instant it was validated at
   * @param notBefore for a Valid result, the latest {@code notBefore} on the path
   * @param notYetValid the detail of a NOT_YET_VALID result before {@code notBefore}
   * @param notAfter for a Valid result, the earliest {@code notAfter} on the path
   * @param expired the detail of an EXPIRED result after {@code notAfter}
   */
  private record Entry(
      FetchResult.Fetched body,
      CertificateChain chain,
      List<String> crlUrls,
      List<Object> crlInputs,
      CertificateValidation validation,
      Instant validatedAt,
      Instant notBefore,
      String notYetValid,
      Instant notAfter,
      String expired) {

    static Entry unparsable(
        FetchResult.Fetched body, CertificateValidation.Invalid invalid, Instant now) {
      return new Entry(body, null, List.of(), List.of(), invalid, now, null, null, null, null);
    }

    static Entry of(
        FetchResult.Fetched body,
        CertificateChain chain,
        List<String> crlUrls,
        List<Object> crlInputs,
        CertificateValidation validation,
        Instant now) {
      if (!(validation instanceof CertificateValidation.Valid valid)) {
        return new Entry(body, chain, crlUrls, crlInputs, validation, now, null, null, null, null);
      }
      // The certification path the validator checked.
      List<X509Certificate> path =
          StiCertificateValidator.pathFrom(valid.endEntity(), chain.certificates());
      int latestStart = 0;
      int earliestEnd = 0;
      for (int i = 1; i < path.size(); i++) {
        if (path.get(i).getNotBefore().after(path.get(latestStart).getNotBefore())) {
          latestStart = i;
        }
        if (path.get(i).getNotAfter().before(path.get(earliestEnd).getNotAfter())) {
          earliestEnd = i;
        }
      }
      Instant notBefore = path.get(latestStart).getNotBefore().toInstant();
      Instant notAfter = path.get(earliestEnd).getNotAfter().toInstant();
      return new Entry(
          body,
          chain,
          crlUrls,
          crlInputs,
          validation,
          now,
          notBefore,
          describe(path.get(latestStart), latestStart) + ": not valid before " + notBefore,
          notAfter,
          describe(path.get(earliestEnd), earliestEnd) + ": expired at " + notAfter);
    }

    /** Whether the CRLs fetched now are the ones this validation used. */
    boolean sameCrls(List<CompletableFuture<FetchResult>> crls) {
      for (int i = 0; i < crls.size(); i++) {
        FetchResult crl = crls.get(i).join();
        Object input = crl instanceof FetchResult.Fetched ? crl : NO_CRL;
        if (input != crlInputs.get(i)) {
          return false;
        }
      }
      return true;
    }

    /** The cached answer at {@code now}, or null when only validating again can tell. */
    CertificateValidation at(Instant now) {
      if (validation instanceof CertificateValidation.Valid) {
        if (now.isAfter(notAfter)) {
          return new CertificateValidation.Invalid(StirFailure.CERTIFICATE_EXPIRED, expired);
        }
        if (now.isBefore(notBefore)) {
          return new CertificateValidation.Invalid(
              StirFailure.CERTIFICATE_NOT_YET_VALID, notYetValid);
        }
        return validation;
      }
      StirFailure failure = ((CertificateValidation.Invalid) validation).failure();
      // Expired stays expired as time moves on, and not yet valid stays so going back; the other
      // failures (untrusted, no TNAuthList, unparsable) do not depend on the instant.
      if (failure == StirFailure.CERTIFICATE_EXPIRED && now.isBefore(validatedAt)) {
        return null;
      }
      if (failure == StirFailure.CERTIFICATE_NOT_YET_VALID && now.isAfter(validatedAt)) {
        return null;
      }
      return validation;
    }
  }

  private static String describe(X509Certificate certificate, int index) {
    return "certificate "
        + index
        + (index == 0 ? " (end-entity " : " (")
        + certificate.getSubjectX500Principal().getName()
        + ")";
  }
}
