package org.sipsentry.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(literal + " is a literal", e);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.0/24, 192.0.2.0, true",
    "192.0.2.0/24, 192.0.2.255, true",
    "192.0.2.0/24, 192.0.3.0, false",
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "192.0.2.128/25, 192.0.2.127, false",
    "192.0.2.128/25, 192.0.2.129, true",
    "0.0.0.0/0, 203.0.113.7, true",
    "0.0.0.0/0, 2001:db8::1, false",
    "192.0.2.7/32, 192.0.2.7, true",
    "192.0.2.7/32, 192.0.2.8, false",
    "192.0.2.7, 192.0.2.7, true",
    "192.0.2.7, 192.0.2.6, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "2001:db8::/33, 2001:db8:8000::1, false",
    "::/0, 2001:db8::1, true",
    "::/0, 192.0.2.1, false",
    "2001:db8::1, 2001:db8::1, true",
    "2001:db8::1/128, 2001:db8::2, false"
  })
  void contains_address_matchesPrefixBits(String cidr, String address, boolean contained) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(contained);
  }

  @Test
  void parse_bareIpv4_isSlash32() {
    assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
  }

  @Test
  void parse_bareIpv6_isSlash128() {
    assertThat(Cidr.parse("2001:db8::1").prefixLength()).isEqualTo(128);
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3/8, 10.0.0.0/8",
    "192.0.2.200/25, 192.0.2.128/25",
    "203.0.113.7/0, 0.0.0.0/0",
    "2001:db8:1:2::7/32, 2001:db8:0:0:0:0:0:0/32"
  })
  void parse_hostBitsSet_clearsThem(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical);
  }

  @Test
  void new_hostBitsSet_clearsThem() {
    assertThat(new Cidr(ip("10.1.2.3"), 8)).isEqualTo(Cidr.parse("10.0.0.0/8"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0/8",
        "10.0.0.0.0/8",
        "256.1.1.1",
        "010.0.0.0/8",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "10.0.0.0/ 8",
        " 10.0.0.0/8",
        "2001:db8::/129",
        "2001:db8::1::2/64",
        "fe80::1%eth0/64",
        "example.com/24",
        "localhost",
        ""
      })
  void parse_notACidr_namesTheValue(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Cidr.parse(text))
        .withMessage("\"" + text + "\" is not a CIDR; expected e.g. 192.0.2.0/24 or 2001:db8::/32");
  }

  @Test
  void parse_ipv4MappedIpv6_asksForIpv4() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Cidr.parse("::ffff:192.0.2.0/120"))
        .withMessage(
            "\"::ffff:192.0.2.0/120\" is not a CIDR; write IPv4-mapped networks as IPv4,"
                + " e.g. 192.0.2.0/24");
  }

  @Test
  void new_prefixLongerThanAddress_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Cidr(ip("192.0.2.0"), 33))
        .withMessage("prefix /33 is outside 0..32");
  }

  @Test
  void toString_isParseable() {
    Cidr cidr = Cidr.parse("2001:db8::/32");

    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
  }
}
