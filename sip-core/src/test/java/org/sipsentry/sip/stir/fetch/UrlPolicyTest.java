package org.sipsentry.sip.stir.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

  private final UrlPolicy defaults = new UrlPolicy(FetchSettings.defaults());

  @Test
  void check_httpsOnDefaultPort_isAcceptedWithImpliedPort443() {
    UrlPolicy.Decision decision = defaults.check("https://cert.example.com/sp.pem");

    assertThat(decision)
        .isEqualTo(
            new UrlPolicy.Accepted(
                java.net.URI.create("https://cert.example.com/sp.pem"), "cert.example.com", 443));
  }

  @Test
  void check_port8443_isAccepted() {
    assertThat(defaults.check("https://cert.example.com:8443/sp.pem"))
        .isInstanceOfSatisfying(
            UrlPolicy.Accepted.class, accepted -> assertThat(accepted.port()).isEqualTo(8443));
  }

  @Test
  void check_port8080_isRefused() {
    assertRefused(defaults, "https://cert.example.com:8080/sp.pem", "port 8080");
  }

  @Test
  void check_http_isRefusedUnlessAllowed() {
    assertRefused(defaults, "http://cert.example.com/sp.pem", "scheme http");

    UrlPolicy lab =
        new UrlPolicy(
            FetchSettings.builder().allowHttp(true).allowedPorts(java.util.Set.of(80)).build());
    assertThat(lab.check("http://cert.example.com/sp.pem"))
        .isInstanceOfSatisfying(
            UrlPolicy.Accepted.class, accepted -> assertThat(accepted.port()).isEqualTo(80));
  }

  @Test
  void check_httpAllowedButPort80NotListed_isRefused() {
    UrlPolicy lab = new UrlPolicy(FetchSettings.builder().allowHttp(true).build());

    assertRefused(lab, "http://cert.example.com/sp.pem", "port 80");
  }

  @Test
  void check_userinfo_isRefused() {
    assertRefused(defaults, "https://user:pw@cert.example.com/sp.pem", "userinfo");
  }

  @Test
  void check_query_isRefused() {
    assertRefused(defaults, "https://cert.example.com/sp.pem?x=1", "query");
  }

  @Test
  void check_fragment_isRefused() {
    assertRefused(defaults, "https://cert.example.com/sp.pem#frag", "fragment");
  }

  @Test
  void check_tooLong_isRefused() {
    String url = "https://cert.example.com/" + "a".repeat(2048);

    assertRefused(defaults, url, "longer than 2048");
  }

  @Test
  void check_ipv6Literal_isAcceptedWithoutBrackets() {
    assertThat(defaults.check("https://[2001:4860::8888]/sp.pem"))
        .isInstanceOfSatisfying(
            UrlPolicy.Accepted.class,
            accepted -> assertThat(accepted.host()).isEqualTo("2001:4860::8888"));
  }

  @Test
  void check_upperCaseSchemeAndHost_isAcceptedLowerCased() {
    assertThat(defaults.check("HTTPS://Cert.Example.COM/sp.pem"))
        .isInstanceOfSatisfying(
            UrlPolicy.Accepted.class,
            accepted -> assertThat(accepted.host()).isEqualTo("cert.example.com"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "not a url at all",
        "https://",
        "https:///sp.pem",
        "https://cert_example.com/sp.pem",
        "https://cert.example.com:99999/sp.pem",
        "https://[::1/sp.pem",
        "mailto:certs@example.com",
        "file:///etc/passwd",
        "ftp://cert.example.com/sp.pem",
        "gopher://127.0.0.1:443/_",
        "//cert.example.com/sp.pem",
        "https://cert.example.com/\u0000",
        "https://cert.example.com/sp pem"
      })
  void check_garbage_isRefusedWithoutThrowing(String url) {
    assertThat(defaults.check(url)).isInstanceOf(UrlPolicy.Refused.class);
  }

  private static void assertRefused(UrlPolicy policy, String url, String reason) {
    assertThat(policy.check(url))
        .isInstanceOfSatisfying(
            UrlPolicy.Refused.class, refused -> assertThat(refused.reason()).contains(reason));
  }
}
