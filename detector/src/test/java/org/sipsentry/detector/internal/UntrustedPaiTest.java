package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipsentry.detector.Calls;
import org.sipsentry.detector.Trunk;

class UntrustedPaiTest {

  private final UntrustedPai check = new UntrustedPai();

  private Optional<String> inspect(Calls.Builder call) {
    return Checks.inspect(check, call);
  }

  @Test
  void ruleId_isUntrustedPai() {
    assertThat(check.ruleId()).isEqualTo("untrusted-pai");
  }

  @Test
  void inspect_paiFromUntrustedTrunk_namesTrunkAndPai() {
    assertThat(inspect(call().trunk(PEER).pai("<sip:+41791234567@peer.example;user=phone>")))
        .contains(
            "untrusted trunk peer sent P-Asserted-Identity sip:+41791234567@peer.example;user=phone");
  }

  @Test
  void inspect_paiFromUnknownSource_namesDefaultTrunk() {
    assertThat(inspect(call().trunk(Trunk.DEFAULT).pai("tel:+41791234567")))
        .contains("untrusted trunk default sent P-Asserted-Identity tel:+41791234567");
  }

  @Test
  void inspect_twoPaiEntries_namesBoth() {
    assertThat(inspect(call().trunk(PEER).pai("sip:+41791234567@peer.example", "tel:+41791234567")))
        .contains(
            "untrusted trunk peer sent P-Asserted-Identity sip:+41791234567@peer.example,"
                + " tel:+41791234567");
  }

  @Test
  void inspect_anonymousPaiFromUntrustedTrunk_stillFinds() {
    assertThat(inspect(call().trunk(PEER).pai("sip:anonymous@anonymous.invalid"))).isPresent();
  }

  @Test
  void inspect_paiFromTrustedTrunk_findsNothing() {
    assertThat(inspect(call().trunk(CARRIER).pai("sip:+41791234567@carrier.example"))).isEmpty();
  }

  @Test
  void inspect_noPaiFromUntrustedTrunk_findsNothing() {
    assertThat(inspect(call().trunk(PEER))).isEmpty();
  }

  @Test
  void inspect_parameterisedAndEmptyUserEntries_namesThemAsReceived() {
    assertThat(
            inspect(
                call()
                    .trunk(PEER)
                    .pai(
                        "<sip:+41446681800;tgrp=TG1;trunk-context=peer.example@peer.example;user=phone>",
                        "sip:peer.example")))
        .contains(
            "untrusted trunk peer sent P-Asserted-Identity"
                + " sip:+41446681800;tgrp=TG1;trunk-context=peer.example@peer.example;user=phone,"
                + " sip:peer.example");
  }
}
