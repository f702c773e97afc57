package org.sipsentry.proxy.config;

import java.util.List;
import java.util.Objects;
import org.sipsentry.proxy.ProxySettings;

/**
 * A config file that loaded, with what it would be wise to change.
 *
 * @param settings the settings the proxy runs with
 * @param warnings settings that have no effect, by line; empty for a clean file
 */
public record CheckedConfig(ProxySettings settings, List<ConfigWarning> warnings) {

  public CheckedConfig {
    Objects.requireNonNull(settings, "settings");
    warnings = List.copyOf(warnings);
  }
}
