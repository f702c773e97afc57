package org.sipsentry.proxy.core;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.sipsentry.sip.Transport;

/**
 * Where one message came from.
 *
 * @param source the peer's address as seen on the socket
 * @param transport the transport it arrived on
 * @param connectionId for TCP, the id of the connection it arrived on (see {@link Outbound}); 0 for
 *     UDP
 */
public record Inbound(InetSocketAddress source, Transport transport, long connectionId) {

  public Inbound {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(transport, "transport");
  }
}
