package org.sipsentry.detector;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the detector is told by the operator's configuration. The proxy converts its YAML records
 * into this; the detector never sees YAML.
 *
 * @param homeRegion ISO 3166 region for numbers in national format, e.g. {@code CH}
 * @param trunks known traffic sources, matched in order; unmatched sources get {@link
 *     Trunk#DEFAULT}
 * @param rules settings per rule id; every id of {@link #DEFAULT_RULES} is present
 * @param labelThreshold score at or above which a call is labelled, 0–100; a score of 0 (no
 *     finding, or only weightless ones) is never labelled, so 0 means "label whatever is found"
 * @param blockThreshold score at or above which a call is blocked, {@code labelThreshold}–100;
 *     likewise a score of 0 is never blocked by the score alone (a rule's forced action still
 *     applies)
 * @param blockResponse the response of a block when the blocking rule names none
 */
public record DetectorSettings(
    String homeRegion,
    List<Trunk> trunks,
    Map<String, RuleSettings> rules,
    int labelThreshold,
    int blockThreshold,
    SipStatus blockResponse) {

  /** The rule ids this detector knows, with their default weights. */
  public static final Map<String, RuleSettings> DEFAULT_RULES = defaultRules();

  public DetectorSettings {
    Objects.requireNonNull(homeRegion, "homeRegion");
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
    requireScore("label threshold", labelThreshold);
    requireScore("block threshold", blockThreshold);
    if (labelThreshold > blockThreshold) {
      throw new IllegalArgumentException(
          "label threshold " + labelThreshold + " is above block threshold " + blockThreshold);
    }
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

  /** The first trunk one of whose sources contains {@code address}, else {@link Trunk#DEFAULT}. */
  public Trunk trunkFor(InetAddress address) {
    for (Trunk trunk : trunks) {
      for (Cidr source : trunk.sources()) {
        if (source.contains(address)) {
          return trunk;
        }
      }
    }
    return Trunk.DEFAULT;
  }

  private static void requireScore(String name, int threshold) {
    if (threshold < 0 || threshold > 100) {
      throw new IllegalArgumentException(
          name + " " + threshold + " is outside 0..100; thresholds are scores");
    }
  }

  private static Map<String, RuleSettings> defaultRules() {
    Map<String, RuleSettings> rules = new LinkedHashMap<>();
    rules.put("from-pai-mismatch", RuleSettings.weighted(60));
    rules.put("untrusted-pai", RuleSettings.weighted(30));
    rules.put("invalid-cli", RuleSettings.weighted(40));
    rules.put("anonymous-caller", RuleSettings.weighted(20));
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
