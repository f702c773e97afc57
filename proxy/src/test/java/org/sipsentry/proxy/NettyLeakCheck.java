package org.sipsentry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test whose buffers Netty's leak detector reports ("LEAK: ..." at ERROR). The build runs
 * tests with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked; a leak is
 * only noticed once the buffer is garbage collected, so after each test this collects garbage and
 * allocates a few buffers, which is when the detector reports.
 */
public final class NettyLeakCheck implements BeforeEachCallback, AfterEachCallback {

  private static final int ROUNDS = 5;

  private final ListAppender<ILoggingEvent> reports = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    reports.start();
    detectorLogger().addAppender(reports);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    try {
      for (int i = 0; i < ROUNDS; i++) {
        System.gc();
        Thread.sleep(20);
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
        probe.release();
      }
      assertThat(reports.list)
          .as("Netty leak reports")
          .noneMatch(event -> event.getFormattedMessage().contains("LEAK:"));
    } finally {
      detectorLogger().detachAppender(reports);
      reports.stop();
    }
  }

  private static Logger detectorLogger() {
    return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
  }
}
