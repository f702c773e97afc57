package org.sipsentry.sip.stir.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Certificate revocation lists (RFC 5280 §5) configured as files, e.g. the STI-PA's CRL
 * (ATIS-1000080 §6.3.7), refreshed out of band. None configured means revocation is not checked.
 *
 * @param crls the CRLs
 * @param files the files they were loaded from (empty when built with {@link #of})
 */
public record RevocationLists(List<X509CRL> crls, List<Path> files) {

  public RevocationLists {
    crls = List.copyOf(crls);
    files = List.copyOf(files);
  }

  /** No CRLs: revocation is not checked. */
  public static RevocationLists none() {
    return new RevocationLists(List.of(), List.of());
  }

  /** CRLs already in memory. */
  public static RevocationLists of(X509CRL... crls) {
    return new RevocationLists(List.of(crls), List.of());
  }

  /** True when revocation is checked. */
  public boolean enabled() {
    return !crls.isEmpty();
  }

  /**
   * Loads CRLs from files, each PEM ({@code X509 CRL} blocks) or DER.
   *
   * @throws IllegalArgumentException naming the file when it holds no CRL or a malformed one
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static RevocationLists load(List<Path> files) {
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 CertificateFactory", e);
    }
    List<X509CRL> crls = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("CRL: cannot read " + file, e);
      }
      Collection<? extends java.security.cert.CRL> read;
      try {
        read = factory.generateCRLs(new ByteArrayInputStream(bytes));
      } catch (CRLException | RuntimeException e) {
        throw new IllegalArgumentException("CRL: " + file + ": malformed: " + e.getMessage(), e);
      }
      if (read.isEmpty()) {
        throw new IllegalArgumentException("CRL: " + file + ": no CRL found");
      }
      read.forEach(crl -> crls.add((X509CRL) crl));
    }
    return new RevocationLists(crls, files);
  }
}
