package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8:0:0:0:0:0:1",
    "[2001:db8::1], 2001:db8:0:0:0:0:0:1",
    "[::1], 0:0:0:0:0:0:0:1",
    "::, 0:0:0:0:0:0:0:0",
    "2001:DB8::A, 2001:db8:0:0:0:0:0:a",
    "::ffff:192.0.2.1, 192.0.2.1"
  })
  void parse_literal_givesTheAddress(String host, String expected) {
    assertThat(IpLiterals.parse(host)).map(InetAddress::getHostAddress).hasValue(expected);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "proxy.example.com",
        "192.0.2",
        "192.0.2.1.5",
        "192.0.2.",
        ".192.0.2.1",
        "192..2.1",
        "256.0.0.1",
        "1000.0.0.1",
        "192.0.2.1a",
        "-1.0.0.1",
        "[192.0.2.1",
        "2001:db8::1]",
        "2001:db8::g",
        "fe80::1%eth0",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "a:b",
        "[]",
        "dead"
      })
  void parse_notALiteral_empty(String host) {
    assertThat(IpLiterals.parse(host)).isEmpty();
  }

  @Test
  void sameAddress_matchingLiterals_true() throws Exception {
    assertThat(IpLiterals.sameAddress("192.0.2.1", InetAddress.getByName("192.0.2.1"))).isTrue();
    assertThat(IpLiterals.sameAddress("[2001:db8::1]", InetAddress.getByName("2001:db8:0::1")))
        .isTrue();
  }

  @Test
  void sameAddress_otherAddressOrHostName_false() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");

    assertThat(IpLiterals.sameAddress("127.0.0.2", loopback)).isFalse();
    assertThat(IpLiterals.sameAddress("localhost", loopback)).isFalse();
    assertThat(IpLiterals.sameAddress("::1", loopback)).isFalse();
  }
}
