package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipsentry.sip.TelephoneNumber;

class RecentNumbersTest {

  private static TelephoneNumber number(int i) {
    return TelephoneNumber.parse("+4131" + (1_000_000 + i), "CH");
  }

  private static String user(int i) {
    return "+4131" + (1_000_000 + i);
  }

  @Test
  void get_numberPut_returnsIt() {
    RecentNumbers recent = new RecentNumbers(100);
    TelephoneNumber number = number(1);

    recent.put(user(1), number);

    assertThat(recent.get(user(1))).isSameAs(number);
    assertThat(recent.get(user(2))).isNull();
  }

  @Test
  void put_farMoreThanTheBound_holdsAtMostTheBoundAndTheLastHalf() {
    RecentNumbers recent = new RecentNumbers(100);

    for (int i = 0; i < 10_000; i++) {
      recent.put(user(i), number(i));
      assertThat(recent.size()).isLessThanOrEqualTo(100);
    }

    for (int i = 10_000 - 50; i < 10_000; i++) {
      assertThat(recent.get(user(i))).as(user(i)).isNotNull();
    }
    assertThat(recent.get(user(0))).isNull();
    assertThat(recent.get(user(10_000 - 101))).isNull();
  }

  @Test
  void get_numberReadAgainEachGeneration_survivesAnyNumberOfNewOnes() {
    RecentNumbers recent = new RecentNumbers(100);
    recent.put(user(-1), number(-1));

    for (int i = 0; i < 10_000; i++) {
      recent.put(user(i), number(i));
      if (i % 40 == 0) {
        assertThat(recent.get(user(-1))).as("after %d new numbers", i).isNotNull();
      }
    }
  }

  @Test
  void new_boundBelowTwo_rejected() {
    assertThatThrownBy(() -> new RecentNumbers(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }
}
