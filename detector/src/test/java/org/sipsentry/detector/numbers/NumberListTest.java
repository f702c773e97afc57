package org.sipsentry.detector.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.stir.Attestation;

class NumberListTest {

  private static final NumberRule BANK =
      new NumberRule(Set.of("bank-sbc"), Optional.of(Attestation.A));

  @Test
  void lookup_exactNumber_findsItsRule() {
    NumberList list = build("41446681800", false, NumberRule.NEVER_ORIGINATES);

    assertThat(list.lookup("41446681800"))
        .hasValueSatisfying(
            m -> {
              assertThat(m.rule()).isEqualTo(NumberRule.NEVER_ORIGINATES);
              assertThat(m.prefix()).isFalse();
              assertThat(m).hasToString("+41446681800");
            });
    assertThat(list.lookup("41446681801")).isEmpty();
    assertThat(list.lookup("4144668180")).isEmpty();
  }

  @Test
  void lookup_prefix_coversLongerNumbersAndTheLongestPrefixWins() {
    NumberList.Builder builder = NumberList.builder();
    builder.add("41", true, NumberRule.NEVER_ORIGINATES);
    builder.add("4144668", true, BANK);
    NumberList list = builder.build();

    assertThat(list.lookup("41446681800")).get().hasToString("+4144668*");
    assertThat(list.lookup("41446681800").get().rule()).isEqualTo(BANK);
    assertThat(list.lookup("41310000000")).get().hasToString("+41*");
    assertThat(list.lookup("4144668")).get().hasToString("+4144668*");
    assertThat(list.lookup("33144668000")).isEmpty();
  }

  @Test
  void lookup_exactNumberBeatsPrefix() {
    NumberList.Builder builder = NumberList.builder();
    builder.add("4144668", true, BANK);
    builder.add("41446681800", false, NumberRule.NEVER_ORIGINATES);
    NumberList list = builder.build();

    assertThat(list.lookup("41446681800").get().rule()).isEqualTo(NumberRule.NEVER_ORIGINATES);
    assertThat(list.lookup("41446681801").get().rule()).isEqualTo(BANK);
  }

  @Test
  void lookup_leadingZerosAndPrefixFlag_keepEntriesApart() {
    NumberList.Builder builder = NumberList.builder();
    builder.add("044", false, BANK);
    builder.add("4144", false, NumberRule.NEVER_ORIGINATES);
    NumberList list = builder.build();

    assertThat(list.lookup("44")).isEmpty();
    assertThat(list.lookup("044")).isPresent();
    assertThat(list.lookup("41440")).as("4144 is a number, not a prefix").isEmpty();
  }

  @Test
  void lookup_notDigits_matchesNothing() {
    NumberList list = build("41446681800", false, BANK);

    assertThat(list.lookup("")).isEmpty();
    assertThat(list.lookup("+41446681800")).isEmpty();
    assertThat(list.lookup("anonymous")).isEmpty();
    assertThat(list.lookup("1234567890123456")).isEmpty();
  }

  @Test
  void add_duplicate_keepsTheFirstRule() {
    NumberList.Builder builder = NumberList.builder();
    assertThat(builder.add("41446681800", false, BANK)).isTrue();
    assertThat(builder.add("41446681800", false, NumberRule.NEVER_ORIGINATES)).isFalse();
    NumberList list = builder.build();

    assertThat(list.size()).isEqualTo(1);
    assertThat(list.lookup("41446681800").get().rule()).isEqualTo(BANK);
  }

  @Test
  void add_badDigits_isRefused() {
    NumberList.Builder builder = NumberList.builder();

    assertThatThrownBy(() -> builder.add("", false, BANK)).hasMessageContaining("1 to 15");
    assertThatThrownBy(() -> builder.add("1234567890123456", false, BANK))
        .hasMessageContaining("1 to 15");
    assertThatThrownBy(() -> builder.add("41-44", false, BANK)).hasMessageContaining("digit");
  }

  @Test
  void add_tooManyDistinctRules_isRefused() {
    NumberList.Builder builder = NumberList.builder();
    for (int i = 0; i < NumberList.MAX_RULES; i++) {
      builder.add(
          Integer.toString(1000 + i), false, new NumberRule(Set.of("t" + i), Optional.empty()));
    }

    assertThatThrownBy(
            () ->
                builder.add("99", false, new NumberRule(Set.of("one-too-many"), Optional.empty())))
        .hasMessageContaining("more than 512");
  }

  @Test
  void lookup_manyRandomNumbers_findsExactlyTheAddedOnes() {
    Random random = new Random(20261125);
    Set<String> added = new HashSet<>();
    NumberList.Builder builder = NumberList.builder();
    while (added.size() < 200_000) {
      String number = Long.toString(1_000_000_000L + (long) (random.nextDouble() * 9e14));
      if (added.add(number)) {
        builder.add(number, false, added.size() % 2 == 0 ? BANK : NumberRule.NEVER_ORIGINATES);
      }
    }
    NumberList list = builder.build();

    assertThat(list.size()).isEqualTo(added.size());
    for (String number : added) {
      assertThat(list.covers(number)).as(number).isTrue();
    }
    int falsePositives = 0;
    for (int i = 0; i < 200_000; i++) {
      String number = Long.toString(1_000_000_000L + (long) (random.nextDouble() * 9e14));
      if (!added.contains(number) && list.covers(number)) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isZero();
  }

  private static NumberList build(String digits, boolean prefix, NumberRule rule) {
    NumberList.Builder builder = NumberList.builder();
    builder.add(digits, prefix, rule);
    return builder.build();
  }
}
