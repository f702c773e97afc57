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
  void put_farMoreThanTheBound_holdsAtMostTheBoundAndTheNewestSinceTheLastRefill() {
    RecentNumbers recent = new RecentNumbers(100);

    for (int i = 0; i < 10_050; i++) {
      recent.put(user(i), number(i));
      assertThat(recent.size()).isLessThanOrEqualTo(100);
    }

    // Refilled after 10,000 numbers: the 50 read since are all there, nothing older is.
    assertThat(recent.size()).isEqualTo(50);
    for (int i = 10_000; i < 10_050; i++) {
      assertThat(recent.get(user(i))).as(user(i)).isNotNull();
    }
    assertThat(recent.get(user(9_999))).isNull();
    assertThat(recent.get(user(0))).isNull();
  }

  @Test
  void new_boundBelowOne_rejected() {
    assertThatThrownBy(() -> new RecentNumbers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
