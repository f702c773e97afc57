package org.sipsentry.proxy.core;

import java.net.InetSocketAddress;
import org.sipsentry.sip.Transport;

/**
 * Sends SIP messages. Implemented by the transports; never blocks the caller (writes are queued on
 * the channel's event loop and a TCP connection, when needed, is opened asynchronously).
 */
public interface Outbound {

  /**
   * Sends {@code message}.
   *
   * @param transport UDP or TCP
   * @param destination where to: for TCP an existing connection to this address is reused, else one
   *     is opened
   * @param connectionId for TCP, a connection to prefer (the one a request came in on, RFC 3261
   *     §18.2.2); 0 for none. If it is gone, {@code destination} is used.
   * @param message the bytes; ownership passes to the transport
   * @param undeliverable run, on some event loop, if the message could not be handed to the network
   *     (no socket for that transport, TCP connection refused or timed out)
   */
  void send(
      Transport transport,
      InetSocketAddress destination,
      long connectionId,
      byte[] message,
      Runnable undeliverable);

  /** The address we put in our Via for {@code transport} (RFC 3261 §16.6 step 8). */
  String sentBy(Transport transport);
}
