package org.sipsentry.proxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The YAML file as written, before any value is interpreted: the whole shape on one page.
 * Components map to kebab-case keys ({@code homeCountry} is {@code home-country}). A component of
 * type {@link Optional} is an optional key, empty when the key is absent or has no value; every
 * other key is required. {@link SettingsConverter} checks the values and applies the defaults,
 * which docs/configuration.md lists.
 */
record ConfigFile(
    Listen listen,
    NextHop nextHop,
    Optional<String> homeCountry,
    Optional<List<String>> homeCountries,
    Optional<Limits> limits,
    Optional<List<TrunkEntry>> trunks,
    Optional<Thresholds> thresholds,
    Optional<Response> blockResponse,
    Optional<Map<String, Rule>> rules,
    Optional<Lists> lists,
    Optional<Rate> rate,
    Optional<String> verdictHeader,
    Optional<String> auditLog,
    Optional<Stir> stir,
    Optional<Admin> admin,
    Optional<Actions> actions,
    Optional<Audit> audit) {

  record Listen(Optional<String> udp, Optional<String> tcp) {}

  record Admin(Optional<String> listen, Optional<String> tokenFile) {}

  record NextHop(String address, Optional<String> transport) {}

  record Limits(Optional<Integer> maxMessageBytes, Optional<Integer> maxHeaders) {}

  record TrunkEntry(
      String name,
      List<String> sources,
      Optional<String> transport,
      Optional<Boolean> trusted,
      Optional<Boolean> international,
      Optional<Thresholds> thresholds,
      Optional<String> minAttestation,
      Optional<Rate> rate,
      Optional<TrunkStir> stir) {}

  record Rate(Optional<String> window, Optional<Integer> perCaller, Optional<Integer> perSource) {}

  record TrunkStir(
      Optional<String> mode,
      Optional<String> onFailure,
      Optional<String> onIndeterminate,
      Optional<Map<String, Response>> responses,
      Optional<Boolean> verstatAttestationSuffix) {}

  record Stir(
      Optional<String> trustAnchors,
      Optional<List<String>> crls,
      Optional<VerifierPolicy> policy,
      Optional<Fetch> fetch,
      Optional<Boolean> verstatAttestationSuffix,
      Optional<Signing> signing) {}

  record Signing(String key, String x5u) {}

  record VerifierPolicy(
      Optional<String> maxAge,
      Optional<String> futureSkew,
      Optional<Boolean> checkDate,
      Optional<Boolean> strictIdentityParams) {}

  record Fetch(
      Optional<Boolean> allowHttp,
      Optional<List<Integer>> allowedPorts,
      Optional<List<String>> allowAddresses,
      Optional<String> timeout,
      Optional<String> maxBody,
      Optional<String> cacheMinTtl,
      Optional<String> cacheMaxTtl,
      Optional<String> negativeTtl,
      Optional<Integer> breakerThreshold,
      Optional<String> breakerCooldown,
      Optional<Integer> threads,
      Optional<String> tlsCaFile) {}

  record Thresholds(
      Optional<Integer> label, Optional<Integer> anonymise, Optional<Integer> block) {}

  record Response(Integer code, String reason) {}

  record Rule(
      Optional<Boolean> enabled,
      Optional<Integer> weight,
      Optional<String> action,
      Optional<Response> response,
      Optional<Boolean> allowMobileRoaming,
      Optional<Integer> digits) {}

  record Lists(
      Optional<List<ListFile>> protectedNumbers,
      Optional<CallerList> deny,
      Optional<CallerList> allow,
      Optional<Signers> signers) {}

  record Signers(Optional<List<String>> allow, Optional<List<String>> deny) {}

  record CallerList(
      Optional<List<ListFile>> numbers,
      Optional<List<String>> spcs,
      Optional<List<String>> sources,
      Optional<List<String>> userAgents) {}

  record ListFile(String file) {}

  record Actions(Optional<LabelAction> label) {}

  record LabelAction(Optional<String> displayNamePrefix) {}

  record Audit(
      Optional<String> file,
      Optional<Integer> queueCapacity,
      Optional<String> onFull,
      Optional<String> maxSize,
      Optional<String> rotateEvery,
      Optional<Integer> keep,
      Optional<String> fsync,
      Optional<AuditSyslog> syslog) {}

  record AuditSyslog(
      String address,
      Optional<String> facility,
      Optional<String> appName,
      Optional<Integer> maxMessageBytes) {}

  private static final String RESPONSE =
      "a mapping with code and reason, e.g. {code: 608, reason: Rejected}";
  private static final String CODE = "a final SIP error code from 400 to 699, e.g. 608";
  private static final String REASON = "a reason phrase on one line, e.g. Rejected";

  /** The ids of {@code AddressClass} an operator may allow; public addresses always are. */
  static final String ADDRESS_CLASSES =
      "loopback, private, link-local, multicast, unspecified, cgnat, reserved";

  private static final String DURATION = "a duration such as 500ms, 60s, 5m, 24h or 7d";
  private static final String LISTEN_ADDRESS =
      "host:port with a literal IP address, e.g. 127.0.0.1:5060 or [::1]:5060";

  /**
   * What each key takes, in the words of an error message's {@code expected ...}; keyed by the key
   * path with list indexes written {@code []} and rule ids {@code *}.
   */
  private static final Map<String, String> EXPECTED = expectedValues();

  private static Map<String, String> expectedValues() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(
        "",
        "a mapping with at least listen, next-hop and home-country (or home-countries); see"
            + " config/sipsentry.example.yaml");
    expected.put("listen", "a mapping with udp, tcp or both, e.g. udp: 127.0.0.1:5060");
    expected.put("listen.udp", LISTEN_ADDRESS);
    expected.put("listen.tcp", LISTEN_ADDRESS);
    expected.put("next-hop", "a mapping with address and optionally transport");
    expected.put(
        "next-hop.address",
        "host:port, e.g. 127.0.0.1:5080, [2001:db8::1]:5060 or sbc.example.net:5060");
    expected.put("next-hop.transport", "one of same, udp, tcp");
    expected.put("home-country", "an ISO 3166 alpha-2 region code such as CH, DE or US");
    expected.put("home-countries", "a list of ISO 3166 alpha-2 region codes, e.g. [CH, LI]");
    expected.put("home-countries[]", "an ISO 3166 alpha-2 region code such as CH, DE or US");
    expected.put("limits", "a mapping with max-message-bytes, max-headers or both");
    expected.put("limits.max-message-bytes", "an integer from 512 to 1048576");
    expected.put("limits.max-headers", "an integer from 8 to 10000");
    expected.put(
        "trunks",
        "a list of trunks, each with name, sources and optionally transport, trusted,"
            + " international, thresholds and stir");
    expected.put(
        "trunks[]",
        "a mapping with name, sources and optionally transport, trusted, international,"
            + " thresholds and stir");
    expected.put("trunks[].transport", "one of any, udp, tcp");
    expected.put("trunks[].international", "true or false");
    expected.put("trunks[].min-attestation", "one of A, B, C");
    for (String rate : List.of("rate", "trunks[].rate")) {
      expected.put(rate, "a mapping with window, per-caller, per-source or some of them");
      expected.put(rate + ".window", DURATION + ", from 1s to 1h");
      expected.put(rate + ".per-caller", "an integer from 0 (no limit) to 1000000");
      expected.put(rate + ".per-source", "an integer from 0 (no limit) to 1000000");
    }
    expected.put("trunks[].thresholds", "a mapping with label, anonymise, block or some of them");
    expected.put("trunks[].thresholds.label", "a score from 0 to 100");
    expected.put("trunks[].thresholds.block", "a score from 0 to 100");
    expected.put("trunks[].name", "a name for the audit log, e.g. carrier");
    expected.put("trunks[].sources", "a list of CIDRs, e.g. [192.0.2.0/24, 2001:db8::/32]");
    expected.put("trunks[].sources[]", "a CIDR, e.g. 192.0.2.0/24 or 2001:db8::/32");
    expected.put("trunks[].trusted", "true or false");
    expected.put(
        "trunks[].stir",
        "a mapping with mode and optionally on-failure, on-indeterminate, responses and"
            + " verstat-attestation-suffix, signing");
    expected.put("trunks[].stir.mode", "one of off, verify, require");
    expected.put("trunks[].stir.on-failure", "one of continue, reject, continue-with-reason");
    expected.put("trunks[].stir.on-indeterminate", "one of fail-open, fail-closed");
    expected.put(
        "trunks[].stir.responses",
        "a mapping from failure id to a response, e.g. stale-date: {code: 403, reason: Stale"
            + " Date}");
    expected.put("trunks[].stir.responses.*", RESPONSE);
    expected.put("trunks[].stir.responses.*.code", CODE);
    expected.put("trunks[].stir.responses.*.reason", REASON);
    expected.put("trunks[].stir.verstat-attestation-suffix", "true or false");
    expected.put("thresholds", "a mapping with label, anonymise, block or some of them");
    expected.put(
        "thresholds.anonymise", "a score from 0 to 100, from the label to the block threshold");
    expected.put(
        "trunks[].thresholds.anonymise",
        "a score from 0 to 100, from the label to the block threshold");
    expected.put("thresholds.label", "a score from 0 to 100");
    expected.put("thresholds.block", "a score from 0 to 100");
    expected.put("block-response", RESPONSE);
    expected.put("block-response.code", CODE);
    expected.put("block-response.reason", REASON);
    expected.put(
        "rules", "a mapping from rule id to its settings, e.g. from-pai-mismatch: {weight: 60}");
    expected.put("rules.*", "a mapping with enabled, weight, action, response or some of them");
    expected.put(
        "rules.*.allow-mobile-roaming", "true or false, on the rule domestic-cli-from-abroad");
    expected.put("rules.*.digits", "an integer from 2 to 15, on the rule neighbour-spoofing");
    expected.put("lists", "a mapping with protected-numbers, deny, allow, signers or some of them");
    expected.put("lists.signers", "a mapping with allow, deny or both");
    expected.put("lists.signers.allow", "a list of Service Provider Codes, e.g. [\"1234\"]");
    expected.put("lists.signers.allow[]", "a Service Provider Code, e.g. \"1234\"");
    expected.put("lists.signers.deny", "a list of Service Provider Codes, e.g. [\"666\"]");
    expected.put("lists.signers.deny[]", "a Service Provider Code, e.g. \"666\"");
    for (String list : List.of("lists.deny", "lists.allow")) {
      expected.put(list, "a mapping with numbers, spcs, sources, user-agents or some of them");
      expected.put(list + ".numbers", "a list of number list files, e.g. [{file: deny.txt}]");
      expected.put(list + ".numbers[]", "a mapping with file, e.g. {file: deny.txt}");
      expected.put(
          list + ".numbers[].file",
          "a number list file, relative to the config file's folder, e.g. deny.txt");
      expected.put(list + ".spcs", "a list of Service Provider Codes, e.g. [\"1234\"]");
      expected.put(list + ".spcs[]", "a Service Provider Code, e.g. \"1234\"");
      expected.put(list + ".sources", "a list of CIDRs, e.g. [203.0.113.0/24]");
      expected.put(list + ".sources[]", "a CIDR, e.g. 192.0.2.0/24 or 2001:db8::/32");
      expected.put(list + ".user-agents", "a list of regular expressions, e.g. [friendly-scanner]");
      expected.put(
          list + ".user-agents[]",
          "a regular expression found anywhere in the User-Agent, ignoring case, e.g."
              + " sipvicious");
    }
    expected.put(
        "lists.protected-numbers", "a list of number list files, e.g. [{file: bank-dno.txt}]");
    expected.put("lists.protected-numbers[]", "a mapping with file, e.g. {file: bank-dno.txt}");
    expected.put(
        "lists.protected-numbers[].file",
        "a number list file, relative to the config file's folder, e.g. bank-dno.txt");
    expected.put("rules.*.enabled", "true or false");
    expected.put("rules.*.weight", "a weight from 0 to 100");
    expected.put("rules.*.action", "one of allow, label, anonymise, block, mark");
    expected.put("rules.*.response", RESPONSE);
    expected.put("rules.*.response.code", CODE);
    expected.put("rules.*.response.reason", REASON);
    expected.put(
        "verdict-header", "a header name of letters, digits and -, e.g. X-SipSentry-Verdict");
    expected.put("audit-log", "a file path, e.g. var/audit.jsonl");
    expected.put(
        "stir",
        "a mapping with trust-anchors and optionally crls, policy, fetch and"
            + " verstat-attestation-suffix");
    expected.put(
        "stir.trust-anchors",
        "a directory of STI-CA root certificates (*.pem, *.crt or *.cer files), e.g."
            + " /etc/sipsentry/sti-ca");
    expected.put("stir.crls", "a list of CRL files (PEM or DER), e.g. [/etc/sipsentry/sti-pa.crl]");
    expected.put("stir.crls[]", "a CRL file (PEM or DER), e.g. /etc/sipsentry/sti-pa.crl");
    expected.put(
        "stir.policy",
        "a mapping with max-age, future-skew, check-date, strict-identity-params or some of them");
    expected.put("stir.policy.max-age", DURATION + ", at most 1h");
    expected.put("stir.policy.future-skew", DURATION + ", at most 1h");
    expected.put("stir.policy.check-date", "true or false");
    expected.put("stir.policy.strict-identity-params", "true or false");
    expected.put("stir.fetch", "a mapping with the certificate fetch settings");
    expected.put("stir.fetch.allow-http", "true or false");
    expected.put("stir.fetch.allowed-ports", "a list of ports, e.g. [443, 8443]");
    expected.put("stir.fetch.allowed-ports[]", "a port from 1 to 65535");
    expected.put(
        "stir.fetch.allow-addresses",
        "a list of address classes, e.g. [loopback]; each one of " + ADDRESS_CLASSES);
    expected.put("stir.fetch.allow-addresses[]", "one of " + ADDRESS_CLASSES);
    expected.put("stir.fetch.timeout", DURATION + ", from 1ms to 1m");
    expected.put(
        "stir.fetch.max-body", "a size such as 64KiB, 1MiB or 65536 (bytes), at most 16MiB");
    expected.put("stir.fetch.cache-min-ttl", DURATION);
    expected.put("stir.fetch.cache-max-ttl", DURATION + ", at least cache-min-ttl");
    expected.put("stir.fetch.negative-ttl", DURATION + ", or 0s not to cache failures");
    expected.put("stir.fetch.breaker-threshold", "an integer from 1 to 1000");
    expected.put("stir.fetch.breaker-cooldown", DURATION + ", at least 1s");
    expected.put("stir.fetch.threads", "an integer from 1 to 256");
    expected.put(
        "stir.fetch.tls-ca-file", "a PEM file of CA certificates, e.g. /etc/sipsentry/lab-ca.pem");
    expected.put("stir.verstat-attestation-suffix", "true or false");
    expected.put("admin", "a mapping with listen and token-file, e.g. listen: 127.0.0.1:8080");
    expected.put(
        "stir.signing",
        "a mapping with key and x5u, e.g. {key: /etc/sipsentry/sp-key.pem, x5u:"
            + " https://certs.example.net/sp.pem}");
    expected.put(
        "stir.signing.key",
        "a PEM file with an EC P-256 private key (PRIVATE KEY or EC PRIVATE KEY), e.g."
            + " /etc/sipsentry/sp-key.pem");
    expected.put(
        "stir.signing.x5u",
        "the http or https URL of the signing certificate, e.g. https://certs.example.net/sp.pem");
    expected.put(
        "admin.listen",
        "a literal IP address and port, or a port alone for 127.0.0.1, e.g. 127.0.0.1:8080");
    expected.put(
        "admin.token-file",
        "a file only its owner can read (e.g. chmod 600) holding the token on one line, e.g."
            + " /etc/sipsentry/admin.token");
    expected.put("actions", "a mapping with label");
    expected.put("actions.label", "a mapping with display-name-prefix");
    expected.put(
        "actions.label.display-name-prefix",
        "text of 1 to 32 characters on one line, without control characters, e.g. \"[SPOOF?] \"");
    expected.put(
        "audit",
        "a mapping with file, queue-capacity, on-full, max-size, rotate-every, keep, fsync,"
            + " syslog or some of them");
    expected.put("audit.file", "a file path, e.g. var/audit.jsonl; or audit-log, not both");
    expected.put("audit.queue-capacity", "an integer from 1 to 1048576 (records)");
    expected.put("audit.on-full", "one of block-calls, drop-records");
    expected.put(
        "audit.max-size",
        "a size such as 100MB, 512MiB or 0 (no size limit): bytes, KB/MB/GB (powers of 1000) or"
            + " KiB/MiB/GiB (powers of 1024), from 1KiB to 1TiB");
    expected.put("audit.rotate-every", "a duration such as 1h or 1d, from 1m to 366d");
    expected.put("audit.keep", "an integer from 1 to 10000 (rotated files)");
    expected.put(
        "audit.fsync", "one of never, batch, interval <duration> (e.g. interval 1s, 10ms..1h)");
    expected.put(
        "audit.syslog",
        "a mapping with address and optionally facility, app-name, max-message-bytes");
    expected.put(
        "audit.syslog.address",
        "a literal IP address and UDP port, e.g. 127.0.0.1:514 or [::1]:514");
    expected.put(
        "audit.syslog.facility",
        "a syslog facility: kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron,"
            + " authpriv, ftp, ntp, audit, alert, clock, local0 .. local7");
    expected.put("audit.syslog.app-name", "1 to 48 printable US-ASCII characters without spaces");
    expected.put("audit.syslog.max-message-bytes", "an integer from 480 to 65507");
    return Map.copyOf(expected);
  }

  /** What the key at {@code keyPath} takes, if it is a key of this file. */
  static Optional<String> expected(String keyPath) {
    String pattern =
        keyPath
            .replaceAll("\\[\\d+]", "[]")
            .replaceFirst("^rules\\.[^.]+", "rules.*")
            .replaceFirst("^(trunks\\[]\\.stir\\.responses)\\.[^.]+", "$1.*");
    return Optional.ofNullable(EXPECTED.get(pattern));
  }
}
