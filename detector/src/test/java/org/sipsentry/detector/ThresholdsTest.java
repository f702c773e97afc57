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

  @Test
  void new_labelAboveBlock_isRejectedNamingBoth() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Thresholds(90, 80))
        .withMessage("label threshold 90 is above block threshold 80");
  }

  @ParameterizedTest
  @CsvSource({"-1, 80, label threshold -1", "30, 101, block threshold 101"})
  void new_thresholdOutside0To100_isRejectedNamingIt(int label, int block, String named) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Thresholds(label, block))
        .withMessage(named + " is outside 0..100; thresholds are scores");
  }

  @Test
  void actionFor_labelEqualsBlock_blocksFromTheThreshold() {
    Thresholds thresholds = new Thresholds(50, 50);

    assertThat(thresholds.actionFor(49)).isEqualTo(Action.ALLOW);
    assertThat(thresholds.actionFor(50)).isEqualTo(Action.BLOCK);
  }

  @Test
  void actionFor_anonymiseEqualsBlock_blockWinsAtTheThreshold() {
    Thresholds thresholds = new Thresholds(30, Optional.of(80), 80);

    assertThat(thresholds.actionFor(79)).isEqualTo(Action.LABEL);
    assertThat(thresholds.actionFor(80)).isEqualTo(Action.BLOCK);
  }

  @Test
  void actionFor_anonymiseEqualsLabel_anonymisesFromTheLabelThreshold() {
    Thresholds thresholds = new Thresholds(30, Optional.of(30), 80);

    assertThat(thresholds.actionFor(29)).isEqualTo(Action.ALLOW);
    assertThat(thresholds.actionFor(30)).isEqualTo(Action.ANONYMISE);
  }

  @Test
  void actionFor_blockAt100_onlyAFullScoreBlocks() {
    Thresholds thresholds = new Thresholds(30, 100);

    assertThat(thresholds.actionFor(99)).isEqualTo(Action.LABEL);
    assertThat(thresholds.actionFor(100)).isEqualTo(Action.BLOCK);
  }

  @Test
  void actionFor_zeroThresholds_blockAnyNonZeroScore() {
    assertThat(new Thresholds(0, 0).actionFor(1)).isEqualTo(Action.BLOCK);
  }
}
