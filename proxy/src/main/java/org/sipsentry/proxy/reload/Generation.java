package org.sipsentry.proxy.reload;

import java.util.Objects;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.stirapi.StirServices;
import org.sipsentry.proxy.transport.MessageSink;

/**
 * One configuration in force: its settings and the proxy built from them (with its detector and
 * transaction state). Immutable; a reload builds a new one.
 *
 * @param settings the settings the proxy was built from
 * @param proxy handles the messages of the transactions that begin under these settings
 * @param release frees what belongs to this generation alone (a certificate fetcher's threads); run
 *     once no transaction of it can be in flight any more
 * @param stir what the admin endpoint's STIR REST API can do under these settings
 */
public record Generation(
    ProxySettings settings, MessageSink proxy, Runnable release, StirServices stir) {

  public Generation {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(stir, "stir");
  }

  /** A generation without STIR REST services. */
  public Generation(ProxySettings settings, MessageSink proxy, Runnable release) {
    this(settings, proxy, release, StirServices.NONE);
  }
}
