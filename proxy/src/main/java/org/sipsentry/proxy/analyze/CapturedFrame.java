package org.sipsentry.proxy.analyze;

import java.time.Instant;
import java.util.Objects;

/**
 * One packet record of a capture file, as captured: its link-layer frame and when it was seen.
 *
 * @param number the packet's number in the file, from 1, as Wireshark numbers frames
 * @param time the capture timestamp
 * @param linkType the LINKTYPE_ value of the frame (tcpdump.org/linktypes.html)
 * @param data the captured bytes of the frame (possibly cut by the snap length)
 * @param originalLength the frame's length on the wire
 */
public record CapturedFrame(
    long number, Instant time, int linkType, byte[] data, long originalLength) {

  public CapturedFrame {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
    if (number < 1) {
      throw new IllegalArgumentException("number: " + number + " is less than 1");
    }
  }

  /** Whether the capture kept less of the frame than was on the wire (a snap length). */
  public boolean cut() {
    return data.length < originalLength;
  }
}
