package org.sipsentry.proxy.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.sip.Transport;

/**
 * Finds what a valid file says that can never take effect: rules the file configures that can never
 * fire, trunks no packet can reach, thresholds no score can reach. Each is a {@link ConfigWarning};
 * only what can be shown never to apply is reported, so a warning is always worth reading.
 *
 * <p>Rules are looked at only when the file names them under {@code rules}: a rule left at its
 * defaults (say {@code protected-number} in a file with no lists) is not something the operator
 * asked for.
 */
final class UnreachableSettings {

  private static final String PROTECTED_NUMBER = "protected-number";
  private static final String DOMESTIC_CLI_FROM_ABROAD = "domestic-cli-from-abroad";
  private static final String NEIGHBOUR_SPOOFING = "neighbour-spoofing";

  private static final Comparator<ConfigWarning> BY_LINE =
      Comparator.comparingInt(w -> w.line().orElse(0));

  private final ConfigSource source;
  private final List<ConfigWarning> warnings = new ArrayList<>();

  private UnreachableSettings(ConfigSource source) {
    this.source = source;
  }

  /** The warnings for {@code file}, loaded into {@code settings}, sorted by line. */
  static List<ConfigWarning> find(ConfigSource source, ConfigFile file, DetectorSettings settings) {
    UnreachableSettings finder = new UnreachableSettings(source);
    finder.rules(file.rules().orElse(Map.of()).keySet(), settings);
    finder.shadowedTrunks(settings.trunks());
    finder.thresholds(settings);
    finder.warnings.sort(BY_LINE);
    return List.copyOf(finder.warnings);
  }

  private void rules(Set<String> written, DetectorSettings settings) {
    for (String id : written) {
      RuleSettings rule = settings.rules().get(id);
      RuleSettings defaults = DetectorSettings.DEFAULT_RULES.get(id);
      if (!rule.enabled() || rule.marked()) {
        continue; // a marked rule is a dry run: it is meant not to change verdicts
      }
      // Rules weightless by design (allowlisted acts through the policy, the stir-attestation-a/b
      // reasons only inform) are not warned about; a weighted rule lowered to 0 is.
      if (rule.weight() == 0 && rule.action().isEmpty() && defaults.weight() > 0) {
        warn(
            "rules." + id + ".weight",
            "rule "
                + id
                + " has weight 0 and no action, so its finding never changes a verdict; expected a"
                + " weight above 0, an action, or enabled: false");
      }
    }
    String path = "rules.";
    if (enabled(written, settings, PROTECTED_NUMBER)
        && settings.options().protectedNumbers().isEmpty()) {
      warn(
          path + PROTECTED_NUMBER,
          "rule protected-number can never fire: lists.protected-numbers names no list; expected"
              + " a list file there, or enabled: false");
    }
    if (enabled(written, settings, DOMESTIC_CLI_FROM_ABROAD)
        && settings.trunks().stream().noneMatch(Trunk::international)) {
      warn(
          path + DOMESTIC_CLI_FROM_ABROAD,
          "rule domestic-cli-from-abroad can never fire: no trunk is international; expected a"
              + " trunk with international: true, or enabled: false");
    }
    if (enabled(written, settings, NEIGHBOUR_SPOOFING) && everySourceTrustedDomestic(settings)) {
      warn(
          path + NEIGHBOUR_SPOOFING,
          "rule neighbour-spoofing can never fire: it looks at untrusted or international trunks,"
              + " and every source (0.0.0.0/0 and ::/0 included) is a trusted domestic trunk;"
              + " expected an untrusted or international trunk, or enabled: false");
    }
  }

  private static boolean enabled(Set<String> written, DetectorSettings settings, String id) {
    return written.contains(id) && settings.rules().get(id).enabled();
  }

  /**
   * True when no packet can reach an untrusted or international trunk, the default trunk included:
   * every trunk is trusted and domestic, and trunks over any transport take all of IPv4 and IPv6.
   */
  private static boolean everySourceTrustedDomestic(DetectorSettings settings) {
    boolean allV4 = false;
    boolean allV6 = false;
    for (Trunk trunk : settings.trunks()) {
      if (!trunk.trusted() || trunk.international()) {
        return false;
      }
      if (trunk.transports().isEmpty()) {
        for (Cidr source : trunk.sources()) {
          if (source.prefixLength() == 0) {
            allV4 |= source.network().getAddress().length == 4;
            allV6 |= source.network().getAddress().length == 16;
          }
        }
      }
    }
    return allV4 && allV6;
  }

