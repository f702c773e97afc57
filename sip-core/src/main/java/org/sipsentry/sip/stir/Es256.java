package org.sipsentry.sip.stir;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ES256 (RFC 7518 §3.4): ECDSA over P-256 with SHA-256, the signature being the 64-byte
 * concatenation R‖S rather than JCA's DER {@code SEQUENCE { r, s }}.
 *
 * <p>The JCA provider is chosen once: Amazon Corretto Crypto Provider (AWS-LC, ~15× SunEC on JDK
 * 17) where its native library loads and passes its self-tests, else BouncyCastle, else whatever
 * JDK provider offers {@code SHA256withECDSA}. {@link Signature} objects are not thread-safe and
 * costly to look up, so each thread keeps its own.
 */
public final class Es256 {

  /** JWS signature length for ES256: two 32-byte big-endian integers (RFC 7518 §3.4). */
  public static final int SIGNATURE_LENGTH = 64;

  private static final int HALF = SIGNATURE_LENGTH / 2;

  private static final String ALGORITHM = "SHA256withECDSA";

  /** The order n of P-256 (SEC 2 §2.4.2), to recognise the curve whatever the key's class. */
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /** A provider to try, in order. The supplier may throw: the candidate is then skipped. */
  record Candidate(String name, Supplier<Provider> provider) {}

  private static final class Shared {
    static final Es256 INSTANCE = new Es256(defaultCandidates());
  }

  private final Provider provider;
  private final List<String> skipped;
  private final ThreadLocal<Signature> signatures;

