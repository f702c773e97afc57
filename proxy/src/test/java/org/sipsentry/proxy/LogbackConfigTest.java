package org.sipsentry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The logging configuration operators get (config/logback.xml, copied into the distribution) and
 * the one in the jar: the same but for the file scan, and one line per event, stack traces
 * included.
 */
class LogbackConfigTest {

  private static final Path OPERATORS = Path.of("../config/logback.xml");

  private static final String SCANNED = "<configuration scan=\"true\" scanPeriod=\"30 seconds\">";

  @Test
  void jarDefault_operatorsCopyWithoutScan() throws Exception {
    String operators = Files.readString(OPERATORS);
    assertThat(operators).contains(SCANNED);
    try (InputStream jar = LogbackConfigTest.class.getResourceAsStream("/logback.xml")) {
      assertThat(new String(jar.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(operators.replace(SCANNED, "<configuration>"));
    }
  }

  @Test
  void pattern_exceptionAndLineBreaks_oneLine() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(OPERATORS.toFile());
    Logger logger = context.getLogger("org.sipsentry.Test");
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> appender =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");

    LoggingEvent plain =
        new LoggingEvent("x", logger, Level.INFO, "two\nlines", null, new Object[0]);
    LoggingEvent failure =
        new LoggingEvent(
            "x",
            logger,
            Level.ERROR,
            "bug",
            new IllegalStateException("boom", new RuntimeException("cause")),
            new Object[0]);

    String plainLine = new String(appender.getEncoder().encode(plain), StandardCharsets.UTF_8);
    String failureLine = new String(appender.getEncoder().encode(failure), StandardCharsets.UTF_8);
    context.stop();

    assertThat(plainLine).endsWith(" INFO  [main] Test - two lines\n").containsOnlyOnce("\n");
    assertThat(failureLine)
        .containsOnlyOnce("\n")
        .contains("Test - bug | java.lang.IllegalStateException: boom | at ")
        .contains(" | Caused by: java.lang.RuntimeException: cause")
        .endsWith("omitted\n");
  }
}
