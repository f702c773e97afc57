package org.sipsentry.sip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TelephoneNumber} asks libphonenumber for the region and the validity on first use, and
 * derives validity from the number type. These tests hold it to what it computed before, eagerly
 * and with {@code isValidNumber} ({@link #eager}), over libphonenumber's example numbers of every
 * region and type in several formats, their neighbours, and random digit strings for every country
 * calling code and several home regions.
 */
class TelephoneNumberEquivalenceTest {

  private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();

  private static final List<String> HOME_REGIONS = List.of("CH", "LI", "US", "IT", "AR", "BR");

  /** The parse as it was: every value computed at once, validity by {@code isValidNumber}. */
  private static TelephoneNumber eager(String userPart, String homeRegion) {
    int semicolon = userPart.indexOf(';');
    String raw = semicolon < 0 ? userPart : userPart.substring(0, semicolon);
    String dialled = TelephoneNumber.withoutVisualSeparators(raw);
    if (!TelephoneNumber.isDialled(dialled) || dialled.length() > 21) {
      return new TelephoneNumber(raw, "", "", false);
    }
    if (dialled.startsWith("00")) {
      dialled = "+" + dialled.substring(2);
    }
    try {
      PhoneNumber number = PHONE.parse(dialled, homeRegion.toUpperCase(Locale.ROOT));
      String e164 = PHONE.format(number, PhoneNumberFormat.E164);
      String region = Optional.ofNullable(PHONE.getRegionCodeForNumber(number)).orElse("");
      if ("ZZ".equals(region)) {
        region = "";
      }
      return new TelephoneNumber(raw, e164, region, PHONE.isValidNumber(number));
    } catch (NumberParseException e) {
      return new TelephoneNumber(raw, "", "", false);
    }
  }

  @Test
  void parse_exampleNumbersOfEveryRegionAndType_sameAsEagerParse() {
    List<String> inputs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(41);
    for (String region : PHONE.getSupportedRegions()) {
      List<PhoneNumber> examples = new ArrayList<>();
      for (PhoneNumberType type : PhoneNumberType.values()) {
        Optional.ofNullable(PHONE.getExampleNumberForType(region, type)).ifPresent(examples::add);
      }
      Optional.ofNullable(PHONE.getInvalidExampleNumber(region)).ifPresent(examples::add);
      for (PhoneNumber example : examples) {
        addFormsAndNeighbours(example, inputs, random);
      }
    }
    for (int code : PHONE.getSupportedGlobalNetworkCallingCodes()) {
      addFormsAndNeighbours(PHONE.getExampleNumberForNonGeoEntity(code), inputs, random);
    }

    assertSameAsEager(inputs);
    assertThat(inputs).hasSizeGreaterThan(20_000);
  }

  @Test
  void parse_randomDigitsForEveryCallingCode_sameAsEagerParse() {
    List<String> inputs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(4);
    for (int code : PHONE.getSupportedCallingCodes()) {
      for (int n = 0; n < 30; n++) {
        inputs.add("+" + code + digits(random, random.nextInt(0, 16)));
        // National prefixes and leading zeros right after the country code.
        inputs.add("+" + code + "0" + digits(random, random.nextInt(0, 14)));
        inputs.add("00" + code + digits(random, random.nextInt(0, 14)));
      }
    }
    for (int n = 0; n < 5_000; n++) {
      inputs.add(digits(random, random.nextInt(1, 18)));
      inputs.add("0" + digits(random, random.nextInt(1, 14)));
      inputs.add("+" + digits(random, random.nextInt(1, 18)));
    }

    assertSameAsEager(inputs);
  }

  /**
   * The detector's roaming exemption used to parse the E.164 form again for the number type; it now
   * takes the type of a number received in E.164 form as it is, and the country code of any number
   * as it is. Both must be what parsing the E.164 form again gives.
   */
  @Test
  void typeAndCountryCode_sameAsReparsedE164() throws NumberParseException {
    SplittableRandom random = new SplittableRandom(9);
    List<String> inputs = new ArrayList<>();
    for (String region : PHONE.getSupportedRegions()) {
      for (PhoneNumberType type : PhoneNumberType.values()) {
        PhoneNumber example = PHONE.getExampleNumberForType(region, type);
        if (example != null) {
          addFormsAndNeighbours(example, inputs, random);
        }
      }
    }
    for (int n = 0; n < 20_000; n++) {
      inputs.add("+41" + digits(random, random.nextInt(1, 14)));
      inputs.add("+423" + digits(random, random.nextInt(1, 12)));
      inputs.add("0" + digits(random, random.nextInt(1, 12)));
    }
    int inE164 = 0;
    for (String home : List.of("CH", "LI")) {
      for (String input : inputs) {
        TelephoneNumber number = TelephoneNumber.parse(input, home);
        if (!number.isNumber()) {
          continue;
        }
        PhoneNumber again = PHONE.parse(number.e164(), "ZZ");
        assertThat(number.countryCode())
            .as("%s in %s", input, home)
            .isEqualTo(again.getCountryCode());
        if (number.receivedInE164()) {
          inE164++;
          assertThat(number.type())
              .as("%s in %s", input, home)
              .isEqualTo(PHONE.getNumberType(again));
        }
      }
    }
    assertThat(inE164).isGreaterThan(20_000);
  }

  /**
   * Parsing the E.164 form again can differ when a national prefix followed the country code: the
   * first reading strips one, the second another.
   */
  @Test
  void receivedInE164_nationalPrefixAfterCountryCode_falseAndReparseDiffers()
      throws NumberParseException {
    TelephoneNumber doubled = TelephoneNumber.parse("+970 00 2223 4567", "CH");

    assertThat(doubled.e164()).isEqualTo("+970022234567");
    assertThat(doubled.receivedInE164()).isFalse();
    assertThat(doubled.type()).isEqualTo(PhoneNumberType.UNKNOWN);
    assertThat(PHONE.getNumberType(PHONE.parse(doubled.e164(), "ZZ")))
        .isEqualTo(PhoneNumberType.FIXED_LINE);
    assertThat(TelephoneNumber.parse("+41 79 123 45 67", "CH").receivedInE164()).isTrue();
    assertThat(TelephoneNumber.parse("0041791234567", "CH").receivedInE164()).isTrue();
    assertThat(TelephoneNumber.parse("0791234567", "CH").receivedInE164()).isFalse();
  }

  private static void addFormsAndNeighbours(
      PhoneNumber example, List<String> inputs, SplittableRandom random) {
    for (PhoneNumberFormat format : PhoneNumberFormat.values()) {
      inputs.add(PHONE.format(example, format).replace("tel:", ""));
    }
    String e164 = PHONE.format(example, PhoneNumberFormat.E164);
    String nsn = PHONE.getNationalSignificantNumber(example);
    String code = String.valueOf(example.getCountryCode());
    inputs.add("00" + e164.substring(1));
    inputs.add("+" + code + "0" + nsn);
    inputs.add("+" + code + "00" + nsn);
    inputs.add(nsn);
    inputs.add("0" + nsn);
    for (int n = 0; n < 6; n++) {
      // The same number with its last digits changed, one shorter, one longer.
      int keep = Math.max(0, nsn.length() - 1 - random.nextInt(4));
      String changed = nsn.substring(0, keep) + digits(random, nsn.length() - keep);
      inputs.add("+" + code + changed);
      inputs.add("+" + code + changed.substring(0, Math.max(0, changed.length() - 1)));
      inputs.add("+" + code + changed + random.nextInt(10));
    }
  }

  private static void assertSameAsEager(List<String> inputs) {
    for (String home : HOME_REGIONS) {
      for (String input : inputs) {
        TelephoneNumber lazy = TelephoneNumber.parse(input, home);
        TelephoneNumber eager = eager(input, home);
        assertThat(lazy.raw()).as("%s in %s", input, home).isEqualTo(eager.raw());
        assertThat(lazy.e164()).as("%s in %s", input, home).isEqualTo(eager.e164());
        assertThat(lazy.regionCode()).as("%s in %s", input, home).isEqualTo(eager.regionCode());
        assertThat(lazy.valid()).as("%s in %s", input, home).isEqualTo(eager.valid());
        assertThat(lazy).isEqualTo(eager);
      }
    }
  }

  private static String digits(SplittableRandom random, int count) {
    StringBuilder digits = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    return digits.toString();
  }
}
