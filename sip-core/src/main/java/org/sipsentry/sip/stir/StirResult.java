package org.sipsentry.sip.stir;

import java.util.Objects;

/**
 * The result of one step of STIR/SHAKEN processing (parsing an Identity header, decoding a
 * PASSporT): the value, or why the input was refused. Bad input is data, not an exception.
 *
 * @param <T> the type of the value
 */
public sealed interface StirResult<T> permits StirResult.Ok, StirResult.Failed {

  /** A value the step accepted. */
  static <T> StirResult<T> ok(T value) {
    return new Ok<>(value);
  }

  /** A refusal. */
  static <T> StirResult<T> failed(StirFailure failure, String detail) {
    return new Failed<>(failure, detail);
  }

  /** The input was accepted. */
  record Ok<T>(T value) implements StirResult<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The input was refused.
   *
   * @param failure the failure with its SIP response
   * @param detail a human-readable explanation for logs; may quote received bytes (sanitised to
   *     printable ASCII by the parsers, but still untrusted)
   */
  record Failed<T>(StirFailure failure, String detail) implements StirResult<T> {
    public Failed {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(detail, "detail");
    }

    /** The same refusal as a result of another type. */
    public <U> Failed<U> retype() {
      return new Failed<>(failure, detail);
    }

    /** The same refusal as a verification outcome. */
    public StirOutcome.Fail toOutcome() {
      return new StirOutcome.Fail(failure, detail);
    }
  }
}
