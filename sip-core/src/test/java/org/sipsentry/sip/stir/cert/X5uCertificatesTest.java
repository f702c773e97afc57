package org.sipsentry.sip.stir.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.fetch.AddressClass;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchListener;
import org.sipsentry.sip.stir.fetch.FetchSettings;
import org.sipsentry.sip.stir.fetch.TestHttpServer;

class X5uCertificatesTest {

  private static final long WAIT_SECONDS = 10;
  private static final AtomicLong SERIALS = new AtomicLong(7_000_000);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final StiCertificateValidator validator =
      new StiCertificateValidator(
          TrustAnchors.of(TestPki.root().certificate()), RevocationLists.none());

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  @Test
  void certificate_validChainOverHttps_isValidWithItsSpc() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", standardChain());
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation validation =
        get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));

    assertThat(validation)
        .isInstanceOfSatisfying(
            CertificateValidation.Valid.class,
            valid -> {
              assertThat(valid.spcs()).containsExactly(TestPki.SPC);
              assertThat(valid.endEntity()).isEqualTo(TestPki.endEntity().certificate());
            });
  }

  @Test
  void certificate_validChainOverLabHttp_isValid() throws Exception {
    TestHttpServer server = server(TestHttpServer.http()).serve("/sp.pem", standardChain());
    X5uCertificates certificates = certificates(lab(server).allowHttp(true));

    assertThat(get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW)))
        .isInstanceOf(CertificateValidation.Valid.class);
  }

  static Stream<Arguments> brokenChains() {
    return Stream.of(
        Arguments.of(
            "expired",
            (Supplier<TestPki.Issued>) TestPki::expiredEndEntity,
            StirFailure.CERTIFICATE_EXPIRED),
        Arguments.of(
            "not yet valid",
            (Supplier<TestPki.Issued>) TestPki::notYetValidEndEntity,
            StirFailure.CERTIFICATE_NOT_YET_VALID),
        Arguments.of(
            "untrusted",
            (Supplier<TestPki.Issued>) TestPki::endEntityUnderOtherRoot,
            StirFailure.CERTIFICATE_UNTRUSTED),
        Arguments.of(
            "no TNAuthList",
            (Supplier<TestPki.Issued>) TestPki::endEntityWithoutTnAuthList,
            StirFailure.NO_TN_AUTH_LIST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenChains")
  void certificate_brokenChain_isItsFailure(
      String name, Supplier<TestPki.Issued> endEntity, StirFailure expected) throws Exception {
    TestPki.Issued issued = endEntity.get();
    X509Certificate intermediate =
        expected == StirFailure.CERTIFICATE_UNTRUSTED
            ? TestPki.otherRoot().intermediate().certificate()
            : TestPki.intermediate().certificate();
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", TestPki.pemBytes(issued.certificate(), intermediate));
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation validation =
        get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));

    assertInvalid(validation, expected);
    assertThat(((CertificateValidation.Invalid) validation).indeterminate()).isFalse();
  }

  @Test
  void certificate_bodyNotACertificate_isUntrusted() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/sp.pem", "<html>hello</html>".getBytes(StandardCharsets.US_ASCII));
    X5uCertificates certificates = certificates(lab(server));

    assertInvalid(
        get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW)),
        StirFailure.CERTIFICATE_UNTRUSTED);
  }

  @Test
  void certificate_cachedValid_isReCheckedAgainstNowWithoutFetchingAgain() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", standardChain());
    X5uCertificates certificates = certificates(lab(server));
    String x5u = server.url("/sp.pem");
    assertThat(get(certificates.certificate(x5u, TestPki.NOW)))
        .isInstanceOf(CertificateValidation.Valid.class);
    Instant notAfter = TestPki.endEntity().certificate().getNotAfter().toInstant();
    Instant notBefore = TestPki.endEntity().certificate().getNotBefore().toInstant();

    CompletionStage<CertificateValidation> later =
        certificates.certificate(x5u, notAfter.plusSeconds(1));
    CompletionStage<CertificateValidation> earlier =
        certificates.certificate(x5u, notBefore.minusSeconds(1));
    CompletionStage<CertificateValidation> again = certificates.certificate(x5u, TestPki.NOW);

    assertThat(later.toCompletableFuture()).isDone();
    assertInvalid(get(later), StirFailure.CERTIFICATE_EXPIRED);
    assertThat(((CertificateValidation.Invalid) get(later)).detail())
        .contains("certificate 0 (end-entity", "expired at " + notAfter);
    assertThat(earlier.toCompletableFuture()).isDone();
    assertInvalid(get(earlier), StirFailure.CERTIFICATE_NOT_YET_VALID);
    assertThat(again.toCompletableFuture()).isDone();
    assertThat(get(again)).isInstanceOf(CertificateValidation.Valid.class);
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
  }

  @Test
  void certificate_cachedValid_endsWithTheEarliestExpiryOnThePath() throws Exception {
    // An intermediate that expires before the end-entity bounds the cached answer.
    TestPki.Hierarchy hierarchy = TestPki.hierarchy("Short");
    TestPki.Issued shortIntermediate =
        issue(
            hierarchy.root(),
            "Short-lived Intermediate",
            TestPki.NOW.minus(Duration.ofDays(10)),
            TestPki.NOW.plus(Duration.ofDays(10)),
            true,
            null);
    TestPki.Issued endEntity =
        issue(
            shortIntermediate,
            "SHAKEN 1234 short",
            TestPki.NOW.minus(Duration.ofDays(5)),
            TestPki.NOW.plus(Duration.ofDays(300)),
            false,
            null);
    TestHttpServer server = server(TestHttpServer.https());
    server.serve(
        "/sp.pem", TestPki.pemBytes(endEntity.certificate(), shortIntermediate.certificate()));
    X5uCertificates certificates =
        new X5uCertificates(
            fetcher(lab(server)),
            new StiCertificateValidator(
                TrustAnchors.of(hierarchy.root().certificate()), RevocationLists.none()),
            100);
    String x5u = server.url("/sp.pem");
    assertThat(get(certificates.certificate(x5u, TestPki.NOW)))
        .isInstanceOfSatisfying(
            CertificateValidation.Valid.class,
            valid ->
                assertThat(valid.pathNotAfter())
                    .isEqualTo(shortIntermediate.certificate().getNotAfter().toInstant()));

    CertificateValidation later =
        get(certificates.certificate(x5u, TestPki.NOW.plus(Duration.ofDays(11))));

    assertInvalid(later, StirFailure.CERTIFICATE_EXPIRED);
    assertThat(((CertificateValidation.Invalid) later).detail())
        .contains("certificate 1 (", "CN=Short-lived Intermediate", "expired at");
  }

  @Test
  void certificate_cachedInvalid_isServedFromTheCache() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve(
        "/sp.pem",
        TestPki.pemBytes(
            TestPki.endEntityWithoutTnAuthList().certificate(),
            TestPki.intermediate().certificate()));
    X5uCertificates certificates = certificates(lab(server));
    get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));

    CompletionStage<CertificateValidation> again =
        certificates.certificate(server.url("/sp.pem"), TestPki.NOW);

    assertThat(again.toCompletableFuture()).isDone();
    assertInvalid(get(again), StirFailure.NO_TN_AUTH_LIST);
  }

  @Test
  void certificate_fetchedBeforeButNotValidated_isValidatedOffTheCallersThread() throws Exception {
    TestHttpServer server = server(TestHttpServer.https()).serve("/sp.pem", standardChain());
    CertificateFetcher fetcher = fetcher(lab(server).threads(1));
    X5uCertificates certificates = new X5uCertificates(fetcher, validator, 100);
    fetcher.fetch(server.url("/sp.pem")).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    String caller = Thread.currentThread().getName();
    // Hold the executor's only thread, so that the validation cannot finish before the callback
    // below is attached (which would run the callback here and hide where validation ran).
    CountDownLatch release = new CountDownLatch(1);
    fetcher.executor().execute(() -> await(release));

    CompletableFuture<String> validatedOnStage =
        certificates
            .certificate(server.url("/sp.pem"), TestPki.NOW)
            .thenApply(validation -> Thread.currentThread().getName())
            .toCompletableFuture();
    assertThat(validatedOnStage).isNotDone();
    release.countDown();
    String validatedOn = validatedOnStage.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(validatedOn).startsWith("sipsentry-x5u-").isNotEqualTo(caller);
  }

  @Test
  void certificate_fetchFailure_isUnavailableAndAsIndeterminateAsTheFailure() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    server.serve("/missing.pem", 404, Map.of(), new byte[0]);
    server.serve("/down.pem", 503, Map.of(), new byte[0]);
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation missing =
        get(certificates.certificate(server.url("/missing.pem"), TestPki.NOW));
    CertificateValidation down =
        get(certificates.certificate(server.url("/down.pem"), TestPki.NOW));

    assertThat(missing)
        .isEqualTo(
            new CertificateValidation.Invalid(
                StirFailure.CERTIFICATE_UNAVAILABLE,
                "x5u fetch failed: HTTP_STATUS: HTTP 404",
                false));
    assertInvalid(down, StirFailure.CERTIFICATE_UNAVAILABLE);
    assertThat(((CertificateValidation.Invalid) down).indeterminate()).isTrue();
  }

  @Test
  void certificate_forbiddenAddressWithDefaults_isUnavailableAndDeterminate() throws Exception {
    X5uCertificates certificates =
        new X5uCertificates(fetcher(FetchSettings.builder()), validator, 100);

    CertificateValidation validation =
        get(certificates.certificate("https://169.254.169.254/latest/meta-data", TestPki.NOW));

    assertInvalid(validation, StirFailure.CERTIFICATE_UNAVAILABLE);
    assertThat(((CertificateValidation.Invalid) validation).detail()).contains("FORBIDDEN_ADDRESS");
    assertThat(((CertificateValidation.Invalid) validation).indeterminate()).isFalse();
  }

  @Test
  void certificate_slowServer_doesNotDelayUnrelatedLookups() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestHttpServer slow = server(TestHttpServer.https());
    slow.handle("/sp.pem", exchange -> await(release));
    TestHttpServer fast = server(TestHttpServer.https());
    fast.serve("/cached.pem", standardChain()).serve("/fresh.pem", standardChain());
    X5uCertificates certificates =
        certificates(
            lab(fast)
                .allowedPorts(Set.of(slow.port(), fast.port()))
                .timeout(Duration.ofSeconds(30)));
    try {
      get(certificates.certificate(fast.url("/cached.pem"), TestPki.NOW));

      CompletionStage<CertificateValidation> stalled =
          certificates.certificate(slow.url("/sp.pem"), TestPki.NOW);
      CompletionStage<CertificateValidation> cached =
          certificates.certificate(fast.url("/cached.pem"), TestPki.NOW);
      CertificateValidation fresh =
          get(certificates.certificate(fast.url("/fresh.pem"), TestPki.NOW));

      assertThat(cached.toCompletableFuture()).isDone();
      assertThat(get(cached)).isInstanceOf(CertificateValidation.Valid.class);
      assertThat(fresh).isInstanceOf(CertificateValidation.Valid.class);
      assertThat(stalled.toCompletableFuture()).isNotDone();
    } finally {
      release.countDown();
    }
  }

  @Test
  void certificate_concurrentCallsForOneUrl_shareOneFetch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    byte[] chain = standardChain();
    TestHttpServer server = server(TestHttpServer.https());
    server.handle(
        "/sp.pem",
        exchange -> {
          await(release);
          exchange.sendResponseHeaders(200, chain.length);
          exchange.getResponseBody().write(chain);
        });
    X5uCertificates certificates = certificates(lab(server));
    List<CompletionStage<CertificateValidation>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        calls.add(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));
      }
    } finally {
      release.countDown();
    }

    for (CompletionStage<CertificateValidation> call : calls) {
      assertThat(get(call)).isInstanceOf(CertificateValidation.Valid.class);
    }
    assertThat(server.requests("/sp.pem")).isEqualTo(1);
  }

  // --- CRL distribution points ----------------------------------------------------------------

  @Test
  void certificate_revokedByTheCrlAtItsDistributionPoint_isUntrusted() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    TestPki.Issued endEntity = endEntityWithCrlAt(server.url("/intermediate.crl"));
    server.serve("/sp.pem", chainOf(endEntity));
    server.serve(
        "/intermediate.crl",
        TestPki.crl(TestPki.intermediate(), endEntity.certificate()).getEncoded());
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation validation =
        get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));

    assertInvalid(validation, StirFailure.CERTIFICATE_UNTRUSTED);
    assertThat(((CertificateValidation.Invalid) validation).detail()).contains("revoked");
    assertThat(server.requests("/intermediate.crl")).isEqualTo(1);
    assertThat(certificates.crlFailures()).isZero();
  }

  @Test
  void certificate_notOnTheCrlAtItsDistributionPoint_isValidAndTheCrlCached() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    TestPki.Issued endEntity = endEntityWithCrlAt(server.url("/intermediate.crl"));
    server.serve("/sp.pem", chainOf(endEntity));
    server.serve(
        "/intermediate.crl",
        TestPki.pem(TestPki.crl(TestPki.intermediate(), TestPki.expiredEndEntity().certificate()))
            .getBytes(StandardCharsets.US_ASCII));
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation first = get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));
    CompletionStage<CertificateValidation> second =
        certificates.certificate(server.url("/sp.pem"), TestPki.NOW);

    assertThat(first).isInstanceOf(CertificateValidation.Valid.class);
    assertThat(second.toCompletableFuture()).isDone();
    assertThat(get(second)).isInstanceOf(CertificateValidation.Valid.class);
    assertThat(server.requests("/intermediate.crl")).isEqualTo(1);
  }

  @Test
  void certificate_crlCannotBeFetched_isValidatedWithoutItAndCounted() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    TestPki.Issued endEntity = endEntityWithCrlAt(server.url("/intermediate.crl"));
    server.serve("/sp.pem", chainOf(endEntity));
    server.serve("/intermediate.crl", 503, Map.of(), new byte[0]);
    X5uCertificates certificates = certificates(lab(server));

    CertificateValidation validation =
        get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW));

    assertThat(validation).isInstanceOf(CertificateValidation.Valid.class);
    assertThat(certificates.crlFailures()).isEqualTo(1);
  }

  @Test
  void certificate_crlBodyNotACrl_isValidatedWithoutItAndCounted() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    TestPki.Issued endEntity = endEntityWithCrlAt(server.url("/intermediate.crl"));
    server.serve("/sp.pem", chainOf(endEntity));
    server.serve("/intermediate.crl", "garbage".getBytes(StandardCharsets.US_ASCII));
    X5uCertificates certificates = certificates(lab(server));

    assertThat(get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW)))
        .isInstanceOf(CertificateValidation.Valid.class);
    assertThat(certificates.crlFailures()).isEqualTo(1);
  }

  @Test
  void certificate_crlUrlTheFetcherRefuses_isDroppedOnce() throws Exception {
    TestHttpServer server = server(TestHttpServer.https());
    // http is refused by a fetcher that only allows https.
    TestPki.Issued endEntity = endEntityWithCrlAt("http://127.0.0.1:" + server.port() + "/i.crl");
    server.serve("/sp.pem", chainOf(endEntity));
    X5uCertificates certificates = certificates(lab(server));

    assertThat(get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW)))
        .isInstanceOf(CertificateValidation.Valid.class);
    assertThat(get(certificates.certificate(server.url("/sp.pem"), TestPki.NOW)))
        .isInstanceOf(CertificateValidation.Valid.class);
    assertThat(certificates.crlFailures()).isEqualTo(1);
  }

  @Test
  void distributionPoints_areTheHttpUrisOfTheChainAtMostFour() {
    List<String> urls = new ArrayList<>();
    List<X509Certificate> chain = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      urls.add("https://crl.example.com/" + i + ".crl");
      chain.add(endEntityWithCrlAt(urls.get(i)).certificate());
    }
    chain.add(endEntityWithCrlAt("ldap://ldap.example.com/cn=crl").certificate());

    assertThat(X5uCertificates.distributionPoints(new CertificateChain(chain.subList(6, 7))))
        .isEmpty();
    assertThat(X5uCertificates.distributionPoints(new CertificateChain(chain)))
        .containsExactlyElementsOf(urls.subList(0, X5uCertificates.MAX_CRL_URLS));
    assertThat(
            X5uCertificates.distributionPoints(
                CertificateChain.of(TestPki.endEntity().certificate())))
        .isEmpty();
  }

  // --- Helpers ---------------------------------------------------------------------------------

  private static FetchSettings.Builder lab(TestHttpServer server) {
    return FetchSettings.builder()
        .allowedPorts(Set.of(server.port()))
        .allowedAddressClasses(Set.of(AddressClass.LOOPBACK))
        .sslContext(TestHttpServer.clientSslContext())
        .timeout(Duration.ofSeconds(5));
  }

  private CertificateFetcher fetcher(FetchSettings.Builder settings) {
    return closing(new CertificateFetcher(settings.build(), FetchListener.NONE));
  }

  private X5uCertificates certificates(FetchSettings.Builder settings) {
    return new X5uCertificates(fetcher(settings), validator, 100);
  }

  private TestHttpServer server(TestHttpServer server) {
    return closing(server);
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private static byte[] standardChain() {
    return chainOf(TestPki.endEntity());
  }

  private static byte[] chainOf(TestPki.Issued endEntity) {
    return TestPki.pemBytes(endEntity.certificate(), TestPki.intermediate().certificate());
  }

  private static CertificateValidation get(CompletionStage<CertificateValidation> stage)
      throws Exception {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void assertInvalid(CertificateValidation validation, StirFailure failure) {
    assertThat(validation)
        .isInstanceOfSatisfying(
            CertificateValidation.Invalid.class,
            invalid -> assertThat(invalid.failure()).isEqualTo(failure));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS * 3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The standard SP end-entity's twin with a CRL distribution point at {@code url}. */
  private static TestPki.Issued endEntityWithCrlAt(String url) {
    return issue(
        TestPki.intermediate(),
        "SHAKEN 1234 crldp",
        TestPki.NOW.minus(Duration.ofDays(30)),
        TestPki.NOW.plus(Duration.ofDays(335)),
        false,
        url);
  }

  /** A CA (without TNAuthList) or an SP end-entity (with SPC 1234), optionally with a CRL DP. */
  private static TestPki.Issued issue(
      TestPki.Issued issuer,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      String crlUrl) {
    KeyPair keys = TestPki.ecKeyPair();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer.certificate(),
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + commonName + ", O=SipSentry Test, C=US"),
              keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(issuer.certificate()));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      if (ca) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(TestPki.TN_AUTH_LIST, false, TestPki.tnAuthListSpc(TestPki.SPC));
      }
      if (crlUrl != null) {
        GeneralNames names =
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
        builder.addExtension(
            Extension.cRLDistributionPoints,
            false,
            new CRLDistPoint(
                new DistributionPoint[] {
                  new DistributionPoint(new DistributionPointName(names), null, null)
                }));
      }
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey())));
      return new TestPki.Issued(certificate, keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
