package org.sipsentry.proxy.reload;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What a reload of the configuration did. */
public sealed interface ReloadOutcome {

  /**
   * The new configuration runs: calls whose INVITE arrives from now on are judged by it.
   *
   * @param generation the number of the configuration now in force: 1 for the one started with, one
   *     more on each applied reload
   * @param applied the reloadable settings that changed (or, for list files and STIR files, whose
   *     contents are not compared, were read again), one description each
   * @param needsRestart the settings that changed in the file but cannot change while running
   *     (listen addresses, transports, ...), one description each; they keep their running values
   */
  record Applied(long generation, List<String> applied, List<String> needsRestart)
      implements ReloadOutcome {
    public Applied {
      if (generation < 1) {
        throw new IllegalArgumentException("generation " + generation + " is not positive");
      }
      applied = List.copyOf(applied);
      needsRestart = List.copyOf(needsRestart);
    }
  }

  /**
   * The file could not be used; the running configuration is unchanged.
   *
   * @param error one line for the operator, naming the file, and the line and key when known
   * @param problems the same, one entry per problem found, for a machine
   */
  record Rejected(String error, List<Problem> problems) implements ReloadOutcome {
    public Rejected {
      Objects.requireNonNull(error, "error");
      problems = List.copyOf(problems);
    }

    /** A refusal with one problem, described by {@code error} alone. */
    public Rejected(String error) {
      this(error, List.of(new Problem(Optional.empty(), OptionalInt.empty(), "", error)));
    }
  }

  /**
   * One reason a configuration was refused.
   *
   * @param file the file at fault, when known
   * @param line its 1-based line, when known
   * @param key the key path, e.g. {@code thresholds.block}; empty when the file as a whole is at
   *     fault
   * @param problem what was wrong and what was expected
   */
  record Problem(Optional<Path> file, OptionalInt line, String key, String problem) {
    public Problem {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(problem, "problem");
    }
  }
}
