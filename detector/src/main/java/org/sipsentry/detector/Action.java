package org.sipsentry.detector;

import java.util.Locale;

/** What the proxy does with an initial INVITE. Ordered from mildest to strongest. */
public enum Action {
  /** Forward unchanged (apart from the proxy's own edits). */
  ALLOW,
  /** Forward with the verdict header (and verstat when the call was STIR-verified). */
  LABEL,
  /**
   * Forward with the caller's identity removed: From {@code "Anonymous"
   * <sip:anonymous@anonymous.invalid>} (its tag kept), {@code Privacy: id}, no P-Asserted-Identity,
   * and the verdict header (the Swiss "remove the CLI" option).
   */
  ANONYMISE,
  /** Answer with the block response; never forward. */
  BLOCK;

  /** The lower-case id used in YAML, the verdict header and the audit log. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an id such as {@code block}; throws {@link IllegalArgumentException} otherwise. */
  public static Action fromId(String id) {
    for (Action action : values()) {
      if (action.id().equals(id)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "\"" + id + "\" is not an action; expected one of allow, label, anonymise, block");
  }
}
