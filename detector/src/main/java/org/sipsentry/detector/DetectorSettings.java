package org.sipsentry.detector;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sipsentry.sip.Transport;

/**
 * What the detector is told by the operator's configuration. The proxy converts its YAML records
 * into this; the detector never sees YAML.
 *
 * @param homeCountries the ISO 3166 regions whose numbers are domestic, e.g. {@code [CH, LI]}; the
 *     first is the region of numbers in national format ({@link #homeRegion()})
 * @param trunks known traffic sources, matched in order; unmatched sources get {@link
 *     Trunk#DEFAULT}
 * @param rules settings per rule id; every id of {@link #DEFAULT_RULES} is present
 * @param labelThreshold score at or above which a call is labelled, 0–100; a score of 0 (no
 *     finding, or only weightless ones) is never labelled, so 0 means "label whatever is found"
 * @param blockThreshold score at or above which a call is blocked, {@code labelThreshold}–100;
 *     likewise a score of 0 is never blocked by the score alone (a rule's forced action still
 *     applies)
 * @param blockResponse the response of a block when the blocking rule names none
 * @param options the parameters of the checks that take any
 * @param anonymiseThreshold score at or above which (and below the block threshold) a call is
 *     anonymised; empty: never by score alone (a rule's forced action still applies)
 */
public record DetectorSettings(
    List<String> homeCountries,
    List<Trunk> trunks,
    Map<String, RuleSettings> rules,
    int labelThreshold,
    int blockThreshold,
    SipStatus blockResponse,
    CheckOptions options,
    Optional<Integer> anonymiseThreshold) {

  /** The rule ids this detector knows, with their default weights. */
  public static final Map<String, RuleSettings> DEFAULT_RULES = defaultRules();

  public DetectorSettings {
    homeCountries = List.copyOf(homeCountries);
    if (homeCountries.isEmpty()) {
      throw new IllegalArgumentException("at least one home country is needed");
    }
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(anonymiseThreshold, "anonymiseThreshold");
    trunks = List.copyOf(trunks);
    Objects.requireNonNull(blockResponse, "blockResponse");
    Map<String, RuleSettings> merged = new LinkedHashMap<>(DEFAULT_RULES);
    for (Map.Entry<String, RuleSettings> rule : rules.entrySet()) {
      if (!DEFAULT_RULES.containsKey(rule.getKey())) {
        throw new IllegalArgumentException(
            "\"" + rule.getKey() + "\" is not a rule; expected one of " + DEFAULT_RULES.keySet());
      }
      merged.put(rule.getKey(), rule.getValue());
    }
    rules = Map.copyOf(merged);
    new Thresholds(labelThreshold, anonymiseThreshold, blockThreshold);
  }

  /** Settings that never anonymise by score. */
  public DetectorSettings(
      List<String> homeCountries,
      List<Trunk> trunks,
      Map<String, RuleSettings> rules,
      int labelThreshold,
      int blockThreshold,
      SipStatus blockResponse,
      CheckOptions options) {
    this(
        homeCountries,
        trunks,
        rules,
        labelThreshold,
        blockThreshold,
        blockResponse,
        options,
        Optional.empty());
  }

  /** Settings with one home country and checks without parameters. */
  public DetectorSettings(
      String homeRegion,
      List<Trunk> trunks,
      Map<String, RuleSettings> rules,
      int labelThreshold,
      int blockThreshold,
      SipStatus blockResponse) {
    this(
        List.of(homeRegion),
        trunks,
        rules,
        labelThreshold,
        blockThreshold,
        blockResponse,
        CheckOptions.DEFAULT);
  }

  /** These settings with {@code trunks} instead of their own. */
  public DetectorSettings withTrunks(List<Trunk> trunks) {
    return new DetectorSettings(
        homeCountries,
        trunks,
        rules,
        labelThreshold,
        blockThreshold,
        blockResponse,
        options,
        anonymiseThreshold);
  }

  /** The region of numbers in national format: the first home country. */
  public String homeRegion() {
    return homeCountries.get(0);
  }

  /** The thresholds of {@code trunk}: its own, else these settings'. */
  public Thresholds thresholds(Trunk trunk) {
    return trunk
        .thresholds()
        .orElseGet(() -> new Thresholds(labelThreshold, anonymiseThreshold, blockThreshold));
  }

  /** True when some trunk STIR-verifies its calls: the detector then needs a verifier. */
  public boolean stirEnabled() {
    for (Trunk trunk : trunks) {
      if (trunk.stir().enabled()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first trunk that matches a packet from {@code address} over {@code transport} ({@link
   * Trunk#matches}), else {@link Trunk#DEFAULT}.
   */
  public Trunk trunkFor(InetAddress address, Transport transport) {
    for (Trunk trunk : trunks) {
      if (trunk.matches(address, transport)) {
        return trunk;
      }
    }
    return Trunk.DEFAULT;
  }

  private static Map<String, RuleSettings> defaultRules() {
    Map<String, RuleSettings> rules = new LinkedHashMap<>();
    rules.put("from-pai-mismatch", RuleSettings.weighted(60));
    rules.put("untrusted-pai", RuleSettings.weighted(30));
    rules.put("invalid-cli", RuleSettings.weighted(40));
    rules.put("anonymous-caller", RuleSettings.weighted(20));
    // Weighted to block at the default block threshold (80) on their own: each names a caller
    // that cannot be calling from where the call comes.
    rules.put("domestic-cli-from-abroad", RuleSettings.weighted(80));
    // Off unless the operator turns it on: numbers in one exchange legitimately call each other,
    // and most peers are untrusted, so on by default it would tag ordinary traffic.
    rules.put(
        "neighbour-spoofing", new RuleSettings(false, 20, Optional.empty(), Optional.empty()));
    rules.put("protected-number", RuleSettings.weighted(80));
    // The operator's own lists: a deny blocks whatever the score, an allow lets the call through
    // whatever else is found (Policy).
    rules.put(
        "denylisted", new RuleSettings(true, 100, Optional.of(Action.BLOCK), Optional.empty()));
    rules.put("allowlisted", RuleSettings.weighted(0));
    rules.put("attestation-too-low", RuleSettings.weighted(30));
    rules.put("signer-denied", RuleSettings.weighted(60));
    rules.put("rate-exceeded", RuleSettings.weighted(50));
    rules.put("passport-replay", RuleSettings.weighted(80));
    // STIR/SHAKEN, on trunks that verify. A failure weighs enough to label at the default
    // threshold (30); an unsigned call on a verifying trunk, or gateway attestation, a little.
    rules.put("stir-failed", RuleSettings.weighted(50));
    rules.put("stir-missing", RuleSettings.weighted(10));
    rules.put("stir-attestation-a", RuleSettings.weighted(0));
    rules.put("stir-attestation-b", RuleSettings.weighted(0));
    rules.put("stir-attestation-c", RuleSettings.weighted(10));
    return Collections.unmodifiableMap(rules);
  }
}
