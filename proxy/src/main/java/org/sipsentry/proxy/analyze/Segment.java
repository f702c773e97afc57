package org.sipsentry.proxy.analyze;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import org.sipsentry.sip.Transport;

/**
 * The transport-layer content of one captured packet: a UDP datagram or a TCP segment.
 *
 * @param packet the packet's number in the capture
 * @param time the capture timestamp
 * @param transport UDP or TCP
 * @param source the sender's address and port
 * @param destination the receiver's address and port
 * @param payload the UDP or TCP payload
 * @param sequence for TCP, the segment's sequence number (unsigned 32 bits); 0 for UDP
 * @param syn for TCP, whether SYN is set (the payload starts at {@code sequence + 1})
 * @param finOrReset for TCP, whether FIN or RST is set
 */
public record Segment(
    long packet,
    Instant time,
    Transport transport,
    InetSocketAddress source,
    InetSocketAddress destination,
    byte[] payload,
    long sequence,
    boolean syn,
    boolean finOrReset) {

  public Segment {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(payload, "payload");
  }
}