  /** Trunks are matched in order: a trunk whose every source an earlier one takes gets nothing. */
  private void shadowedTrunks(List<Trunk> trunks) {
    for (int j = 1; j < trunks.size(); j++) {
      Trunk later = trunks.get(j);
      List<String> takenBy = new ArrayList<>();
      for (Cidr source : later.sources()) {
        Optional<String> earlier = earlierTaker(trunks, j, source, later.transports());
        if (earlier.isEmpty()) {
          takenBy.clear();
          break;
        }
        takenBy.add(source + " by " + earlier.get());
      }
      if (!takenBy.isEmpty()) {
        warn(
            "trunks[" + j + "]",
            "trunk \""
                + later.name()
                + "\" can never match a packet: an earlier trunk takes each of its sources ("
                + String.join("; ", takenBy)
                + "); expected it before that trunk, or sources no earlier trunk covers");
      }
    }
  }

  /** The first trunk before {@code j} that takes every packet from {@code source}, if any. */
  private static Optional<String> earlierTaker(
      List<Trunk> trunks, int j, Cidr source, Set<Transport> transports) {
    for (int i = 0; i < j; i++) {
      Trunk earlier = trunks.get(i);
      boolean allTransports =
          earlier.transports().isEmpty()
              || (!transports.isEmpty() && earlier.transports().containsAll(transports));
      if (!allTransports) {
        continue;
      }
      for (Cidr wider : earlier.sources()) {
        if (wider.prefixLength() <= source.prefixLength() && wider.contains(source.network())) {
          return Optional.of("trunks[" + i + "] \"" + earlier.name() + "\" " + wider);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A score is the sum of the weights of the rules that found something: when all the rules that
   * can fire together stay below a threshold, only a rule's forced action can reach it.
   */
  private void thresholds(DetectorSettings settings) {
    int reachable = 0;
    for (Map.Entry<String, RuleSettings> rule : settings.rules().entrySet()) {
      if (rule.getValue().enabled()
          && !rule.getValue().marked()
          && canFire(rule.getKey(), settings)) {
        reachable += rule.getValue().weight();
      }
    }
    Thresholds top =
        new Thresholds(
            settings.labelThreshold(), settings.anonymiseThreshold(), settings.blockThreshold());
    unreachable("thresholds", top, reachable);
    List<Trunk> trunks = settings.trunks();
    for (int i = 0; i < trunks.size(); i++) {
      Optional<Thresholds> own = trunks.get(i).thresholds();
      if (own.isPresent()) {
        unreachable("trunks[" + i + "].thresholds", own.get(), reachable);
      }
    }
  }

  /**
   * False when rule {@code id} has nothing to look at: no list, no international trunk, no rate
   * limit, no trunk that verifies STIR/SHAKEN (the signer, replay and attestation rules need a
   * verified PASSporT). True whenever it might fire.
   */
  private static boolean canFire(String id, DetectorSettings settings) {
    boolean verifies = settings.stirEnabled();
    return switch (id) {
      case PROTECTED_NUMBER -> !settings.options().protectedNumbers().isEmpty();
      case DOMESTIC_CLI_FROM_ABROAD -> settings.trunks().stream().anyMatch(Trunk::international);
      case NEIGHBOUR_SPOOFING -> !everySourceTrustedDomestic(settings);
      case "denylisted" -> !settings.options().deny().isEmpty();
      case "allowlisted" -> !settings.options().allow().isEmpty();
      case "rate-exceeded" -> !settings.options().rateLimits().isEmpty();
      case "attestation-too-low" ->
          verifies && settings.trunks().stream().anyMatch(t -> t.minimumAttestation().isPresent());
      case "signer-denied", "passport-replay" -> verifies;
      default -> !id.startsWith("stir-") || verifies;
    };
  }

  private void unreachable(String path, Thresholds thresholds, int reachable) {
    // The lowest unreachable threshold says it all: the ones above it are unreachable too.
    String key;
    int threshold;
    if (thresholds.label() > reachable) {
      key = "label";
      threshold = thresholds.label();
    } else if (thresholds.anonymise().isPresent() && thresholds.anonymise().get() > reachable) {
      key = "anonymise";
      threshold = thresholds.anonymise().get();
    } else if (thresholds.block() > reachable) {
      key = "block";
      threshold = thresholds.block();
    } else {
      return;
    }
    warn(
        path + "." + key,
        "the "
            + key
            + " threshold "
            + threshold
            + " can never be reached by score: the weights of all enabled rules that can fire add"
            + " up to "
            + reachable
            + "; expected at most "
            + reachable
            + ", or higher weights");
  }

  private void warn(String keyPath, String text) {
    warnings.add(new ConfigWarning(source.file(), source.keys().line(keyPath), keyPath, text));
  }
}
