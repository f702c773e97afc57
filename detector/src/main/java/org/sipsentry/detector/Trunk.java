package org.sipsentry.detector;

import java.util.List;
import java.util.Objects;

/**
 * A source of traffic the operator knows: a peer carrier, a PBX, or the catch-all default.
 *
 * @param name the operator's name for it, used in the audit log
 * @param sources the networks its packets come from
 * @param trusted whether it is inside our RFC 3325 trust domain: its P-Asserted-Identity is
 *     believed; from any other trunk, P-Asserted-Identity is ignored and removed
 * @param stir whether and how its initial INVITEs are STIR/SHAKEN-verified
 */
public record Trunk(String name, List<Cidr> sources, boolean trusted, StirSettings stir) {

  /** The trunk for sources no configured trunk matches: untrusted, not verified. */
  public static final Trunk DEFAULT = new Trunk("default", List.of(), false);

  public Trunk {
    Objects.requireNonNull(name, "name");
    sources = List.copyOf(sources);
    Objects.requireNonNull(stir, "stir");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a trunk needs a name");
    }
  }

  /** A trunk whose calls are not STIR-verified. */
  public Trunk(String name, List<Cidr> sources, boolean trusted) {
    this(name, sources, trusted, StirSettings.OFF);
  }
}
