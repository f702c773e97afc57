package org.sipsentry.sip.stir.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.stir.StirFailure;

class TnAuthListTest {

  @Test
  void parse_explicitSpc_asProductionCertificatesCarryIt() throws IOException {
    byte[] der = TestPki.tnAuthListSpc("318J").toASN1Primitive().getEncoded();

    assertThat(der).containsExactly(0x30, 0x08, 0xa0, 0x06, 0x16, 0x04, '3', '1', '8', 'J');
    assertThat(TnAuthList.parse(der).entries())
        .containsExactly(new TnAuthList.ServiceProviderCode("318J"));
  }

  @Test
  void parse_implicitSpc_isAcceptedToo() throws IOException {
    byte[] der = seq(new DERTaggedObject(false, 0, new DERIA5String("1234")));

    assertThat(TnAuthList.parse(der).spcs()).containsExactly("1234");
  }

  @Test
  void parse_rangesAndNumbers_explicitAndImplicit() throws IOException {
    DERSequence range =
        new DERSequence(
            new ASN1Encodable[] {new DERIA5String("33612345600"), new ASN1Integer(100)});
    byte[] der =
        seq(
            new DERTaggedObject(true, 0, new DERIA5String("1001")),
            new DERTaggedObject(true, 1, range),
            new DERTaggedObject(false, 1, range),
            new DERTaggedObject(true, 2, new DERIA5String("33612345678")),
            new DERTaggedObject(false, 2, new DERIA5String("*#1")));

    TnAuthList list = TnAuthList.parse(der);

    assertThat(list.entries())
        .containsExactly(
            new TnAuthList.ServiceProviderCode("1001"),
            new TnAuthList.TelephoneNumberRange("33612345600", 100),
            new TnAuthList.TelephoneNumberRange("33612345600", 100),
            new TnAuthList.TelephoneNumber("33612345678"),
            new TnAuthList.TelephoneNumber("*#1"));
    assertThat(list.spcs()).containsExactly("1001");
  }

  @Test
  void parse_numbersOnly_hasNoSpc() throws IOException {
    assertThat(TnAuthList.parse(seq(new DERTaggedObject(true, 2, new DERIA5String("1")))).spcs())
        .isEmpty();
  }

  @Test
  void parse_notAnRfc8226List_throwsIllegalArgumentNamingTheProblem() throws IOException {
    assertRefused(new DERSequence().getEncoded(), "empty SEQUENCE");
    assertRefused(new DERIA5String("https://tnauth.example/list").getEncoded(), "IA5String");
    assertRefused(seq(new DERIA5String("1234")), "not a tagged TNEntry");
    assertRefused(seq(new DERTaggedObject(true, 3, new DERIA5String("1"))), "unknown tag [3]");
    assertRefused(seq(new DERTaggedObject(true, 0, new DERUTF8String("1234"))), "entry 0");
    assertRefused(
        seq(new DERTaggedObject(true, 0, new DERIA5String(""))), "empty ServiceProviderCode");
    assertRefused(
        seq(new DERTaggedObject(true, 2, new DERIA5String("+33612345678"))), "outside 0-9");
    assertRefused(seq(new DERTaggedObject(true, 2, new DERIA5String("1234567890123456"))), "1..15");
    assertRefused(
        seq(
            new DERTaggedObject(
                true,
                1,
                new DERSequence(new ASN1Encodable[] {new DERIA5String("1"), new ASN1Integer(1)}))),
        "count 1 < 2");
    assertRefused(
        seq(
            new DERTaggedObject(
                true,
                1,
                new DERSequence(
                    new ASN1Encodable[] {
                      new DERIA5String("1"),
                      new ASN1Integer(new java.math.BigInteger("99999999999"))
                    }))),
        "out of range");
    assertRefused(
        seq(new DERTaggedObject(true, 1, new DERSequence(new DERIA5String("1")))), "1 fields");
    assertRefused(new byte[] {0x30, 0x05, 0x01}, "not DER");
    assertRefused(new byte[0], "empty extension value");
  }

  @Test
  void parse_randomMutationsOfValidLists_throwOnlyIllegalArgument() throws IOException {
    DERSequence range =
        new DERSequence(
            new ASN1Encodable[] {new DERIA5String("33612345600"), new ASN1Integer(100)});
    byte[] valid =
        seq(
            new DERTaggedObject(true, 0, new DERIA5String("1001")),
            new DERTaggedObject(true, 1, range),
            new DERTaggedObject(false, 2, new DERIA5String("33612345678")));
    java.util.Random random = new java.util.Random(8226);
    for (int i = 0; i < 5_000; i++) {
      byte[] mutated = java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length + 4));
      for (int k = random.nextInt(4); k >= 0; k--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      try {
        TnAuthList.parse(mutated);
      } catch (IllegalArgumentException expected) {
        // Refused with a reason: fine.
      }
    }
  }

  @Test
  void of_certificateWithoutTheExtension_isNoTnAuthList() {
    TnAuthListParse parsed = TnAuthList.of(TestPki.endEntityWithoutTnAuthList().certificate());

    assertThat(parsed).isInstanceOf(CertificateValidation.Invalid.class);
    assertThat(((CertificateValidation.Invalid) parsed).failure())
        .isEqualTo(StirFailure.NO_TN_AUTH_LIST);
  }

  @Test
  void of_certificateWithAMalformedExtension_isNoTnAuthListSayingMalformed() {
    TestPki.Issued odd =
        TestPki.endEntity(
            TestPki.intermediate(),
            "SHAKEN odd",
            TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(1)),
            TestPki.ecKeyPair(),
            new DEROctetString(new byte[] {1, 2, 3}),
            false);

    TnAuthListParse parsed = TnAuthList.of(odd.certificate());

    assertThat(((CertificateValidation.Invalid) parsed).failure())
        .isEqualTo(StirFailure.NO_TN_AUTH_LIST);
    assertThat(((CertificateValidation.Invalid) parsed).detail())
        .startsWith("malformed TNAuthList");
  }

  @Test
  void of_standardEndEntity_isItsSpc() {
    assertThat(((TnAuthList) TnAuthList.of(TestPki.endEntity().certificate())).spcs())
        .containsExactly(TestPki.SPC);
  }

  @Test
  void constructor_noEntries_throws() {
    assertThatThrownBy(() -> new TnAuthList(java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRefused(byte[] der, String message) {
    assertThatThrownBy(() -> TnAuthList.parse(der))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  private static byte[] seq(ASN1Encodable... entries) throws IOException {
    return new DERSequence(entries).getEncoded();
  }
}
