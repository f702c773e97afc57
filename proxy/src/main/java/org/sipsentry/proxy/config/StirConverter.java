package org.sipsentry.proxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.proxy.SigningSettings;
import org.sipsentry.proxy.VerificationSettings;
import org.sipsentry.sip.stir.Es256;
import org.sipsentry.sip.stir.PassportSigner;
import org.sipsentry.sip.stir.StirFailure;
import org.sipsentry.sip.stir.StirPolicy;
import org.sipsentry.sip.stir.cert.RevocationLists;
import org.sipsentry.sip.stir.cert.TrustAnchors;
import org.sipsentry.sip.stir.fetch.AddressClass;
import org.sipsentry.sip.stir.fetch.FetchSettings;

/**
 * The STIR/SHAKEN part of the config: the top-level {@code stir} section (trust anchors, CRLs,
 * verifier policy, certificate fetch) and each trunk's {@code stir} mapping. Trust anchors, CRLs
 * and a TLS CA file are read here, so that a missing or unreadable one is an error naming its key,
 * at load time and by {@code check-config}, never a surprise at the first call.
 */
final class StirConverter extends ValueConverter {

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})(B|KiB|MiB)?");

  /* Bounds beyond FetchSettings' own: what makes sense for a certificate fetch. */
  private static final Duration MAX_WINDOW = Duration.ofHours(1);
  private static final Duration MAX_FETCH_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration MIN_BREAKER_COOLDOWN = Duration.ofSeconds(1);
  private static final int MAX_BREAKER_THRESHOLD = 1000;
  private static final int MAX_THREADS = 256;

  StirConverter(ConfigSource source) {
    super(source);
  }

  /**
   * The top-level section, loaded: empty when it is absent or names no trust anchors (then no trunk
   * may verify, which {@link #trunk} checks).
   */
  Optional<VerificationSettings> verification(Optional<ConfigFile.Stir> section) {
    if (section.isEmpty()) {
      return Optional.empty();
    }
    ConfigFile.Stir stir = section.get();
    // Each part is checked, and its mistakes recorded, even when another part has some.
    Optional<TrustAnchors> anchors =
        stir.trustAnchors().isPresent()
            ? source.attempt(() -> trustAnchors(stir.trustAnchors().get()))
            : Optional.empty();
    Optional<RevocationLists> crls = source.attempt(() -> crls(stir.crls().orElse(List.of())));
    Optional<StirPolicy> policy = source.attempt(() -> policy(stir.policy()));
    Optional<FetchSettings> fetch = source.attempt(() -> fetch(stir.fetch()));
    if (anchors.isEmpty() || crls.isEmpty() || policy.isEmpty() || fetch.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new VerificationSettings(anchors.get(), crls.get(), policy.get(), fetch.get()));
  }

  /**
   * The signing key and certificate URL of {@code stir.signing}, loaded: empty when there is no
   * such section. The key must parse as an EC P-256 private key now, not at the first signing
   * request.
   */
  Optional<SigningSettings> signing(Optional<ConfigFile.Stir> section) throws ConfigException {
    Optional<ConfigFile.Signing> written = section.flatMap(ConfigFile.Stir::signing);
    if (written.isEmpty()) {
      return Optional.empty();
    }
    String keyPath = "stir.signing.key";
    String text = written.get().key();
    Path file = at(keyPath, () -> path(text, keyPath));
    if (!Files.isRegularFile(file)) {
      throw source.error(keyPath, "\"" + text + "\" is not a file; expected " + expected(keyPath));
    }
    PrivateKey key;
    try {
      key = PassportSigner.readPrivateKey(file);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw source.error(
          keyPath,
          "\"" + text + "\" cannot be used (" + e.getMessage() + "); expected " + expected(keyPath),
          e);
    }
    if (!Es256.isP256(key)) {
      throw source.error(
          keyPath,
          "\""
              + text
              + "\" holds a "
              + key.getAlgorithm()
              + " key that is not EC P-256; expected "
              + expected(keyPath));
    }
    String x5u = written.get().x5u();
    String x5uPath = "stir.signing.x5u";
    if (!isCertificateUrl(x5u)) {
      throw source.error(
          x5uPath, "\"" + x5u + "\" is not an http(s) URL; expected " + expected(x5uPath));
    }
    return Optional.of(new SigningSettings(file, key, x5u));
  }

  /** An absolute http or https URL with a host, on one line (it goes into a SIP header). */
  private static boolean isCertificateUrl(String text) {
    if (text.isBlank() || text.chars().anyMatch(c -> c <= ' ' || c == '>' || c == '"')) {
      return false;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Whether verstat carries the attestation by default: {@code stir.verstat-attestation-suffix}.
   */
  static boolean attestationSuffix(Optional<ConfigFile.Stir> section) {
    return section.flatMap(ConfigFile.Stir::verstatAttestationSuffix).orElse(false);
  }

  /**
   * A trunk's {@code stir} mapping at {@code path} ({@code trunks[2].stir}).
   *
   * @param attestationSuffix the default of {@code verstat-attestation-suffix}
   * @param verifierConfigured whether the top-level section names trust anchors
   */
  StirSettings trunk(
      String path,
      Optional<ConfigFile.TrunkStir> entry,
      boolean attestationSuffix,
      boolean verifierConfigured)
      throws ConfigException {
    if (entry.isEmpty()) {
      return StirSettings.OFF;
    }
    ConfigFile.TrunkStir stir = entry.get();
    StirSettings.Mode mode =
        choice(
            path + ".mode",
            "a STIR mode",
            stir.mode(),
            StirSettings.Mode.values(),
            StirSettings.Mode.OFF);
    if (mode != StirSettings.Mode.OFF && !verifierConfigured) {
      throw source.error(
          path + ".mode",
          "\""
              + mode.id()
              + "\" needs the STI-CA roots, and stir.trust-anchors is not set; expected off, or"
              + " a top-level stir section with trust-anchors");
    }
    StirSettings.OnFailure onFailure =
        choice(
            path + ".on-failure",
            "a failure action",
            stir.onFailure(),
            StirSettings.OnFailure.values(),
            StirSettings.OnFailure.CONTINUE);
    StirSettings.OnIndeterminate onIndeterminate =
        choice(
            path + ".on-indeterminate",
            "an indeterminate action",
            stir.onIndeterminate(),
            StirSettings.OnIndeterminate.values(),
            StirSettings.OnIndeterminate.FAIL_OPEN);
    Map<StirFailure, SipStatus> responses = new EnumMap<>(StirFailure.class);
    for (Map.Entry<String, ConfigFile.Response> response :
        stir.responses().orElse(Map.of()).entrySet()) {
      String at = path + ".responses." + response.getKey();
      StirFailure failure = failure(at, response.getKey());
      responses.put(failure, response(at, response.getValue()));
    }
    return new StirSettings(
        mode,
        onFailure,
        onIndeterminate,
        responses,
        stir.verstatAttestationSuffix().orElse(attestationSuffix));
  }

  private StirFailure failure(String path, String id) throws ConfigException {
    List<String> ids = new ArrayList<>();
    for (StirFailure failure : StirFailure.values()) {
      if (failure.id().equals(id)) {
        return failure;
      }
      ids.add(failure.id());
    }
    throw source.error(
        path, "\"" + id + "\" is not a STIR failure; expected one of " + String.join(", ", ids));
  }

  private SipStatus response(String path, ConfigFile.Response response) throws ConfigException {
    int code = response.code();
    if (code < 400 || code > 699) {
      throw source.error(
          path + ".code", code + " is out of range; expected " + expected(path + ".code"));
    }
    return at(path + ".reason", () -> new SipStatus(code, response.reason()));
  }

  private <E extends Enum<E>> E choice(
      String path, String what, Optional<String> text, E[] values, E byDefault)
      throws ConfigException {
    if (text.isEmpty()) {
      return byDefault;
    }
    for (E value : values) {
      if (id(value).equals(text.get())) {
        return value;
      }
    }
    throw source.error(
        path, "\"" + text.get() + "\" is not " + what + "; expected " + expected(path));
  }

  private static String id(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  // --- the top-level section -------------------------------------------------------------------

  private TrustAnchors trustAnchors(String text) throws ConfigException {
    String path = "stir.trust-anchors";
    Path directory = at(path, () -> path(text, path));
    if (!Files.isDirectory(directory)) {
      throw source.error(path, "\"" + text + "\" is not a directory; expected " + expected(path));
    }
    try {
      return TrustAnchors.load(directory);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw source.error(
          path,
          withoutPrefix(e.getMessage(), "trust anchors: ") + "; expected " + expected(path),
          e);
    }
  }

  private RevocationLists crls(List<String> files) throws ConfigException {
    List<X509CRL> crls = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String path = "stir.crls[" + i + "]";
      String text = files.get(i);
      Path file = at(path, () -> path(text, path));
      if (!Files.isRegularFile(file)) {
        throw source.error(path, "\"" + text + "\" is not a file; expected " + expected(path));
      }
      try {
        crls.addAll(RevocationLists.load(List.of(file)).crls());
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw source.error(
            path, withoutPrefix(e.getMessage(), "CRL: ") + "; expected " + expected(path), e);
      }
      paths.add(file);
    }
    return crls.isEmpty() ? RevocationLists.none() : new RevocationLists(crls, paths);
  }

  private StirPolicy policy(Optional<ConfigFile.VerifierPolicy> section) throws ConfigException {
    StirPolicy defaults = StirPolicy.DEFAULT;
    if (section.isEmpty()) {
      return defaults;
    }
    ConfigFile.VerifierPolicy policy = section.get();
    Duration maxAge =
        duration(
            "stir.policy.max-age", policy.maxAge(), defaults.maxAge(), Duration.ZERO, MAX_WINDOW);
    Duration futureSkew =
        duration(
            "stir.policy.future-skew",
            policy.futureSkew(),
            defaults.maxFutureSkew(),
            Duration.ZERO,
            MAX_WINDOW);
    boolean strict = policy.strictIdentityParams().orElse(false);
    return new StirPolicy(
        maxAge, futureSkew, policy.checkDate().orElse(defaults.checkDateHeader()), strict, strict);
  }

  private FetchSettings fetch(Optional<ConfigFile.Fetch> section) throws ConfigException {
    FetchSettings defaults = FetchSettings.defaults();
    if (section.isEmpty()) {
      return defaults;
    }
    ConfigFile.Fetch fetch = section.get();
    FetchSettings.Builder builder = defaults.toBuilder();
    builder.allowHttp(fetch.allowHttp().orElse(false));
    if (fetch.allowedPorts().isPresent()) {
      builder.allowedPorts(ports(fetch.allowedPorts().get()));
    }
    if (fetch.allowAddresses().isPresent()) {
      builder.allowedAddressClasses(addressClasses(fetch.allowAddresses().get()));
    }
    builder.timeout(
        duration(
            "stir.fetch.timeout",
            fetch.timeout(),
            defaults.timeout(),
            Duration.ofMillis(1),
            MAX_FETCH_TIMEOUT));
    builder.maxBodyBytes(maxBody(fetch.maxBody(), defaults.maxBodyBytes()));
    Duration minTtl =
        duration(
            "stir.fetch.cache-min-ttl",
            fetch.cacheMinTtl(),
            defaults.minTtl(),
            Duration.ZERO,
            null);
    Duration maxTtl =
        duration(
            "stir.fetch.cache-max-ttl",
            fetch.cacheMaxTtl(),
            defaults.maxTtl(),
            Duration.ZERO,
            null);
    if (maxTtl.compareTo(minTtl) < 0) {
      throw source.error(
          fetch.cacheMaxTtl().isPresent() ? "stir.fetch.cache-max-ttl" : "stir.fetch.cache-min-ttl",
          "cache-max-ttl "
              + show(maxTtl)
              + " is shorter than cache-min-ttl "
              + show(minTtl)
              + "; expected cache-max-ttl at least cache-min-ttl");
    }
    builder.minTtl(minTtl).maxTtl(maxTtl);
    builder.negativeTtl(
        duration(
            "stir.fetch.negative-ttl",
            fetch.negativeTtl(),
            defaults.negativeTtl(),
            Duration.ZERO,
            null));
    builder.breakerThreshold(
        inRange(
            "stir.fetch.breaker-threshold",
            fetch.breakerThreshold(),
            defaults.breakerThreshold(),
            1,
            MAX_BREAKER_THRESHOLD));
    builder.breakerCooldown(
        duration(
            "stir.fetch.breaker-cooldown",
            fetch.breakerCooldown(),
            defaults.breakerCooldown(),
            MIN_BREAKER_COOLDOWN,
            null));
    builder.threads(
        inRange("stir.fetch.threads", fetch.threads(), defaults.threads(), 1, MAX_THREADS));
    if (fetch.tlsCaFile().isPresent()) {
      builder.sslContext(sslContext(fetch.tlsCaFile().get()));
    }
    return at("stir.fetch", builder::build);
  }

  private Set<Integer> ports(List<Integer> ports) throws ConfigException {
    String path = "stir.fetch.allowed-ports";
    if (ports.isEmpty()) {
      throw source.error(path, "no ports; expected " + expected(path));
    }
    Set<Integer> set = new LinkedHashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      if (port < 1 || port > 65535) {
        String item = path + "[" + i + "]";
        throw source.error(item, port + " is out of range; expected " + expected(item));
      }
      set.add(port);
    }
    return set;
  }

  private Set<AddressClass> addressClasses(List<String> ids) throws ConfigException {
    Set<AddressClass> classes = EnumSet.noneOf(AddressClass.class);
    for (int i = 0; i < ids.size(); i++) {
      String path = "stir.fetch.allow-addresses[" + i + "]";
      String id = ids.get(i);
      AddressClass found = null;
      for (AddressClass candidate : AddressClass.values()) {
        if (candidate != AddressClass.PUBLIC && id(candidate).equals(id)) {
          found = candidate;
        }
      }
      if (found == null) {
        String why =
            id.equals(id(AddressClass.PUBLIC))
                ? "public addresses are always allowed"
                : "\"" + id + "\" is not an address class";
        throw source.error(path, why + "; expected " + expected(path));
      }
      classes.add(found);
    }
    return classes;
  }

  private int maxBody(Optional<String> text, int byDefault) throws ConfigException {
    String path = "stir.fetch.max-body";
    if (text.isEmpty()) {
      return byDefault;
    }
    Matcher m = SIZE.matcher(text.get());
    long bytes = -1;
    if (m.matches()) {
      long unit =
          m.group(2) == null || m.group(2).equals("B")
              ? 1
              : m.group(2).equals("KiB") ? 1024 : 1 << 20;
      bytes = Long.parseLong(m.group(1)) * unit;
    }
    if (bytes < 1 || bytes > FetchSettings.MAX_BODY_BYTES_LIMIT) {
      throw source.error(
          path, "\"" + text.get() + "\" is not a size up to 16MiB; expected " + expected(path));
    }
    return (int) bytes;
  }

  private SSLContext sslContext(String text) throws ConfigException {
    String path = "stir.fetch.tls-ca-file";
    Path file = at(path, () -> path(text, path));
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException e) {
      throw source.error(
          path, "\"" + text + "\" cannot be read (" + e + "); expected " + expected(path), e);
    }
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (certificates.isEmpty()) {
        throw source.error(
            path, "\"" + text + "\" holds no certificate; expected " + expected(path));
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + n++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw source.error(
          path,
          "\""
              + text
              + "\" is not PEM certificates ("
              + e.getMessage()
              + "); expected "
              + expected(path),
          e);
    }
  }

  // --- values ----------------------------------------------------------------------------------

  Duration duration(
      String path, Optional<String> text, Duration byDefault, Duration min, Duration max)
      throws ConfigException {
    if (text.isEmpty()) {
      return byDefault;
    }
    return duration(path, text.get(), min, max);
  }

  private static String show(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static String withoutPrefix(String message, String prefix) {
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
