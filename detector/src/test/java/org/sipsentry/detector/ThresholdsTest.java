package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdsTest {

  private final Thresholds withAnonymise = new Thresholds(30, Optional.of(60), 80);

  @ParameterizedTest
  @CsvSource({
    "0, ALLOW",
    "29, ALLOW",
    "30, LABEL",
    "59, LABEL",
    "60, ANONYMISE",
    "79, ANONYMISE",
    "80, BLOCK",
    "100, BLOCK"
  })
  void actionFor_scoreRanges_mapToTheirAction(int score, Action action) {
    assertThat(withAnonymise.actionFor(score)).isEqualTo(action);
  }

  @Test
  void actionFor_noAnonymiseThreshold_neverAnonymises() {
    Thresholds thresholds = new Thresholds(30, 80);

    assertThat(thresholds.actionFor(79)).isEqualTo(Action.LABEL);
    assertThat(thresholds.actionFor(80)).isEqualTo(Action.BLOCK);
  }

  @Test
  void actionFor_zeroScore_allowsEvenWithZeroThresholds() {
    assertThat(new Thresholds(0, Optional.of(0), 0).actionFor(0)).isEqualTo(Action.ALLOW);
  }

  @Test
  void new_anonymiseOutsideLabelToBlock_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Thresholds(30, Optional.of(90), 80))
        .withMessage("anonymise threshold 90 is outside label 30 .. block 80");
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(30, Optional.of(20), 80));
  }

  @Test
  void action_anonymiseSitsBetweenLabelAndBlock() {
    assertThat(Action.ANONYMISE).isGreaterThan(Action.LABEL).isLessThan(Action.BLOCK);
    assertThat(Action.fromId("anonymise")).isEqualTo(Action.ANONYMISE);
  }
}
