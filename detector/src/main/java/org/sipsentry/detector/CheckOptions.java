package org.sipsentry.detector;

import java.util.List;
import java.util.Objects;
import org.sipsentry.detector.numbers.NamedList;

/**
 * The parameters of the checks that take any, besides their rule settings.
 *
 * @param allowMobileRoaming whether {@code domestic-cli-from-abroad} exempts mobile numbers (a
 *     subscriber roaming abroad legitimately calls home with a domestic number)
 * @param protectedNumbers the lists of {@code protected-number}, searched in order
 * @param deny what {@code denylisted} finds
 * @param allow what {@code allowlisted} finds
 */
public record CheckOptions(
    boolean allowMobileRoaming,
    List<NamedList> protectedNumbers,
    CallerList deny,
    CallerList allow) {

  /** No mobile exemption, no protected numbers, empty deny and allow lists. */
  public static final CheckOptions DEFAULT = new CheckOptions(false, List.of());

  public CheckOptions {
    protectedNumbers = List.copyOf(protectedNumbers);
    Objects.requireNonNull(deny, "deny");
    Objects.requireNonNull(allow, "allow");
  }

  /** Options with empty deny and allow lists. */
  public CheckOptions(boolean allowMobileRoaming, List<NamedList> protectedNumbers) {
    this(allowMobileRoaming, protectedNumbers, CallerList.EMPTY, CallerList.EMPTY);
  }
}
