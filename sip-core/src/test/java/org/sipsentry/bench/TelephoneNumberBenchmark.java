package org.sipsentry.bench;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.sip.TelephoneNumber;

/**
 * {@link TelephoneNumber#parse} of numbers not seen before (the detector remembers the ones it
 * has), and libphonenumber's steps in it, to see where a first reading of a number goes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@State(Scope.Thread)
public class TelephoneNumberBenchmark {

  private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();
  private static final int COUNT = 1 << 16;

  private final String[] numbers = new String[COUNT];
  private final PhoneNumber[] parsed = new PhoneNumber[COUNT];
  private int next;

  @Setup
  public void setUp() throws NumberParseException {
    for (int i = 0; i < COUNT; i++) {
      numbers[i] = String.format((i & 1) == 0 ? "+41315%06d" : "+41791%06d", 100_000 + i);
      parsed[i] = PHONE.parse(numbers[i], "CH");
    }
  }

  private int index() {
    next = (next + 1) & (COUNT - 1);
    return next;
  }

  @Benchmark
  public TelephoneNumber telephoneNumberParse() {
    return TelephoneNumber.parse(numbers[index()], "CH");
  }

  @Benchmark
  public PhoneNumber libphonenumberParse() throws NumberParseException {
    return PHONE.parse(numbers[index()], "CH");
  }

  @Benchmark
  public boolean isValidNumber() {
    return PHONE.isValidNumber(parsed[index()]);
  }

  @Benchmark
  public String regionCodeForNumber() {
    return PHONE.getRegionCodeForNumber(parsed[index()]);
  }

  @Benchmark
  public String formatE164() {
    return PHONE.format(parsed[index()], PhoneNumberUtil.PhoneNumberFormat.E164);
  }
}
