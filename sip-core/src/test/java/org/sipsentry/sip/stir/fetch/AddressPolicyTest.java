package org.sipsentry.sip.stir.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, LOOPBACK",
    "127.255.255.254, LOOPBACK",
    "::1, LOOPBACK",
    "10.0.0.1, PRIVATE",
    "172.16.0.1, PRIVATE",
    "172.31.255.255, PRIVATE",
    "192.168.1.1, PRIVATE",
    "fc00::1, PRIVATE",
    "fd12:3456::1, PRIVATE",
    "fec0::1, PRIVATE",
    "169.254.169.254, LINK_LOCAL",
    "169.254.0.1, LINK_LOCAL",
    "fe80::1, LINK_LOCAL",
    "100.64.0.1, CGNAT",
    "100.127.255.255, CGNAT",
    "0.0.0.0, UNSPECIFIED",
    "0.1.2.3, UNSPECIFIED",
    "::, UNSPECIFIED",
    "224.0.0.1, MULTICAST",
    "239.255.255.250, MULTICAST",
    "ff02::1, MULTICAST",
    "192.0.2.1, RESERVED",
    "198.51.100.1, RESERVED",
    "203.0.113.1, RESERVED",
    "198.18.0.1, RESERVED",
    "240.0.0.1, RESERVED",
    "255.255.255.255, RESERVED",
    "2001:db8::1, RESERVED",
    "100::1, RESERVED",
    "::ffff:127.0.0.1, LOOPBACK",
    "::ffff:10.0.0.1, PRIVATE",
    "::ffff:169.254.169.254, LINK_LOCAL",
    "::127.0.0.1, LOOPBACK",
    "64:ff9b::a00:1, PRIVATE",
    "64:ff9b::7f00:1, LOOPBACK",
    "64:ff9b::808:808, PUBLIC",
    "2002:7f00:1::1, LOOPBACK",
    "2002:a9fe:a9fe::1, LINK_LOCAL",
    "8.8.8.8, PUBLIC",
    "1.1.1.1, PUBLIC",
    "172.32.0.1, PUBLIC",
    "172.15.255.255, PUBLIC",
    "100.128.0.1, PUBLIC",
    "169.253.0.1, PUBLIC",
    "192.169.0.1, PUBLIC",
    "2001:4860:4860::8888, PUBLIC",
    "2606:4700::1111, PUBLIC"
  })
  void classify_address_isItsClass(String literal, AddressClass expected)
      throws UnknownHostException {
    // Literals only: getByName does no DNS for them.
    InetAddress address = InetAddress.getByName(literal);

    assertThat(AddressPolicy.classify(address)).isEqualTo(expected);
  }
}
