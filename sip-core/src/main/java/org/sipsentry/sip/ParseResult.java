package org.sipsentry.sip;

import java.util.Objects;

/** The outcome of {@link SipCodec#parse}: a message, or the reason it was rejected. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

  /** A well-formed message. */
  record Parsed(SipMessage message) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A message {@link SipCodec} refused.
   *
   * @param defect what is wrong
   * @param detail the header field name for {@link Defect#MALFORMED_HEADER}, {@link
   *     Defect#MISSING_HEADER} and {@link Defect#DUPLICATE_HEADER}; otherwise a human-readable
   *     explanation for logs (may contain received bytes: sanitise before echoing it)
   */
  record Rejected(Defect defect, String detail) implements ParseResult {

    /** RFC 3261 §25.1: Reason-Phrase; we keep it short so a 400 stays small. */
    private static final int MAX_REASON_PHRASE = 80;

    public Rejected {
      Objects.requireNonNull(defect, "defect");
      Objects.requireNonNull(detail, "detail");
    }

    /**
     * A reason phrase for the response naming the defect, e.g. {@code "Malformed From"}, {@code
     * "Missing Call-ID"}, {@code "Bad Content-Length"}: printable ASCII only (no CR/LF), at most 80
     * characters.
     */
    public String reasonPhrase() {
      String text =
          detail.isEmpty()
              ? defect.phrase()
              : switch (defect) {
                case MALFORMED_HEADER -> "Malformed " + detail;
                case MISSING_HEADER -> "Missing " + detail;
                case DUPLICATE_HEADER -> "Duplicate " + detail;
                default -> defect.phrase();
              };
      int length = Math.min(text.length(), MAX_REASON_PHRASE);
      StringBuilder phrase = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        char c = text.charAt(i);
        phrase.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return phrase.toString().strip();
    }
  }
}
