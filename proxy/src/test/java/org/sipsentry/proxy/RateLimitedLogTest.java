package org.sipsentry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.RateLimitedLog");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final RateLimitedLog log = new RateLimitedLog(logger, 3, MINUTE, clock::get);

  @BeforeEach
  void attach() {
    logger.setLevel(Level.DEBUG);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logged);
  }

  @Test
  void log_overBurstWithinInterval_onlyBurstLogged() {
    for (int i = 0; i < 10; i++) {
      log.debug("sip.malformed", "bad message {}", i);
    }

    assertThat(messages()).containsExactly("bad message 0", "bad message 1", "bad message 2");
  }

  @Test
  void log_afterInterval_summaryOfSuppressedThenTheLine() {
    for (int i = 0; i < 10; i++) {
      log.warn("tcp.connect_failed", "connect {} failed", i);
    }
    clock.addAndGet(MINUTE.toNanos());
    log.warn("tcp.connect_failed", "connect {} failed", 10);

    assertThat(messages())
        .containsExactly(
            "connect 0 failed",
            "connect 1 failed",
            "connect 2 failed",
            "tcp.connect_failed: 7 similar message(s) suppressed in the last 60 s",
            "connect 10 failed");
    assertThat(logged.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
  }

  @Test
  void log_justBeforeIntervalEnds_stillSuppressed() {
    for (int i = 0; i < 3; i++) {
      log.debug("k", "line {}", i);
    }
    clock.addAndGet(MINUTE.toNanos() - 1);
    log.debug("k", "line {}", 3);

    assertThat(messages()).hasSize(3);
  }

  @Test
  void log_kindsCountedApart() {
    for (int i = 0; i < 5; i++) {
      log.debug("udp.socket_error", "udp {}", i);
      log.debug("tcp.connection_error", "tcp {}", i);
    }

    assertThat(messages()).filteredOn(m -> m.startsWith("udp")).hasSize(3);
    assertThat(messages()).filteredOn(m -> m.startsWith("tcp")).hasSize(3);
  }

  @Test
  void log_levelOff_nothingLoggedNorCounted() {
    logger.setLevel(Level.INFO);
    for (int i = 0; i < 10; i++) {
      log.debug("k", "hidden {}", i);
    }
    logger.setLevel(Level.DEBUG);
    log.debug("k", "shown");

    assertThat(messages()).containsExactly("shown");
  }

  @Test
  void log_throwableAndLineBreaks_oneLineWithoutStackTrace() {
    log.debug(
        "tcp.connection_error",
        "connection {} failed: {}",
        "peer\r\nInjected: line",
        new IOException("Connection reset by peer"));

    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getThrowableProxy()).isNull();
              assertThat(event.getFormattedMessage())
                  .isEqualTo(
                      "connection peer  Injected: line failed: java.io.IOException: Connection"
                          + " reset by peer");
            });
  }

  @Test
  void log_manyKinds_boundedByOverflowKind() {
    for (int i = 0; i < RateLimitedLog.MAX_KINDS + 50; i++) {
      log.debug("kind-" + i, "line {}", i);
    }

    // The first MAX_KINDS kinds get their own window; the rest share "other" (3 lines).
    assertThat(messages()).hasSize(RateLimitedLog.MAX_KINDS + 3);
  }

  @Test
  void new_badBurstOrInterval_rejected() {
    assertThatThrownBy(() -> new RateLimitedLog(logger, 0, MINUTE, clock::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst 0");
    assertThatThrownBy(() -> new RateLimitedLog(logger, 1, Duration.ZERO, clock::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not positive");
  }

  private List<String> messages() {
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
