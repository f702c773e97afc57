package org.sipsentry.proxy.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open TCP connection, by id and by peer address. Ids are never reused, so a response that
 * names a closed connection cannot reach a different peer.
 */
final class TcpConnections {

  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, Channel> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SocketAddress, Channel> byPeer = new ConcurrentHashMap<>();

  long register(Channel channel) {
    long id = ids.incrementAndGet();
    byId.put(id, channel);
    byPeer.put(channel.remoteAddress(), channel);
    return id;
  }

  void unregister(long id, Channel channel) {
    byId.remove(id, channel);
    byPeer.remove(channel.remoteAddress(), channel);
  }

  /** The open connection {@code id}, else one to {@code peer}, else null. */
  Channel find(long id, InetSocketAddress peer) {
    Channel channel = id == 0 ? null : byId.get(id);
    if (channel == null || !channel.isActive()) {
      channel = byPeer.get(peer);
    }
    return channel != null && channel.isActive() ? channel : null;
  }

  int size() {
    return byId.size();
  }
}
