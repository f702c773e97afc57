package org.sipsentry.sip.internal;

import gov.nist.core.StackLogger;
import java.util.Properties;

/**
 * A JAIN-SIP logger that logs nothing. JAIN-SIP's {@code CommonLogger} otherwise falls back to
 * log4j 1.x, which is not on our classpath: the first debug check then throws {@code
 * NoClassDefFoundError} in the middle of a parse (see docs DEPENDENCIES.md). Parse problems reach
 * us through the parse result instead.
 */
public final class SilentStackLogger implements StackLogger {

  public static final SilentStackLogger INSTANCE = new SilentStackLogger();

  private SilentStackLogger() {}

  @Override
  public void logStackTrace() {}

  @Override
  public void logStackTrace(int traceLevel) {}

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public void logException(Throwable ex) {}

  @Override
  public void logDebug(String message) {}

  @Override
  public void logDebug(String message, Exception ex) {}

  @Override
  public void logTrace(String message) {}

  @Override
  public void logFatalError(String message) {}

  @Override
  public void logError(String message) {}

  @Override
  public boolean isLoggingEnabled() {
    return false;
  }

  @Override
  public boolean isLoggingEnabled(int logLevel) {
    return false;
  }

  @Override
  public void logError(String message, Exception ex) {}

  @Override
  public void logWarning(String message) {}

  @Override
  public void logInfo(String message) {}

  @Override
  public void disableLogging() {}

  @Override
  public void enableLogging() {}

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {}

  @Override
  public void setStackProperties(Properties stackProperties) {}

  @Override
  public String getLoggerName() {
    return "sipsentry-silent";
  }
}
