package org.sipsentry.detector;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sipsentry.detector.numbers.NamedList;

/**
 * The parameters of the checks that take any, besides their rule settings.
 *
 * @param allowMobileRoaming whether {@code domestic-cli-from-abroad} exempts mobile numbers (a
 *     subscriber roaming abroad legitimately calls home with a domestic number)
 * @param protectedNumbers the lists of {@code protected-number}, searched in order
 * @param deny what {@code denylisted} finds
 * @param allow what {@code allowlisted} finds
 * @param neighbourDigits how many leading E.164 digits caller and callee must share for {@code
 *     neighbour-spoofing}, 2–15
 * @param signersAllowed the SPCs {@code signer-denied} accepts; empty: any not denied
 * @param signersDenied the SPCs {@code signer-denied} refuses
 * @param rateLimits the limits of {@code rate-exceeded} by trunk name ({@code default} included); a
 *     trunk not in it has none
 */
public record CheckOptions(
    boolean allowMobileRoaming,
    List<NamedList> protectedNumbers,
    CallerList deny,
    CallerList allow,
    int neighbourDigits,
    Set<String> signersAllowed,
    Set<String> signersDenied,
    Map<String, RateLimits> rateLimits) {

  /** The default of {@link #neighbourDigits}: the area code and exchange of most plans. */
  public static final int DEFAULT_NEIGHBOUR_DIGITS = 7;

  /** No mobile exemption, no protected numbers, empty deny and allow lists. */
  public static final CheckOptions DEFAULT = new CheckOptions(false, List.of());

  public CheckOptions {
    protectedNumbers = List.copyOf(protectedNumbers);
    Objects.requireNonNull(deny, "deny");
    Objects.requireNonNull(allow, "allow");
    if (neighbourDigits < 2 || neighbourDigits > 15) {
      throw new IllegalArgumentException(
          "neighbour digits " + neighbourDigits + " is outside 2..15; E.164 numbers have 15");
    }
    signersAllowed = Set.copyOf(signersAllowed);
    signersDenied = Set.copyOf(signersDenied);
    rateLimits = Map.copyOf(rateLimits);
  }

  /** Options without rate limits. */
  public CheckOptions(
      boolean allowMobileRoaming,
      List<NamedList> protectedNumbers,
      CallerList deny,
      CallerList allow,
      int neighbourDigits,
      Set<String> signersAllowed,
      Set<String> signersDenied) {
    this(
        allowMobileRoaming,
        protectedNumbers,
        deny,
        allow,
        neighbourDigits,
        signersAllowed,
        signersDenied,
        Map.of());
  }

  /** Options with the default neighbour digits and no signer policy. */
  public CheckOptions(
      boolean allowMobileRoaming,
      List<NamedList> protectedNumbers,
      CallerList deny,
      CallerList allow) {
    this(
        allowMobileRoaming,
        protectedNumbers,
        deny,
        allow,
        DEFAULT_NEIGHBOUR_DIGITS,
        Set.of(),
        Set.of());
  }

  /** Options with empty deny and allow lists. */
  public CheckOptions(boolean allowMobileRoaming, List<NamedList> protectedNumbers) {
    this(allowMobileRoaming, protectedNumbers, CallerList.EMPTY, CallerList.EMPTY);
  }
}