  Es256(List<Candidate> candidates) {
    List<String> reasons = new ArrayList<>();
    Provider chosen = null;
    for (Candidate candidate : candidates) {
      try {
        Provider p = candidate.provider().get();
        Signature.getInstance(ALGORITHM, p);
        chosen = p;
        break;
      } catch (NoSuchAlgorithmException | RuntimeException | LinkageError e) {
        // A native library that fails to load surfaces as LinkageError or a RuntimeException.
        reasons.add(candidate.name() + ": " + e);
      }
    }
    if (chosen == null) {
      throw new IllegalStateException("no provider offers " + ALGORITHM + ": " + reasons);
    }
    this.provider = chosen;
    this.skipped = List.copyOf(reasons);
    Provider p = chosen;
    this.signatures =
        ThreadLocal.withInitial(
            () -> {
              try {
                return Signature.getInstance(ALGORITHM, p);
              } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(p.getName() + " lost " + ALGORITHM, e);
              }
            });
  }

  /** The instance shared by the process, created on first use. */
  public static Es256 shared() {
    return Shared.INSTANCE;
  }

  /** ACCP, then BouncyCastle, then the JDK. */
  static List<Candidate> defaultCandidates() {
    return List.of(
        new Candidate("AmazonCorrettoCryptoProvider", Es256::corretto),
        new Candidate("BouncyCastle", BouncyCastleProvider::new),
        new Candidate("JDK", Es256::jdk));
  }

  private static Provider corretto() {
    AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
    if (accp.getLoadingError() != null) {
      throw new IllegalStateException("did not load", accp.getLoadingError());
    }
    accp.assertHealthy();
    return accp;
  }

  private static Provider jdk() {
    Provider[] providers = Security.getProviders("Signature." + ALGORITHM);
    if (providers == null) {
      throw new IllegalStateException("no JDK provider");
    }
    return providers[0];
  }

  /** The provider in use, e.g. {@code AmazonCorrettoCryptoProvider}, for start-up logs. */
  public String providerName() {
    return provider.getName();
  }

  /** The candidates passed over before {@link #providerName()}, with why; for start-up logs. */
  public List<String> skipped() {
    return skipped;
  }

  /** True when {@code key} is an EC key on P-256 (secp256r1), the only curve ES256 allows. */
  public static boolean isP256(Key key) {
    if (!(key instanceof ECKey ec)) {
      return false;
    }
    ECParameterSpec params = ec.getParams();
    return params != null
        && params.getCofactor() == 1
        && P256_ORDER.equals(params.getOrder())
        && params.getCurve().getField().getFieldSize() == 256;
  }

  /**
   * Verifies an ES256 signature.
   *
   * @param key a P-256 public key
   * @param signingInput the JWS signing input bytes
   * @param signature the JWS signature: exactly 64 bytes R‖S; anything else (a DER signature, as
   *     some carriers send) does not verify
   * @return whether the signature is valid
   * @throws IllegalArgumentException when the key is not a P-256 EC key usable by the provider
   */
  public boolean verify(PublicKey key, byte[] signingInput, byte[] signature) {
    Objects.requireNonNull(key, "key");
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    Signature verifier = signatures.get();
    try {
      initVerify(verifier, key);
      verifier.update(signingInput);
      return verifier.verify(rawToDer(signature));
    } catch (SignatureException e) {
      return false;
    }
  }

  /**
   * Signs with ES256.
   *
   * @return the 64-byte R‖S signature
   * @throws IllegalArgumentException when the key is not a P-256 EC private key
   */
  public byte[] sign(PrivateKey key, byte[] signingInput) {
    if (!isP256(key)) {
      throw new IllegalArgumentException("ES256 needs a P-256 EC private key");
    }
    Signature signer = signatures.get();
    try {
      signer.initSign(key);
      signer.update(signingInput);
      return derToRaw(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(provider.getName() + " cannot sign with this key", e);
    }
  }

  private void initVerify(Signature verifier, PublicKey key) {
    if (!isP256(key)) {
      throw new IllegalArgumentException("ES256 needs a P-256 EC public key");
    }
    try {
      verifier.initVerify(key);
    } catch (InvalidKeyException e) {
      // A key object from another provider: hand this provider the encoded key instead.
      try {
        KeyFactory factory = KeyFactory.getInstance("EC", provider);
        verifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(key.getEncoded())));
      } catch (GeneralSecurityException again) {
        throw new IllegalArgumentException(provider.getName() + " rejects this key", again);
      }
    }
  }

  /** R‖S (two unsigned 32-byte integers) to DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
  static byte[] rawToDer(byte[] raw) {
    if (raw.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("R||S must be " + SIGNATURE_LENGTH + " bytes");
    }
    byte[] r = derInteger(raw, 0);
    byte[] s = derInteger(raw, HALF);
    // At most 2 × (2 + 33) = 70 content bytes: the short length form always suffices.
    byte[] der = new byte[2 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, der, 2, r.length);
    System.arraycopy(s, 0, der, 2 + r.length, s.length);
    return der;
  }

  private static byte[] derInteger(byte[] raw, int offset) {
    int start = offset;
    int end = offset + HALF;
    while (start < end - 1 && raw[start] == 0) {
      start++;
    }
    int length = end - start;
    boolean pad = (raw[start] & 0x80) != 0;
    byte[] out = new byte[2 + (pad ? 1 : 0) + length];
    out[0] = 0x02;
    out[1] = (byte) (length + (pad ? 1 : 0));
    System.arraycopy(raw, start, out, pad ? 3 : 2, length);
    return out;
  }

  /**
   * DER {@code SEQUENCE { INTEGER r, INTEGER s }} to R‖S.
   *
   * @throws IllegalArgumentException when {@code der} is not such a sequence with 1–32-byte values
   */
  static byte[] derToRaw(byte[] der) {
    if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      throw new IllegalArgumentException("not a DER ECDSA signature");
    }
    byte[] raw = new byte[SIGNATURE_LENGTH];
    int next = copyInteger(der, 2, raw, 0);
    next = copyInteger(der, next, raw, HALF);
    if (next != der.length) {
      throw new IllegalArgumentException("junk after the DER ECDSA signature");
    }
    return raw;
  }

  private static int copyInteger(byte[] der, int at, byte[] raw, int offset) {
    if (at + 2 > der.length || der[at] != 0x02) {
      throw new IllegalArgumentException("expected a DER INTEGER at " + at);
    }
    int length = der[at + 1] & 0xff;
    int start = at + 2;
    if (length == 0 || length > HALF + 1 || start + length > der.length) {
      throw new IllegalArgumentException("bad DER INTEGER length " + length);
    }
    int from = start;
    int count = length;
    while (count > HALF && der[from] == 0) {
      from++;
      count--;
    }
    if (count > HALF) {
      throw new IllegalArgumentException("DER INTEGER wider than 32 bytes");
    }
    System.arraycopy(der, from, raw, offset + HALF - count, count);
    return start + length;
  }
}
