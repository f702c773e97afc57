package org.sipsentry.detector;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.sipsentry.detector.numbers.NamedList;

/**
 * An allow or deny list: a call is on it when any one of its parts covers the call.
 *
 * @param numbers number lists covering the caller (the believed P-Asserted-Identity, else the From)
 *     by number or prefix; the entries' trunks and attestations are not used here
 * @param spcs Service Provider Codes of the certificate that signed a passed STIR/SHAKEN
 *     verification
 * @param sources networks the INVITE's source address is in
 * @param userAgents patterns found anywhere in the User-Agent header (case-insensitive), e.g.
 *     {@code friendly-scanner}
 */
public record CallerList(
    List<NamedList> numbers, Set<String> spcs, List<Cidr> sources, List<Pattern> userAgents) {

  /** Nothing is on it. */
  public static final CallerList EMPTY = new CallerList(List.of(), Set.of(), List.of(), List.of());

  public CallerList {
    numbers = List.copyOf(numbers);
    spcs = Set.copyOf(spcs);
    sources = List.copyOf(sources);
    userAgents = List.copyOf(userAgents);
  }

  /** Whether the list has no part at all: then it covers no call. */
  public boolean isEmpty() {
    return numbers.isEmpty() && spcs.isEmpty() && sources.isEmpty() && userAgents.isEmpty();
  }
}
