package org.sipsentry.proxy.analyze;

/** Receives what a capture file holds, in file order. */
public interface CaptureSink {

  /** A packet record. */
  void frame(CapturedFrame frame);

  /**
   * Something in the file could not be read as it should. {@code packet} is the number of the
   * packet record concerned (the next one, when the problem is between records).
   */
  void problem(long packet, String message);
}
