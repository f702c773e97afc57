package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleSettingsTest {

  @Test
  void ruleSettings_markedWithForcedAction_rejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new RuleSettings(true, 10, Optional.of(Action.BLOCK), Optional.empty(), true))
        .withMessageContaining("marked");
  }

  @Test
  void ruleSettings_markedWithResponse_rejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new RuleSettings(
                    true, 10, Optional.empty(), Optional.of(SipStatus.REJECTED), true));
  }

  @Test
  void ruleSettings_fourArgumentConstructor_notMarked() {
    assertThat(new RuleSettings(true, 10, Optional.empty(), Optional.empty()).marked()).isFalse();
    assertThat(RuleSettings.marked(10).marked()).isTrue();
  }
}
