package org.sipsentry.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accepts TCP connections on a loopback address and never answers; closes them at the end: a
 * certificate server that stalls, so that a fetch runs into its timeout (or is still pending when
 * the proxy stops).
 */
final class StalledServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  StalledServer(InetAddress address) throws IOException {
    socket = new ServerSocket(0, 50, address);
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  accepted.add(socket.accept());
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "stalled-certificate-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port it listens on. */
  int port() {
    return socket.getLocalPort();
  }

  /** The connections accepted so far. */
  int connections() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
