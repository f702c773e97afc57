package org.sipsentry.sip.stir.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class FetchSettingsTest {

  @Test
  void defaults_areTheDocumentedOnes() throws Exception {
    FetchSettings settings = FetchSettings.defaults();

    assertThat(settings.allowHttp()).isFalse();
    assertThat(settings.allowedPorts()).containsExactlyInAnyOrder(443, 8443);
    assertThat(settings.allowedAddressClasses()).isEmpty();
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(settings.cacheMaxEntries()).isEqualTo(10_000);
    assertThat(settings.cacheMaxBytes()).isEqualTo(64L << 20);
    assertThat(settings.minTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.negativeTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.sslContext()).isSameAs(SSLContext.getDefault());
  }

  @Test
  void toBuilder_roundTrips() {
    FetchSettings settings =
        FetchSettings.builder()
            .allowHttp(true)
            .allowedPorts(Set.of(80, 8443))
            .allowedAddressClasses(Set.of(AddressClass.LOOPBACK))
            .cacheMaxBytes(1 << 20)
            .sslContext(TestHttpServer.clientSslContext())
            .build();

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
  }

  @Test
  void build_cacheMaxBytesBelowMaxBodyBytes_namesTheKey() {
    assertThatThrownBy(() -> FetchSettings.builder().cacheMaxBytes(1000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaxBytes: 1000 is less than maxBodyBytes 65536");
  }

  @Test
  void build_portOutOfRange_namesTheKeyAndValue() {
    assertThatThrownBy(() -> FetchSettings.builder().allowedPorts(Set.of(0)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedPorts: 0 is not a port (1-65535)");
  }

  @Test
  void build_maxTtlShorterThanMinTtl_isRefused() {
    assertThatThrownBy(
            () ->
                FetchSettings.builder()
                    .minTtl(Duration.ofHours(2))
                    .maxTtl(Duration.ofHours(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxTtl:");
  }
}
