package org.sipsentry.sip.stir.fetch;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link CertificateFetcher}. The x5u URL comes from the call, so it is
 * attacker-controlled input (ARCHITECTURE.md); the defaults follow ATIS-1000074's guidance for
 * certificate repositories: https on 443/8443, no redirects, public addresses only.
 *
 * @param allowHttp accept plain {@code http} URLs; default {@code false} (a lab only)
 * @param allowedPorts ports a URL may name (or imply: 443 for https, 80 for http); default {@code
 *     [443, 8443]}
 * @param allowedAddressClasses address classes allowed besides {@link AddressClass#PUBLIC}; default
 *     none (a lab on loopback: {@code [LOOPBACK]})
 * @param maxUrlLength longest accepted URL, in characters; default 2048
 * @param connectTimeout TCP connect timeout; default 2 s
 * @param timeout the whole fetch, from DNS resolution to the last body byte; default 2 s
 * @param maxBodyBytes largest accepted body; default 64 KiB (a SHAKEN chain is 2–4 KB)
 * @param cacheMaxEntries most URLs cached, successes and failures together; default 10,000
 * @param cacheMaxBytes most body bytes cached; default 64 MiB. Each entry weighs at least {@code
 *     cacheMaxBytes / cacheMaxEntries} (6.7 KB by default, more than a 2–4 KB SHAKEN chain), so
 *     both bounds hold: without this one, hostile servers answering 10,000 distinct URLs with 64
 *     KiB bodies would pin 640 MiB. At least {@code maxBodyBytes}.
 * @param minTtl shortest time a success is cached, whatever its {@code Cache-Control: max-age};
 *     default 24 h
 * @param maxTtl longest time a success is cached; default 7 days
 * @param negativeTtl how long a failure is cached; default 30 s ({@link Duration#ZERO}: not at all)
 * @param breakerThreshold consecutive failures of one host that open its breaker; default 5
 * @param breakerCooldown how long an open breaker fails fast before one probe may pass; default 60
 *     s
 * @param threads threads of the fetch executor (DNS resolution blocks one); default 4
 * @param queueCapacity fetches that may wait for a thread before new ones fail with {@link
 *     FetchFailure#OVERLOADED}; default 1024
 * @param sslContext the TLS context of https fetches: its trust managers decide which server
 *     certificates are accepted (host names are always verified); default {@link
 *     SSLContext#getDefault()}, the JDK's trust store. A lab or a test passes one that trusts its
 *     own CA.
 */
public record FetchSettings(
    boolean allowHttp,
    Set<Integer> allowedPorts,
    Set<AddressClass> allowedAddressClasses,
    int maxUrlLength,
    Duration connectTimeout,
    Duration timeout,
    int maxBodyBytes,
    int cacheMaxEntries,
    long cacheMaxBytes,
    Duration minTtl,
    Duration maxTtl,
    Duration negativeTtl,
    int breakerThreshold,
    Duration breakerCooldown,
    int threads,
    int queueCapacity,
    SSLContext sslContext) {

  /** Largest {@link #maxBodyBytes()} accepted: 16 MiB, far above any certificate chain. */
  public static final int MAX_BODY_BYTES_LIMIT = 16 << 20;

  public FetchSettings {
    Objects.requireNonNull(allowedPorts, "allowedPorts");
    Objects.requireNonNull(allowedAddressClasses, "allowedAddressClasses");
    allowedPorts = Set.copyOf(allowedPorts);
    allowedAddressClasses =
        allowedAddressClasses.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(allowedAddressClasses));
    if (allowedPorts.isEmpty()) {
      throw new IllegalArgumentException("allowedPorts: must not be empty");
    }
    for (int port : allowedPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("allowedPorts: " + port + " is not a port (1-65535)");
      }
    }
    range("maxUrlLength", maxUrlLength, 16, 65536);
    positive("connectTimeout", connectTimeout);
    positive("timeout", timeout);
    range("maxBodyBytes", maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
    range("cacheMaxEntries", cacheMaxEntries, 1, Integer.MAX_VALUE);
    if (cacheMaxBytes < maxBodyBytes) {
      throw new IllegalArgumentException(
          "cacheMaxBytes: " + cacheMaxBytes + " is less than maxBodyBytes " + maxBodyBytes);
    }
    notNegative("minTtl", minTtl);
    notNegative("maxTtl", maxTtl);
    if (maxTtl.compareTo(minTtl) < 0) {
      throw new IllegalArgumentException("maxTtl: " + maxTtl + " is shorter than minTtl " + minTtl);
    }
    notNegative("negativeTtl", negativeTtl);
    range("breakerThreshold", breakerThreshold, 1, Integer.MAX_VALUE);
    positive("breakerCooldown", breakerCooldown);
    range("threads", threads, 1, 1024);
    range("queueCapacity", queueCapacity, 1, Integer.MAX_VALUE);
    Objects.requireNonNull(sslContext, "sslContext");
  }

  /** The documented defaults. */
  public static FetchSettings defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowHttp = allowHttp;
    b.allowedPorts = allowedPorts;
    b.allowedAddressClasses = allowedAddressClasses;
    b.maxUrlLength = maxUrlLength;
    b.connectTimeout = connectTimeout;
    b.timeout = timeout;
    b.maxBodyBytes = maxBodyBytes;
    b.cacheMaxEntries = cacheMaxEntries;
    b.cacheMaxBytes = cacheMaxBytes;
    b.minTtl = minTtl;
    b.maxTtl = maxTtl;
    b.negativeTtl = negativeTtl;
    b.breakerThreshold = breakerThreshold;
    b.breakerCooldown = breakerCooldown;
    b.threads = threads;
    b.queueCapacity = queueCapacity;
    b.sslContext = sslContext;
    return b;
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + ": " + value + " is outside [" + min + ", " + max + "]");
    }
  }

  private static void positive(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + ": must be positive, was " + value);
    }
  }

  private static void notNegative(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + ": must not be negative, was " + value);
    }
  }

  /** Builds {@link FetchSettings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private boolean allowHttp = false;
    private Set<Integer> allowedPorts = Set.of(443, 8443);
    private Set<AddressClass> allowedAddressClasses = Set.of();
    private int maxUrlLength = 2048;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration timeout = Duration.ofSeconds(2);
    private int maxBodyBytes = 64 * 1024;
    private int cacheMaxEntries = 10_000;
    private long cacheMaxBytes = 64L << 20;
    private Duration minTtl = Duration.ofHours(24);
    private Duration maxTtl = Duration.ofDays(7);
    private Duration negativeTtl = Duration.ofSeconds(30);
    private int breakerThreshold = 5;
    private Duration breakerCooldown = Duration.ofSeconds(60);
    private int threads = 4;
    private int queueCapacity = 1024;
    private SSLContext sslContext;

    private Builder() {}

    public Builder allowHttp(boolean value) {
      allowHttp = value;
      return this;
    }

    public Builder allowedPorts(Set<Integer> value) {
      allowedPorts = value;
      return this;
    }

    public Builder allowedAddressClasses(Set<AddressClass> value) {
      allowedAddressClasses = value;
      return this;
    }

    public Builder maxUrlLength(int value) {
      maxUrlLength = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    public Builder maxBodyBytes(int value) {
      maxBodyBytes = value;
      return this;
    }

    public Builder cacheMaxEntries(int value) {
      cacheMaxEntries = value;
      return this;
    }

    public Builder cacheMaxBytes(long value) {
      cacheMaxBytes = value;
      return this;
    }

    public Builder minTtl(Duration value) {
      minTtl = value;
      return this;
    }

    public Builder maxTtl(Duration value) {
      maxTtl = value;
      return this;
    }

    public Builder negativeTtl(Duration value) {
      negativeTtl = value;
      return this;
    }

    public Builder breakerThreshold(int value) {
      breakerThreshold = value;
      return this;
    }

    public Builder breakerCooldown(Duration value) {
      breakerCooldown = value;
      return this;
    }

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    public Builder queueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    /** The TLS context of https fetches; {@code null} restores the default. */
    public Builder sslContext(SSLContext value) {
      sslContext = value;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the key and the bad value
     */
    public FetchSettings build() {
      return new FetchSettings(
          allowHttp,
          allowedPorts,
          allowedAddressClasses,
          maxUrlLength,
          connectTimeout,
          timeout,
          maxBodyBytes,
          cacheMaxEntries,
          cacheMaxBytes,
          minTtl,
          maxTtl,
          negativeTtl,
          breakerThreshold,
          breakerCooldown,
          threads,
          queueCapacity,
          sslContext == null ? defaultSslContext() : sslContext);
    }

    private static SSLContext defaultSslContext() {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no default SSLContext", e);
      }
    }
  }
}
