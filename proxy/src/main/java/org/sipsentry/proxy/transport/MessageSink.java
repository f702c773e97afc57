package org.sipsentry.proxy.transport;

import io.netty.util.concurrent.EventExecutor;
import org.sipsentry.proxy.core.Inbound;

/** Receives each framed SIP message from a transport, on the event loop that read it. */
@FunctionalInterface
public interface MessageSink {

  void onMessage(byte[] message, Inbound from, EventExecutor eventLoop);
}
