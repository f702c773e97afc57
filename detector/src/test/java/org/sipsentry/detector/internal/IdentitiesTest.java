package org.sipsentry.detector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipsentry.detector.Calls.CARRIER;
import static org.sipsentry.detector.Calls.PEER;
import static org.sipsentry.detector.Calls.call;

import org.junit.jupiter.api.Test;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Calls;

class IdentitiesTest {

  private static Identities of(Calls.Builder call) {
    CallContext context = call.build();
    return Identities.of(context, Calls.HOME_REGION);
  }

  @Test
  void of_untrustedTrunk_believesNoPai() {
    Identities ids = of(call().trunk(PEER).pai("tel:+41791234567"));

    assertThat(ids.assertedIdentity()).isEmpty();
    assertThat(ids.caller()).isSameAs(ids.from());
  }

  @Test
  void of_trustedTelAfterSip_prefersTel() {
    Identities ids =
        of(call().trunk(CARRIER).pai("sip:+41446681800@c.example", "tel:+41791234567"));

    assertThat(ids.caller().address().uri()).isEqualTo("tel:+41791234567");
  }

  @Test
  void of_trustedNamedSipOnly_believesIt() {
    Identities ids = of(call().trunk(CARRIER).pai("sip:alice@c.example"));

    assertThat(ids.caller().address().uri()).isEqualTo("sip:alice@c.example");
  }

  @Test
  void of_trustedAnonymousOnly_believesNone() {
    Identities ids = of(call().trunk(CARRIER).pai("sip:anonymous@anonymous.invalid"));

    assertThat(ids.assertedIdentity()).isEmpty();
  }

  @Test
  void of_fromInNationalFormat_normalisesForHomeRegion() {
    Identities ids = of(call().from("sip:044 668 18 00@pbx.example"));

    assertThat(ids.from().number().key()).isEqualTo("+41446681800");
  }
}
