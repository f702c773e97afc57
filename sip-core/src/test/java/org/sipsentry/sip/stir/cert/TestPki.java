package org.sipsentry.sip.stir.cert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away STI PKI made at test time with BouncyCastle: root STI-CA → intermediate → SP
 * end-entity (EC P-256, TNAuthList SPC {@value #SPC}), plus the broken variants a verifier must
 * reject, CRLs and PEM writers. Reusable from any test in sip-core (same package or by import).
 *
 * <p>The standard hierarchy is made once per JVM ({@link #root()}, {@link #intermediate()}, {@link
 * #endEntity()}); {@link #otherRoot()} is an unrelated hierarchy with the same names. Validity
 * windows are around {@link #NOW}: pin the validator's clock to it.
 */
public final class TestPki {

  /** The instant every certificate here is designed around; use it as the validation clock. */
  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** The SPC in the standard end-entity's TNAuthList. */
  public static final String SPC = "1234";

  /** TNAuthList, RFC 8226 §9. */
  public static final ASN1ObjectIdentifier TN_AUTH_LIST =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.26");

  private static final AtomicLong SERIALS = new AtomicLong(1000);

  /** A certificate and the private key of its subject. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey) {}

  /** A root and an intermediate under it. */
  public record Hierarchy(Issued root, Issued intermediate) {}

  private static final class Standard {
    static final Hierarchy HIERARCHY = hierarchy("SipSentry Test");
    static final Hierarchy OTHER = hierarchy("SipSentry Test");
    static final Issued END_ENTITY =
        endEntity(
            HIERARCHY.intermediate(),
            "SHAKEN 1234",
            NOW.minus(Duration.ofDays(30)),
            NOW.plus(Duration.ofDays(335)),
            ecKeyPair(),
            tnAuthListSpc(SPC),
            false);
  }

  private TestPki() {}

  /** The standard root STI-CA (self-signed, EC P-256). */
  public static Issued root() {
    return Standard.HIERARCHY.root();
  }

  /** The standard intermediate CA, issued by {@link #root()}. */
  public static Issued intermediate() {
    return Standard.HIERARCHY.intermediate();
  }

  /** The valid SP end-entity: EC P-256, TNAuthList SPC {@value #SPC}, valid around {@link #NOW}. */
  public static Issued endEntity() {
    return Standard.END_ENTITY;
  }

  /**
   * Another root with the same subject as {@link #root()} but a different key, and its
   * intermediate.
   */
  public static Hierarchy otherRoot() {
    return Standard.OTHER;
  }

  /** An end-entity that expired a day before {@link #NOW}. */
  public static Issued expiredEndEntity() {
    return endEntity(
        intermediate(),
        "SHAKEN 1234 expired",
        NOW.minus(Duration.ofDays(366)),
        NOW.minus(Duration.ofDays(1)),
        ecKeyPair(),
        tnAuthListSpc(SPC),
        false);
  }

  /** An end-entity valid from a day after {@link #NOW}. */
  public static Issued notYetValidEndEntity() {
    return endEntity(
        intermediate(),
        "SHAKEN 1234 future",
        NOW.plus(Duration.ofDays(1)),
        NOW.plus(Duration.ofDays(366)),
        ecKeyPair(),
        tnAuthListSpc(SPC),
        false);
  }

  /** A valid end-entity issued by {@link #otherRoot()}'s intermediate. */
  public static Issued endEntityUnderOtherRoot() {
    return endEntity(
        otherRoot().intermediate(),
        "SHAKEN 1234 other",
        NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(335)),
        ecKeyPair(),
        tnAuthListSpc(SPC),
        false);
  }

  /** A valid end-entity without TNAuthList. */
  public static Issued endEntityWithoutTnAuthList() {
    return endEntity(
        intermediate(),
        "SHAKEN none",
        NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(335)),
        ecKeyPair(),
        null,
        false);
  }

  /** A valid end-entity whose TNAuthList is marked critical. */
  public static Issued endEntityWithCriticalTnAuthList() {
    return endEntity(
        intermediate(),
        "SHAKEN 1234 critical",
        NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(335)),
        ecKeyPair(),
        tnAuthListSpc(SPC),
        true);
  }

  /** A valid end-entity with an RSA-2048 key. */
  public static Issued rsaEndEntity() {
    return endEntity(
        intermediate(),
        "SHAKEN 1234 rsa",
        NOW.minus(Duration.ofDays(30)),
        NOW.plus(Duration.ofDays(335)),
        keyPair("RSA", null),
        tnAuthListSpc(SPC),
        false);
  }

  /**
   * Issues an end-entity certificate (digitalSignature, not a CA).
   *
   * @param tnAuthList the TNAuthList value (e.g. {@link #tnAuthListSpc}), or null for none
   */
  public static Issued endEntity(
      Issued issuer,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      KeyPair keyPair,
      ASN1Encodable tnAuthList,
      boolean critical) {
    try {
      X509v3CertificateBuilder builder = builder(issuer, commonName, notBefore, notAfter, keyPair);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      if (tnAuthList != null) {
        builder.addExtension(TN_AUTH_LIST, critical, tnAuthList);
      }
      return new Issued(sign(builder, issuer.privateKey()), keyPair.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fresh root (EC P-256) and intermediate, subjects "CN=name Root" and "CN=name Intermediate".
   */
  public static Hierarchy hierarchy(String name) {
    KeyPair rootKeys = ecKeyPair();
    Issued selfIssuer = new Issued(null, rootKeys.getPrivate());
    Issued root = ca(selfIssuer, name + " Root", rootKeys, -1);
    Issued intermediate = ca(root, name + " Intermediate", ecKeyPair(), 0);
    return new Hierarchy(root, intermediate);
  }

  /**
   * A CA certificate (EC P-256, valid ten years either side of {@link #NOW}) issued by {@code
   * issuer}, for paths with more than one intermediate.
   *
   * @param pathLength the basicConstraints path length, or -1 for no limit
   */
  public static Issued intermediateCa(Issued issuer, String commonName, int pathLength) {
    return ca(issuer, commonName, ecKeyPair(), pathLength);
  }

  private static Issued ca(Issued issuer, String commonName, KeyPair keyPair, int pathLength) {
    try {
      Instant notBefore = NOW.minus(Duration.ofDays(3650));
      Instant notAfter = NOW.plus(Duration.ofDays(3650));
      X509v3CertificateBuilder builder =
          issuer.certificate() == null
              ? selfSignedBuilder(commonName, notBefore, notAfter, keyPair)
              : builder(issuer, commonName, notBefore, notAfter, keyPair);
      builder.addExtension(
          Extension.basicConstraints,
          true,
          pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Issued(sign(builder, issuer.privateKey()), keyPair.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TNAuthList of SPC entries: SEQUENCE OF [0] EXPLICIT IA5String (RFC 8226 §9). */
  public static ASN1Encodable tnAuthListSpc(String... spcs) {
    ASN1EncodableVector entries = new ASN1EncodableVector();
    for (String spc : spcs) {
      entries.add(new DERTaggedObject(true, 0, new DERIA5String(spc)));
    }
    return new DERSequence(entries);
  }

  /** A CRL signed by {@code issuer}, current at {@link #NOW}, revoking the given certificates. */
  public static X509CRL crl(Issued issuer, X509Certificate... revoked) {
    try {
      X509v2CRLBuilder builder =
          new X509v2CRLBuilder(
              X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
              Date.from(NOW.minus(Duration.ofDays(1))));
      builder.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(6))));
      for (X509Certificate certificate : revoked) {
        builder.addCRLEntry(
            certificate.getSerialNumber(),
            Date.from(NOW.minus(Duration.ofDays(2))),
            CRLReason.keyCompromise);
      }
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
      X509CRLHolder holder = builder.build(signer(issuer.privateKey()));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair ecKeyPair() {
    return keyPair("EC", new ECGenParameterSpec("secp256r1"));
  }

  /** A fresh key pair: {@code ("EC", ECGenParameterSpec)} or {@code ("RSA", null)} (2048 bits). */
  public static KeyPair keyPair(String algorithm, ECGenParameterSpec curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        generator.initialize(curve);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of certificates, LF line endings, in the order given. */
  public static String pem(X509Certificate... certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        pem.append(pemBlock("CERTIFICATE", certificate.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return pem.toString();
  }

  /** PEM text of a CRL. */
  public static String pem(X509CRL crl) {
    try {
      return pemBlock("X509 CRL", crl.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of a private key (PKCS#8, "PRIVATE KEY"). */
  public static String pem(PrivateKey key) {
    return pemBlock("PRIVATE KEY", key.getEncoded());
  }

  /** {@link #pem(X509Certificate...)} as US-ASCII bytes: an x5u response body. */
  public static byte[] pemBytes(X509Certificate... certificates) {
    return pem(certificates).getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes PEM text to {@code file}, creating parent directories; returns the file. */
  public static Path writePem(Path file, String pem) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PEM block: BEGIN line, base64 in 64-character lines, END line, each ending in LF. */
  public static String pemBlock(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private static X509v3CertificateBuilder selfSignedBuilder(
      String commonName, Instant notBefore, Instant notAfter, KeyPair keyPair) throws IOException {
    X500Name name = new X500Name("CN=" + commonName + ", O=SipSentry Test, C=US");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name, serial(), Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic());
    addKeyIdentifiers(builder, keyPair, null);
    return builder;
  }

  private static X509v3CertificateBuilder builder(
      Issued issuer, String commonName, Instant notBefore, Instant notAfter, KeyPair keyPair)
      throws IOException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer.certificate(),
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + commonName + ", O=SipSentry Test, C=US"),
            keyPair.getPublic());
    addKeyIdentifiers(builder, keyPair, issuer.certificate());
    return builder;
  }

  private static void addKeyIdentifiers(
      X509v3CertificateBuilder builder, KeyPair keyPair, X509Certificate issuer)
      throws IOException {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keyPair.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          issuer == null
              ? utils.createAuthorityKeyIdentifier(keyPair.getPublic())
              : utils.createAuthorityKeyIdentifier(issuer));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) {
    try {
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaContentSignerBuilder(algorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }
}
