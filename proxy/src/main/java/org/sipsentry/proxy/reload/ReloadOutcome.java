package org.sipsentry.proxy.reload;

import java.util.List;
import java.util.Objects;

/** What a reload of the configuration did. */
public sealed interface ReloadOutcome {

  /**
   * The new configuration runs: calls whose INVITE arrives from now on are judged by it.
   *
   * @param needsRestart the settings that changed in the file but cannot change while running
   *     (listen addresses, transports, ...), one description each; they keep their running values
   */
  record Applied(List<String> needsRestart) implements ReloadOutcome {
    public Applied {
      needsRestart = List.copyOf(needsRestart);
    }
  }

  /**
   * The file could not be used; the running configuration is unchanged.
   *
   * @param error one line for the operator, naming the file, and the line and key when known
   */
  record Rejected(String error) implements ReloadOutcome {
    public Rejected {
      Objects.requireNonNull(error, "error");
    }
  }
}
