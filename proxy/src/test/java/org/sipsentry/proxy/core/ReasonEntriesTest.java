package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonEntriesTest {

  @Test
  void split_commaInsideQuotedText_staysInTheEntry() {
    assertThat(ReasonEntries.split("STIR;cause=438;text=\"a, \\\"b\\\", c\" ,  SIP;cause=200"))
        .containsExactly("STIR;cause=438;text=\"a, \\\"b\\\", c\"", "SIP;cause=200");
  }

  @Test
  void split_emptyEntries_dropped() {
    assertThat(ReasonEntries.split(" , Q.850;cause=16,,")).containsExactly("Q.850;cause=16");
  }

  @Test
  void isStir_protocolCaseInsensitive() {
    assertThat(ReasonEntries.isStir("stir ;cause=436")).isTrue();
    assertThat(ReasonEntries.isStir("STIR")).isTrue();
    assertThat(ReasonEntries.isStir("SIP;cause=200")).isFalse();
    assertThat(ReasonEntries.isStir("STIRRED;cause=1")).isFalse();
  }
}
