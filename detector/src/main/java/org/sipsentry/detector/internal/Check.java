package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;

/**
 * One thing a call can be found to show. A check is a pure, total function of the call: it never
 * throws on any {@link CallContext} the record's constructor accepted, keeps no state, and is safe
 * to call from many threads. It does not know its weight; the policy does.
 */
interface Check {

  /** The reason id of what this check finds: a key of {@code DetectorSettings.DEFAULT_RULES}. */
  String ruleId();

  /** The evidence, naming the values involved, when {@code call} shows it; empty otherwise. */
  Optional<String> inspect(CallContext call, Identities ids);
}
