package org.sipsentry.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TelephoneNumberTest {

  @Test
  void parse_nationalNumberWithHomeRegion_normalisedToValidE164() {
    TelephoneNumber number = TelephoneNumber.parse("0446681800", "CH");

    assertThat(number).isEqualTo(new TelephoneNumber("0446681800", "+41446681800", "CH", true));
    assertThat(number.isNumber()).isTrue();
    assertThat(number.key()).isEqualTo("+41446681800");
  }

  @Test
  void parse_internationalWithSpaces_separatorsIgnoredRawKept() {
    TelephoneNumber number = TelephoneNumber.parse("+41 44 668 18 00", "US");

    assertThat(number.raw()).isEqualTo("+41 44 668 18 00");
    assertThat(number.e164()).isEqualTo("+41446681800");
    assertThat(number.regionCode()).isEqualTo("CH");
    assertThat(number.valid()).isTrue();
  }

  @Test
  void parse_doubleZeroInternationalPrefix_readAsPlus() {
    TelephoneNumber number = TelephoneNumber.parse("0041446681800", "DE");

    assertThat(number.e164()).isEqualTo("+41446681800");
    assertThat(number.regionCode()).isEqualTo("CH");
    assertThat(number.valid()).isTrue();
  }

  @Test
  void parse_withUriParameters_rawWithoutParameters() {
    TelephoneNumber number = TelephoneNumber.parse("+41446681800;tgrp=foo;trunk-context=x", "CH");

    assertThat(number.raw()).isEqualTo("+41446681800");
    assertThat(number.e164()).isEqualTo("+41446681800");
    assertThat(number.valid()).isTrue();
  }

  @Test
  void parse_telVisualSeparatorsAndNpdi_normalised() {
    TelephoneNumber number = TelephoneNumber.parse("+1-202-555-0123;npdi", "CH");

    assertThat(number.raw()).isEqualTo("+1-202-555-0123");
    assertThat(number.e164()).isEqualTo("+12025550123");
    assertThat(number.regionCode()).isEqualTo("US");
  }

  @Test
  void parse_nameNotNumber_rawKeptNoE164() {
    TelephoneNumber number = TelephoneNumber.parse("alice", "CH");

    assertThat(number).isEqualTo(new TelephoneNumber("alice", "", "", false));
    assertThat(number.isNumber()).isFalse();
    assertThat(number.key()).isEqualTo("alice");
  }

  @Test
  void parse_garbage_notANumber() {
    TelephoneNumber number = TelephoneNumber.parse("++--", "CH");

    assertThat(number.isNumber()).isFalse();
    assertThat(number.raw()).isEqualTo("++--");
    assertThat(number.valid()).isFalse();
  }

  @Test
  void parse_farLongerThanE164_notANumber() {
    String digits = "+" + "4".repeat(30);

    TelephoneNumber number = TelephoneNumber.parse(digits, "CH");

    assertThat(number.isNumber()).isFalse();
    assertThat(number.raw()).isEqualTo(digits);
  }

  @Test
  void parse_tooShortForItsCountry_numberButNotValid() {
    TelephoneNumber number = TelephoneNumber.parse("+41000", "CH");

    assertThat(number.isNumber()).isTrue();
    assertThat(number.e164()).isEqualTo("+41000");
    assertThat(number.valid()).isFalse();
  }

  @Test
  void parse_empty_notANumber() {
    assertThat(TelephoneNumber.parse("", "CH").isNumber()).isFalse();
  }

  @Test
  void separatorsAndDialled_agreeWithTheRegularExpressionsTheyReplace() {
    Pattern separators = Pattern.compile("[-.()\\s]");
    Pattern dialled = Pattern.compile("\\+?[0-9]{2,}");
    String alphabet = "0123456789+-.() \t\n\u000B\f\r\u00A0\u2007;=#*aZ\u0663";
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int length = random.nextInt(8); length > 0; length--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String raw = text.toString();
      String stripped = separators.matcher(raw).replaceAll("");

      assertThat(TelephoneNumber.withoutVisualSeparators(raw)).as(raw).isEqualTo(stripped);
      assertThat(TelephoneNumber.isDialled(stripped))
          .as(stripped)
          .isEqualTo(dialled.matcher(stripped).matches());
    }
  }
}
