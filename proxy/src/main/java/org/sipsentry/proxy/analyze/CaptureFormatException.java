package org.sipsentry.proxy.analyze;

/** The file is not a capture we can read at all: not pcap nor pcapng, or no header. */
public final class CaptureFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  public CaptureFormatException(String message) {
    super(message);
  }
}
