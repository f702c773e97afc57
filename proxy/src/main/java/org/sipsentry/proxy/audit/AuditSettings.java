package org.sipsentry.proxy.audit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the audit log is written: its queue, what happens when the queue is full, rotation,
 * retention, fsync and the optional syslog copy. The file itself is {@code
 * ProxySettings.auditLog()}. All of it is bound at start.
 *
 * @param queueCapacity how many records may wait for the writer thread
 * @param onFull what happens to a call whose record does not fit in the queue
 * @param maxSizeBytes the size at which the file is rotated; 0 for no size limit
 * @param rotateEvery rotate at every multiple of this period since the epoch (UTC), e.g. daily at
 *     midnight UTC for 1d; empty for no time-based rotation
 * @param keep how many rotated files are kept; the oldest beyond that are deleted
 * @param fsync when written lines are forced to the disk
 * @param syslog where to send a copy of each record, if anywhere
 */
public record AuditSettings(
    int queueCapacity,
    OnFull onFull,
    long maxSizeBytes,
    Optional<Duration> rotateEvery,
    int keep,
    Fsync fsync,
    Optional<Syslog> syslog) {

  /** About a minute of records at 1,000 INVITEs/s; memory stays under ~100 MB when full. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  public static final int MAX_QUEUE_CAPACITY = 1 << 20;

  public static final int DEFAULT_KEEP = 30;

  public static final int MAX_KEEP = 10_000;

  /** 100 MB: a few hours of records at 1,000 INVITEs/s, small enough to open in an editor. */
  public static final long DEFAULT_MAX_SIZE_BYTES = 100_000_000L;

  /** The default: a queue of 65,536, block calls when full, 100 MB files, keep 30, fsync 1s. */
  public static final AuditSettings DEFAULTS =
      new AuditSettings(
          DEFAULT_QUEUE_CAPACITY,
          OnFull.BLOCK_CALLS,
          DEFAULT_MAX_SIZE_BYTES,
          Optional.empty(),
          DEFAULT_KEEP,
          Fsync.interval(Duration.ofSeconds(1)),
          Optional.empty());

  public AuditSettings {
    Objects.requireNonNull(onFull, "onFull");
    Objects.requireNonNull(rotateEvery, "rotateEvery");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(syslog, "syslog");
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          queueCapacity + " is outside 1.." + MAX_QUEUE_CAPACITY + " records");
    }
    if (maxSizeBytes < 0) {
      throw new IllegalArgumentException(maxSizeBytes + " bytes is negative");
    }
    if (rotateEvery.isPresent() && rotateEvery.get().compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(rotateEvery.get() + " is shorter than 1s");
    }
    if (keep < 1 || keep > MAX_KEEP) {
      throw new IllegalArgumentException(keep + " is outside 1.." + MAX_KEEP + " files");
    }
  }

  /** These settings with {@code syslog}. */
  public AuditSettings withSyslog(Optional<Syslog> syslog) {
    return new AuditSettings(queueCapacity, onFull, maxSizeBytes, rotateEvery, keep, fsync, syslog);
  }

  /** What happens to a call whose audit record does not fit in the queue. */
  public enum OnFull {
    /** Answer the INVITE 503 Service Unavailable with Retry-After; do not forward it. */
    BLOCK_CALLS("block-calls"),
    /** Forward the call; the record is lost and counted in {@code audit.dropped}. */
    DROP_RECORDS("drop-records");

    private final String id;

    OnFull(String id) {
      this.id = id;
    }

    /** The config value, e.g. {@code block-calls}. */
    public String id() {
      return id;
    }
  }

  /**
   * When written lines are forced to the disk ({@code FileChannel.force}).
   *
   * @param mode never, after every batch, or at most once per interval
   * @param interval for {@link Mode#INTERVAL}, the longest time written lines stay unforced; zero
   *     otherwise
   */
  public record Fsync(Mode mode, Duration interval) {

    public enum Mode {
      NEVER,
      BATCH,
      INTERVAL
    }

    public Fsync {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(interval, "interval");
      if ((mode == Mode.INTERVAL) != (!interval.isNegative() && !interval.isZero())) {
        throw new IllegalArgumentException(
            "an interval is given for the fsync mode interval only, and must be positive");
      }
    }

    /** Leave it to the operating system. */
    public static Fsync never() {
      return new Fsync(Mode.NEVER, Duration.ZERO);
    }

    /** After every batch the writer writes: every record is on disk before the next batch. */
    public static Fsync batch() {
      return new Fsync(Mode.BATCH, Duration.ZERO);
    }

    /** At most {@code interval} after a line is written. */
    public static Fsync interval(Duration interval) {
      return new Fsync(Mode.INTERVAL, interval);
    }

    @Override
    public String toString() {
      return switch (mode) {
        case NEVER -> "never";
        case BATCH -> "batch";
        case INTERVAL ->
            "interval " + interval.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
      };
    }
  }

  /**
   * A copy of every record as an RFC 5424 syslog message, one per UDP datagram (RFC 5426).
   *
   * @param address where to send, a literal IP address and port
   * @param facility the RFC 5424 §6.2.1 facility code, 0 to 23
   * @param appName the APP-NAME field: 1 to 48 printable US-ASCII characters
   * @param maxMessageBytes the largest datagram sent; a longer message is cut at a UTF-8 character
   *     boundary
   */
  public record Syslog(
      InetSocketAddress address, int facility, String appName, int maxMessageBytes) {

    /** RFC 5426 §3.2: every receiver SHOULD accept 2,048 octets. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 2048;

    /** RFC 5426 §3.2: every receiver MUST accept 480 octets (IPv4). */
    public static final int MIN_MESSAGE_BYTES = 480;

    /** The largest UDP payload over IPv4. */
    public static final int MAX_MESSAGE_BYTES = 65_507;

    public static final String DEFAULT_APP_NAME = "sipsentry";

    /** local0. */
    public static final int DEFAULT_FACILITY = 16;

    public Syslog {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(appName, "appName");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(address + " is not an IP address");
      }
      if (facility < 0 || facility > 23) {
        throw new IllegalArgumentException(facility + " is outside 0..23");
      }
      if (!appName.matches("[\\x21-\\x7e]{1,48}")) {
        throw new IllegalArgumentException(
            "\"" + appName + "\" is not 1 to 48 printable US-ASCII characters without spaces");
      }
      if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
        throw new IllegalArgumentException(
            maxMessageBytes
                + " is outside "
                + MIN_MESSAGE_BYTES
                + ".."
                + MAX_MESSAGE_BYTES
                + " bytes");
      }
    }
  }
}
