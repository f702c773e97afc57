package org.sipsentry.detector;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;

/**
 * A source of traffic the operator knows: a peer carrier, a PBX, or the catch-all default.
 *
 * @param name the operator's name for it, used in the audit log
 * @param sources the networks its packets come from
 * @param trusted whether it is inside our RFC 3325 trust domain: its P-Asserted-Identity is
 *     believed; from any other trunk, P-Asserted-Identity is ignored and removed
 * @param stir whether and how its initial INVITEs are STIR/SHAKEN-verified
 * @param international whether its traffic comes from abroad (an international transit carrier)
 * @param transports the transports its packets come over; empty: any
 * @param thresholds its own label and block scores, instead of the detector's
 * @param minimumAttestation the weakest attestation of a passed STIR/SHAKEN verification accepted
 *     without the finding {@code attestation-too-low}
 */
public record Trunk(
    String name,
    List<Cidr> sources,
    boolean trusted,
    StirSettings stir,
    boolean international,
    Set<Transport> transports,
    Optional<Thresholds> thresholds,
    Optional<Attestation> minimumAttestation) {

  /** The trunk for sources no configured trunk matches: untrusted, not verified. */
  public static final Trunk DEFAULT = new Trunk("default", List.of(), false);

  public Trunk {
    Objects.requireNonNull(name, "name");
    sources = List.copyOf(sources);
    Objects.requireNonNull(stir, "stir");
    transports = Set.copyOf(transports);
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(minimumAttestation, "minimumAttestation");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a trunk needs a name");
    }
  }

  /** A trunk without minimum attestation. */
  public Trunk(
      String name,
      List<Cidr> sources,
      boolean trusted,
      StirSettings stir,
      boolean international,
      Set<Transport> transports,
      Optional<Thresholds> thresholds) {
    this(name, sources, trusted, stir, international, transports, thresholds, Optional.empty());
  }

  /** A domestic trunk over any transport, with the detector's thresholds. */
  public Trunk(String name, List<Cidr> sources, boolean trusted, StirSettings stir) {
    this(name, sources, trusted, stir, false, Set.of(), Optional.empty());
  }

  /** This trunk with STIR/SHAKEN verification off ({@link StirSettings#OFF}), all else kept. */
  public Trunk withoutStir() {
    return new Trunk(
        name,
        sources,
        trusted,
        StirSettings.OFF,
        international,
        transports,
        thresholds,
        minimumAttestation);
  }

  /** A domestic trunk whose calls are not STIR-verified. */
  public Trunk(String name, List<Cidr> sources, boolean trusted) {
    this(name, sources, trusted, StirSettings.OFF);
  }

  /** Whether a packet from {@code address} over {@code transport} belongs to this trunk. */
  public boolean matches(InetAddress address, Transport transport) {
    if (!transports.isEmpty() && !transports.contains(transport)) {
      return false;
    }
    for (Cidr source : sources) {
      if (source.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
