package org.sipsentry.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * ES256 signature verification on one thread: {@link #jca} once per JCA provider (what each
 * candidate of {@link Es256} would give), {@link #es256Shared} through {@link Es256#shared()} as
 * the verifier calls it (R‖S to DER, per-thread {@code Signature}, the provider it chose).
 *
 * <p>The input is the signing input of a typical SHAKEN PASSporT (about 330 bytes). Each setup
 * checks that the signature verifies, so a broken provider cannot post a fast "false".
 *
 * <p>Run with {@code scripts/bench.sh Es256Benchmark}; figures in {@code docs/PERFORMANCE.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class Es256Benchmark {

  /** A JWS signing input of the size a SHAKEN PASSporT has: base64url header "." payload. */
  static final byte[] SIGNING_INPUT =
      ("eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9j"
              + "ZXJ0cy5leGFtcGxlLm5ldC9zcC5wZW0ifQ.eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIzMzk4"
              + "NzY1NDMyMSJdfSwiaWF0IjoxNzcyMzY2Mzk1LCJvcmlnIjp7InRuIjoiMzM2MTIzNDU2NzgifSwib3Jp"
              + "Z2lkIjoiMTIzZTQ1NjctZTg5Yi0xMmQzLWE0NTYtNDI2NjE0MTc0MDAwIn0")
          .getBytes(StandardCharsets.US_ASCII);

  /** One JCA provider's verifier, with the key already converted to that provider's type. */
  @State(Scope.Thread)
  public static class PerProvider {

    @Param({"ACCP", "BouncyCastle", "SunEC"})
    public String provider;

    Signature signature;
    PublicKey key;
    byte[] der;

    @Setup
    public void setUp() throws GeneralSecurityException {
      Provider p = provider(provider);
      KeyPair pair = TestPki.ecKeyPair();
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(SIGNING_INPUT);
      der = signer.sign();
      key =
          KeyFactory.getInstance("EC", p)
              .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
      signature = Signature.getInstance("SHA256withECDSA", p);
      if (!verify(this)) {
        throw new IllegalStateException(provider + " does not verify a good signature");
      }
    }

    private static Provider provider(String name) {
      return switch (name) {
        case "ACCP" -> {
          AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
          if (accp.getLoadingError() != null) {
            throw new IllegalStateException("ACCP did not load", accp.getLoadingError());
          }
          accp.assertHealthy();
          yield accp;
        }
        case "BouncyCastle" -> new BouncyCastleProvider();
        case "SunEC" -> Security.getProvider("SunEC");
        default -> throw new IllegalArgumentException("unknown provider " + name);
      };
    }
  }

  /** {@link Es256#shared()} with an R‖S signature, as {@code StirVerifier} uses it. */
  @State(Scope.Thread)
  public static class Shared {

    Es256 es256;
    PublicKey key;
    byte[] raw;

    @Setup
    public void setUp() {
      es256 = Es256.shared();
      KeyPair pair = TestPki.ecKeyPair();
      key = pair.getPublic();
      raw = es256.sign(pair.getPrivate(), SIGNING_INPUT);
      if (!es256.verify(key, SIGNING_INPUT, raw)) {
        throw new IllegalStateException(es256.providerName() + " does not verify a good signature");
      }
      System.out.println("Es256.shared() provider: " + es256.providerName());
    }
  }

  @Benchmark
  public boolean jca(PerProvider state) throws GeneralSecurityException {
    return verify(state);
  }

  @Benchmark
  public boolean es256Shared(Shared state) {
    return state.es256.verify(state.key, SIGNING_INPUT, state.raw);
  }

  private static boolean verify(PerProvider state) throws GeneralSecurityException {
    state.signature.initVerify(state.key);
    state.signature.update(SIGNING_INPUT);
    return state.signature.verify(state.der);
  }
}
