package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalTnTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "+33612345678|33612345678",
        "33612345678|33612345678",
        "+33 6 12 34 56 78|33612345678",
        "+33-6-12.34.56.78|33612345678",
        "(+33) 612345678|33612345678",
        "+1 (202) 555-0143|12025550143",
        "+33612345678;tgrp=TG-7;trunk-context=carrier.example.net|33612345678",
        "+33612345678;npdi;rn=+33600000000|33612345678",
        "0612345678|0612345678",
        "'\t+33612345678\t'|33612345678",
        "1|1",
        "12345678901234567890|12345678901234567890",
      })
  void parse_number_isCanonicalDigits(String number, String digits) {
    assertThat(CanonicalTn.parse(number))
        .hasValueSatisfying(tn -> assertThat(tn.digits()).isEqualTo(digits));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "+",
        "++4",
        "3+3612345678",
        "anonymous",
        "unavailable",
        "alice",
        "tel:+33612345678",
        "sip:+33612345678@a",
        "+33612345678@a.example",
        "*67",
        "#31#",
        "0x1F",
        "123456789012345678901",
        "+٣٣٦١٢",
        "３３６１２",
        "- . ( )",
        ";tgrp=1",
      })
  void parse_notANumber_isEmpty(String number) {
    assertThat(CanonicalTn.parse(number)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+33", "33a", "123456789012345678901"})
  void constructor_nonCanonicalDigits_throws(String digits) {
    assertThatThrownBy(() -> new CanonicalTn(digits)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+33612345678", "33 6 12 34 56 78", "33612345678;tgrp=x"})
  void parse_differentSpellingsOfOneNumber_areEqual(String number) {
    assertThat(CanonicalTn.parse(number)).isEqualTo(CanonicalTn.parse("33612345678"));
  }
}
