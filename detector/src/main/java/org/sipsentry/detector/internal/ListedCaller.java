package org.sipsentry.detector.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberList;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@code denylisted} and {@code allowlisted}: the call is on the operator's deny or allow list, by
 * the caller's number or prefix (the believed P-Asserted-Identity, else the From, in E.164), the
 * SPC of the certificate that signed a passed STIR/SHAKEN verification, the source address, or a
 * User-Agent pattern. The evidence names every part of the list that covers the call. What the
 * finding does is the policy's business: an allow short-circuits to {@code allow}, a deny forces
 * its rule's action.
 */
final class ListedCaller implements VerifiedCheck {

  static final String DENY = "denylisted";
  static final String ALLOW = "allowlisted";

  private final String ruleId;
  private final CallerList list;

  ListedCaller(String ruleId, CallerList list) {
    this.ruleId = ruleId;
    this.list = list;
  }

  @Override
  public String ruleId() {
    return ruleId;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids, Optional<Verified> verified) {
    if (list.isEmpty()) {
      return Optional.empty();
    }
    List<String> why = new ArrayList<>(1);
    TelephoneNumber number = ids.caller().number();
    if (number.isNumber()) {
      String digits = number.e164().substring(1);
      for (NamedList named : list.numbers()) {
        Optional<NumberList.Match> match = named.list().lookup(digits);
        if (match.isPresent()) {
          why.add("caller " + number.e164() + " is " + match.get() + " in " + named.name());
          break;
        }
      }
    }
    if (verified.isPresent() && list.spcs().contains(verified.get().spc())) {
      why.add("signer SPC " + verified.get().spc());
    }
    InetAddress source = call.source().getAddress();
    for (Cidr cidr : list.sources()) {
      if (cidr.contains(source)) {
        why.add("source " + source.getHostAddress() + " is in " + cidr);
        break;
      }
    }
    if (!call.userAgent().isEmpty()) {
      for (Pattern pattern : list.userAgents()) {
        Matcher matcher = pattern.matcher(call.userAgent());
        if (matcher.find()) {
          why.add("User-Agent \"" + call.userAgent() + "\" matches " + pattern.pattern());
          break;
        }
      }
    }
    return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
  }
}
