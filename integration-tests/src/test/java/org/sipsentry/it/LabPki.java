package org.sipsentry.it;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipsentry.sip.stir.Attestation;
import org.sipsentry.sip.stir.CanonicalTn;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * A STIR/SHAKEN PKI for the lab: a root (written as the proxy's trust anchor), an intermediate and
 * a service provider's certificate for SPC {@link TestPki#SPC}, made now and valid now (TestPki's
 * own certificates are valid around a fixed date, while a PASSporT's iat must be within a minute of
 * the proxy's clock). The chain is served over plain HTTP by the JDK's HttpServer on 127.0.0.1, at
 * {@link #x5u()}.
 */
final class LabPki implements AutoCloseable {

  private final Path anchors;
  private final HttpServer server;
  private final AtomicInteger requests;
  private final PrivateKey key;

  private LabPki(Path anchors, HttpServer server, AtomicInteger requests, PrivateKey key) {
    this.anchors = anchors;
    this.server = server;
    this.requests = requests;
    this.key = key;
  }

  /** Makes the PKI named {@code name}, writes its root into {@code dir/sti-ca}, serves it. */
  static LabPki start(String name, Path dir) throws Exception {
    Instant now = Instant.now();
    TestPki.Hierarchy pki = TestPki.hierarchy(name);
    TestPki.Issued sp =
        TestPki.endEntity(
            pki.intermediate(),
            "SHAKEN " + TestPki.SPC,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)),
            TestPki.ecKeyPair(),
            TestPki.tnAuthListSpc(TestPki.SPC),
            false);
    Path anchors = dir.resolve("sti-ca");
    TestPki.writePem(anchors.resolve("root.pem"), TestPki.pem(pki.root().certificate()));

    byte[] chain = TestPki.pemBytes(sp.certificate(), pki.intermediate().certificate());
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/sp.pem",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/pem-certificate-chain");
          exchange.sendResponseHeaders(200, chain.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(chain);
          }
        });
    server.start();
    return new LabPki(anchors, server, requests, sp.privateKey());
  }

  /** The folder of the trust anchor, for the config's {@code stir.trust-anchors}. */
  Path anchors() {
    return anchors;
  }

  /** The certificate server's port, for the config's {@code stir.fetch.allowed-ports}. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The URL of the service provider's certificate chain. */
  String x5u() {
    return "http://127.0.0.1:" + port() + "/sp.pem";
  }

  /** How many times the certificate chain was fetched. */
  int certificateRequests() {
    return requests.get();
  }

  /**
   * An Identity header value for a call from {@code caller} to {@code callee} (digits, no {@code
   * +}), signed now by the service provider with attestation {@code attest} and certificate URL
   * {@code x5u}.
   */
  String identity(Attestation attest, String x5u, String caller, String callee, String origid) {
    return identity(attest, x5u, caller, callee, origid, Instant.now());
  }

  /** As {@link #identity(Attestation, String, String, String, String)}, issued at {@code iat}. */
  String identity(
      Attestation attest, String x5u, String caller, String callee, String origid, Instant iat) {
    return new PassportSigner(key, x5u, Es256.shared())
        .identity(
            attest,
            CanonicalTn.parse(caller).orElseThrow(),
            List.of(CanonicalTn.parse(callee).orElseThrow()),
            iat,
            origid);
  }

  /** Writes the service provider's private key as PEM to {@code file}, for {@code stir.signing}. */
  Path writeKey(Path file) {
    return TestPki.writePem(file, TestPki.pem(key));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
