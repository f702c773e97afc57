package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Calls;

/** Runs one check the way the detector does: identities parsed once for the home region. */
final class Checks {
  private Checks() {}

  static Optional<String> inspect(Check check, Calls.Builder call) {
    CallContext context = call.build();
    return check.inspect(context, Identities.of(context, Calls.HOME_REGION));
  }
}
