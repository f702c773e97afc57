package org.sipsentry.detector.internal;

import java.util.List;
import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.sip.TelephoneNumber;
import org.sipsentry.sip.stir.Attestation;

/**
 * {@code protected-number}: the caller (the believed P-Asserted-Identity, else the From) is covered
 * by an entry of a protected-number list (a number, or its longest listed prefix; the first list
 * with an entry decides) and the call breaks the entry's rule: its trunk is not among the entry's
 * trunks (a Do-Not-Originate entry has none), or the entry asks for a minimum attestation and the
 * call's verified attestation is weaker or missing. A failed verification proves no attestation.
 */
final class ProtectedNumber implements VerifiedCheck {

  static final String ID = "protected-number";

  private final List<NamedList> lists;

  ProtectedNumber(List<NamedList> lists) {
    this.lists = List.copyOf(lists);
  }

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids, Optional<Verified> verified) {
    Optional<Attestation> attestation = verified.map(Verified::attest);
    TelephoneNumber number = ids.caller().number();
    if (!number.isNumber()) {
      return Optional.empty();
    }
    String digits = number.e164().substring(1);
    for (NamedList named : lists) {
      Optional<NumberList.Match> found = named.list().lookup(digits);
      if (found.isPresent()) {
        return broken(call, number, named.name(), found.get(), attestation);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> broken(
      CallContext call,
      TelephoneNumber number,
      String list,
      NumberList.Match match,
      Optional<Attestation> attestation) {
    String entry = "caller " + number.e164() + " is " + match + " in " + list + ": ";
    NumberRule rule = match.rule();
    String trunk = call.trunk().name();
    if (rule.trunks().isEmpty()) {
      return Optional.of(entry + "Do-Not-Originate, received on trunk " + trunk);
    }
    if (!rule.allows(trunk)) {
      return Optional.of(
          entry
              + "trunk "
              + trunk
              + " may not originate it (allowed: "
              + String.join(",", rule.trunks().stream().sorted().toList())
              + ")");
    }
    if (rule.minimumAttestation().isEmpty()) {
      return Optional.empty();
    }
    Attestation minimum = rule.minimumAttestation().get();
    if (attestation.isEmpty()) {
      return Optional.of(entry + "needs attestation " + minimum + ", call has no verified one");
    }
    // A is the strongest: a later constant is a weaker attestation.
    if (attestation.get().compareTo(minimum) > 0) {
      return Optional.of(
          entry + "needs attestation " + minimum + ", call has " + attestation.get());
    }
    return Optional.empty();
  }
}
