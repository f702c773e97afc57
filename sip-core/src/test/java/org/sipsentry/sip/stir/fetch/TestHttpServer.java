package org.sipsentry.sip.stir.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate repository for tests: the JDK's {@code HttpServer} or {@code HttpsServer} on
 * 127.0.0.1, an ephemeral port, a handler per path, and a count of the requests each path got.
 *
 * <p>The HTTPS server presents a certificate for IP 127.0.0.1 (and {@code localhost}) issued by a
 * throw-away TLS CA made with BouncyCastle at class load; {@link #clientSslContext()} trusts that
 * CA only. TLS checks validity against the real clock, so these certificates are valid around the
 * real now (unlike {@code TestPki}'s, which are pinned to {@code TestPki.NOW}).
 */
public final class TestHttpServer implements AutoCloseable {

  private static final char[] PASSWORD = "changeit".toCharArray();

  private final HttpServer server;
  private final ExecutorService handlers;
  private final String scheme;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  private TestHttpServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    this.handlers =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "test-http-server");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(handlers);
    server.start();
  }

  /** A plain HTTP server (lab mode). */
  public static TestHttpServer http() {
    try {
      return new TestHttpServer(HttpServer.create(loopback(), 0), "http");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTPS server whose certificate {@link #clientSslContext()} trusts. */
  public static TestHttpServer https() {
    try {
      HttpsServer server = HttpsServer.create(loopback(), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(Tls.SERVER));
      return new TestHttpServer(server, "https");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client TLS context that trusts the test servers' CA (and nothing else). */
  public static SSLContext clientSslContext() {
    return Tls.CLIENT;
  }

  /** The server's port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code scheme://127.0.0.1:port/path}; {@code path} starts with a slash. */
  public String url(String path) {
    return scheme + "://127.0.0.1:" + port() + path;
  }

  /** Serves {@code body} with status 200 at {@code path}. */
  public TestHttpServer serve(String path, byte[] body) {
    return serve(path, 200, Map.of(), body);
  }

  /** Serves a fixed response at {@code path}, with a Content-Length. */
  public TestHttpServer serve(String path, int status, Map<String, String> headers, byte[] body) {
    return handle(
        path,
        exchange -> {
          headers.forEach(exchange.getResponseHeaders()::set);
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
  }

  /** Handles {@code path} (and only it) with {@code handler}; requests are counted first. */
  public TestHttpServer handle(String path, HttpHandler handler) {
    AtomicInteger count = requests.computeIfAbsent(path, p -> new AtomicInteger());
    server.createContext(
        path,
        exchange -> {
          try (HttpExchange closing = exchange) {
            if (!closing.getRequestURI().getPath().equals(path)) {
              closing.sendResponseHeaders(404, -1);
              return;
            }
            count.incrementAndGet();
            handler.handle(closing);
          }
        });
    return this;
  }

  /** How many requests {@code path} got. */
  public int requests(String path) {
    AtomicInteger count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** The TLS CA and server certificate, made once. */
  private static final class Tls {
    static final SSLContext SERVER;
    static final SSLContext CLIENT;

    static {
      try {
        Instant now = Instant.now();
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=SipSentry Test TLS CA");
        X509v3CertificateBuilder ca =
            new JcaX509v3CertificateBuilder(
                caName,
                BigInteger.ONE,
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                caName,
                caKeys.getPublic());
        ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

        KeyPair serverKeys = ecKeys();
        X509v3CertificateBuilder leaf =
            new JcaX509v3CertificateBuilder(
                caName,
                BigInteger.TWO,
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=127.0.0.1"),
                serverKeys.getPublic());
        leaf.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost")
                }));
        leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        leaf.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate serverCertificate = sign(leaf, caKeys.getPrivate());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "server",
            serverKeys.getPrivate(),
            PASSWORD,
            new Certificate[] {serverCertificate, caCertificate});
        KeyManagerFactory keyManagers =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SERVER = SSLContext.getInstance("TLS");
        SERVER.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", caCertificate);
        TrustManagerFactory trustManagers =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        CLIENT = SSLContext.getInstance("TLS");
        CLIENT.init(null, trustManagers.getTrustManagers(), null);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot make the test TLS certificates", e);
      }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
        throws GeneralSecurityException {
      try {
        return new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
      } catch (OperatorCreationException e) {
        throw new GeneralSecurityException(e);
      }
    }
  }
}
