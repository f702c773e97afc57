package org.sipsentry.sip.stir;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Signs SHAKEN PASSporTs (RFC 8225, RFC 8588) and builds Identity header values (RFC 8224 §4) for
 * tests, the lab and {@code bin/sipsentry sign}. The JSON is canonical (RFC 8225 §9: keys sorted,
 * no whitespace), the signature ES256 R‖S. Thread-safe.
 */
public final class PassportSigner {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;
  private final String x5u;
  private final Es256 es256;
  private final String encodedHeader;

  /**
   * @param key an EC P-256 private key
   * @param x5u the URL of the certificate that verifies the signature (JOSE {@code x5u} and
   *     Identity {@code info})
   * @param es256 the signature provider
   * @throws IllegalArgumentException when the key is not P-256
   */
  public PassportSigner(PrivateKey key, String x5u, Es256 es256) {
    this.key = Objects.requireNonNull(key, "key");
    this.x5u = Objects.requireNonNull(x5u, "x5u");
    this.es256 = Objects.requireNonNull(es256, "es256");
    if (!Es256.isP256(key)) {
      throw new IllegalArgumentException("ES256 needs an EC P-256 private key");
    }
    Map<String, Object> header = new TreeMap<>();
    header.put("alg", "ES256");
    header.put("ppt", "shaken");
    header.put("typ", "passport");
    header.put("x5u", x5u);
    this.encodedHeader = Passport.base64Url(Passport.canonicalJson(header));
  }

  /** The certificate URL this signer puts in its headers. */
  public String x5u() {
    return x5u;
  }

  /**
   * The canonical claims of a SHAKEN PASSporT (RFC 8588 §4).
   *
   * @param origid the origination identifier, conventionally a UUID
   */
  public static String claims(
      Attestation attest, CanonicalTn orig, List<CanonicalTn> dest, Instant iat, String origid) {
    List<String> destTn = new ArrayList<>(dest.size());
    dest.forEach(tn -> destTn.add(tn.digits()));
    Map<String, Object> claims = new TreeMap<>();
    claims.put("attest", attest.name());
    claims.put("dest", Map.of("tn", destTn));
    claims.put("iat", iat.getEpochSecond());
    claims.put("orig", Map.of("tn", orig.digits()));
    claims.put("origid", Objects.requireNonNull(origid, "origid"));
    return Passport.canonicalJson(claims);
  }

  /** A signed full-form PASSporT {@code header.payload.signature}. */
  public String passport(
      Attestation attest, CanonicalTn orig, List<CanonicalTn> dest, Instant iat, String origid) {
    return signJson(claims(attest, orig, dest, iat, origid));
  }

  /**
   * Signs arbitrary claims JSON with this signer's JOSE header; for tests that need a PASSporT a
   * conforming signer would never make.
   */
  public String signJson(String claimsJson) {
    return signRaw(encodedHeader, Passport.base64Url(claimsJson));
  }

  /**
   * Signs {@code encodedHeader.encodedPayload} as given, for tests that need a malformed or
   * non-canonical header.
   */
  public String signRaw(String encodedHeader, String encodedPayload) {
    String signingInput = encodedHeader + "." + encodedPayload;
    byte[] signature = es256.sign(key, signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + BASE64URL.encodeToString(signature);
  }

  /** An Identity header value: {@code passport;info=<x5u>;alg=ES256;ppt=shaken}. */
  public String identity(
      Attestation attest, CanonicalTn orig, List<CanonicalTn> dest, Instant iat, String origid) {
    return identityOf(passport(attest, orig, dest, iat, origid));
  }

  /** The Identity header value carrying {@code passport} with this signer's parameters. */
  public String identityOf(String passport) {
    return passport + ";info=<" + x5u + ">;alg=ES256;ppt=shaken";
  }

  /**
   * Reads an EC private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE
   * KEY}, as {@code openssl ecparam -genkey} writes it).
   *
   * @throws IllegalArgumentException naming the file when it holds no such key
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static PrivateKey readPrivateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read private key " + file, e);
    }
    try {
      return parsePrivateKey(new StringReader(pem));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** {@link #readPrivateKey} from PEM text. */
  public static PrivateKey parsePrivateKey(Reader pem) {
    try (PEMParser parser = new PEMParser(pem)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          // RFC 5915 §3: the public key of an EC PRIVATE KEY is optional, and converting the pair
          // needs it; the private key alone is all we sign with.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PRIVATE KEY or EC PRIVATE KEY block");
  }
}
