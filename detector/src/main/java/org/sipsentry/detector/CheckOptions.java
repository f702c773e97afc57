package org.sipsentry.detector;

import java.util.List;
import org.sipsentry.detector.numbers.NamedList;

/**
 * The parameters of the checks that take any, besides their rule settings.
 *
 * @param allowMobileRoaming whether {@code domestic-cli-from-abroad} exempts mobile numbers (a
 *     subscriber roaming abroad legitimately calls home with a domestic number)
 * @param protectedNumbers the lists of {@code protected-number}, searched in order
 */
public record CheckOptions(boolean allowMobileRoaming, List<NamedList> protectedNumbers) {

  /** No mobile exemption, no protected numbers. */
  public static final CheckOptions DEFAULT = new CheckOptions(false, List.of());

  public CheckOptions {
    protectedNumbers = List.copyOf(protectedNumbers);
  }
}
