package org.sipsentry.detector.internal;

import java.util.Optional;
import org.sipsentry.detector.CallContext;

/**
 * {@code anonymous-caller}: nobody we believe says who is calling. Found when there is no believed
 * P-Asserted-Identity and either the From is anonymous (RFC 3323 §4.1.1.3: user {@code anonymous}
 * or host {@code anonymous.invalid}) or the caller asked for identity privacy ({@code Privacy: id},
 * RFC 3325 §9.3). A caller withholding presentation behind a trusted PAI is not anonymous: the
 * network knows who it is. {@code Privacy: user}, {@code header} or {@code session} alone find
 * nothing: a From that still carries a number or a name is not anonymous.
 */
final class AnonymousCaller implements Check {

  static final String ID = "anonymous-caller";

  /** RFC 3325 §9.3: the priv-value asking that the asserted identity be withheld. */
  private static final String PRIVACY_ID = "id";

  @Override
  public String ruleId() {
    return ID;
  }

  @Override
  public Optional<String> inspect(CallContext call, Identities ids) {
    if (ids.assertedIdentity().isPresent()) {
      return Optional.empty();
    }
    boolean anonymousFrom = ids.from().isAnonymous();
    boolean privacyId = call.privacy().contains(PRIVACY_ID);
    if (!anonymousFrom && !privacyId) {
      return Optional.empty();
    }
    String what =
        anonymousFrom && privacyId
            ? "anonymous From " + call.from().uri() + " with Privacy: id"
            : anonymousFrom ? "anonymous From " + call.from().uri() : "Privacy: id";
    return Optional.of(what + " and no trusted P-Asserted-Identity");
  }
}
