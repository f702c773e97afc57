package org.sipsentry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.fetch.AddressClass;
import org.sipsentry.sip.stir.fetch.CertificateFetcher;
import org.sipsentry.sip.stir.fetch.FetchResult;
import org.sipsentry.sip.stir.fetch.FetchSettings;

/** The counters by name, and how /metrics exports them. */
class ProxyStatsTest {

  private final ProxyStats stats = new ProxyStats();

  private String scrape() {
    return stats.registry().scrape();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "invite.block                     | sipsentry_invites_total{action=\"block\"}",
        "invite.retransmission.replayed   | sipsentry_invite_retransmissions_total{outcome=\"replayed\"}",
        "invite.detector_error            | sipsentry_detector_errors_total",
        "received.udp                     | sipsentry_received_total{transport=\"udp\"}",
        "request.INVITE                   | sipsentry_requests_total{method=\"INVITE\"}",
        "rejected.bad_header              | sipsentry_rejected_total{reason=\"bad_header\"}",
        "dropped.malformed                | sipsentry_dropped_total{reason=\"malformed\"}",
        "answered.608                     | sipsentry_answered_total{reason=\"608\"}",
        "forwarded.request                | sipsentry_forwarded_total{kind=\"request\"}",
        "stir.fetch.hit                   | sipsentry_certificate_cache_total{result=\"hit\"}",
        "stir.fetch.ok                    | sipsentry_certificate_fetches_total{outcome=\"ok\"}",
        "stir.fetch.failed.timeout        | sipsentry_certificate_fetches_total{outcome=\"timeout\"}",
        "stir.fetch.started               | sipsentry_certificate_fetches_started_total",
        "stir.fetch.breaker_opened        | sipsentry_certificate_breaker_openings_total",
        "stir.failure.stale-date          | sipsentry_stir_failures_total{code=\"403\",reason=\"stale-date\"}",
        "stir.tn-validation-passed        | sipsentry_stir_outcomes_total{verstat=\"tn-validation-passed\"}",
        "stir.indeterminate               | sipsentry_stir_indeterminate_total",
        "audit.written                    | sipsentry_audit_records_total{outcome=\"written\"}",
        "audit.dropped                    | sipsentry_audit_records_total{outcome=\"dropped\"}",
        "config.reload.ok                 | sipsentry_config_reloads_total{outcome=\"ok\"}",
        "config.reload.failed             | sipsentry_config_reloads_total{outcome=\"failed\"}",
        "tcp.framing_error                | sipsentry_tcp_events_total{event=\"framing_error\"}",
        "anonymised                       | sipsentry_events_total{event=\"anonymised\"}",
        "some.future.counter              | sipsentry_events_total{event=\"some.future.counter\"}",
        "invite.too.deep                  | sipsentry_events_total{event=\"invite.too.deep\"}",
      })
  void exportedAs_eachCounterFamily_itsTaggedMeter(String name, String exported) {
    assertThat(CounterMeters.exportedAs(name)).isEqualTo(exported);
  }

  @Test
  void increment_everyCounter_scrapedWithItsValue() {
    stats.increment("invite.block");
    stats.increment("invite.block");
    stats.increment("invite.allow");
    stats.increment("stir.failure.bad-signature");
    stats.increment("labelled.display_name");

    assertThat(stats.get("invite.block")).isEqualTo(2);
    assertThat(scrape())
        .contains("sipsentry_invites_total{action=\"block\"} 2")
        .contains("sipsentry_invites_total{action=\"allow\"} 1")
        .contains("sipsentry_stir_failures_total{code=\"438\",reason=\"bad-signature\"} 1")
        .contains("sipsentry_events_total{event=\"labelled.display_name\"} 1");
  }

  @Test
  void increment_twoInstances_countApart() {
    ProxyStats other = new ProxyStats();
    other.increment("invite.block");

    assertThat(stats.get("invite.block")).isZero();
    assertThat(scrape()).doesNotContain("sipsentry_invites_total");
  }

  @Test
  void named_countsAsItsName_andExistsOnlyOnceIncremented() {
    ProxyStats.Named received = stats.named("received.udp");
    ProxyStats.Named again = stats.named("received.udp");

    assertThat(stats.snapshot()).doesNotContainKey("received.udp");
    assertThat(scrape()).doesNotContain("sipsentry_received_total");

    received.increment();
    received.increment();
    again.increment();
    stats.increment("received.udp");

    assertThat(stats.get("received.udp")).isEqualTo(4);
    assertThat(received.name()).isEqualTo("received.udp");
    assertThat(scrape()).contains("sipsentry_received_total{transport=\"udp\"} 4");
  }

  @Test
  void methodIndex_namedMethodsInOrder_anyOtherAsOther() {
    assertThat(ProxyStats.METHODS.get(ProxyStats.methodIndex("BYE"))).isEqualTo("BYE");
    assertThat(ProxyStats.METHODS.get(ProxyStats.methodIndex("FROBNICATE"))).isEqualTo("OTHER");
    assertThat(ProxyStats.METHODS.get(ProxyStats.methodIndex("OTHER"))).isEqualTo("OTHER");
  }

  @Test
  void message_byDirectionKindMethodAndTransport_unknownMethodAsOther() {
    stats.message(ProxyStats.Direction.RECEIVED, true, "INVITE", Transport.UDP);
    stats.message(ProxyStats.Direction.RECEIVED, true, "INVITE", Transport.UDP);
    stats.message(ProxyStats.Direction.FORWARDED, false, "BYE", Transport.TCP);
    stats.message(ProxyStats.Direction.RECEIVED, true, "FROBNICATE", Transport.TCP);

    assertThat(scrape())
        .contains(
            "sipsentry_messages_total{direction=\"received\",kind=\"request\",method=\"INVITE\","
                + "transport=\"udp\"} 2")
        .contains(
            "sipsentry_messages_total{direction=\"forwarded\",kind=\"response\",method=\"BYE\","
                + "transport=\"tcp\"} 1")
        .contains(
            "sipsentry_messages_total{direction=\"received\",kind=\"request\",method=\"OTHER\","
                + "transport=\"tcp\"} 1")
        .doesNotContain("FROBNICATE");
  }

  @Test
  void finding_byReason() {
    stats.finding("from-pai-mismatch");
    stats.finding("from-pai-mismatch");
    stats.finding("deny-list");

    assertThat(scrape())
        .contains("sipsentry_findings_total{reason=\"from-pai-mismatch\"} 2")
        .contains("sipsentry_findings_total{reason=\"deny-list\"} 1");
  }

  @Test
  void decided_histogramBucketsCountAndSum() {
    stats.decided(TimeUnit.MICROSECONDS.toNanos(80));
    stats.decided(TimeUnit.MILLISECONDS.toNanos(30));

    assertThat(scrape())
        .contains("sipsentry_decision_seconds_bucket{le=\"1.0E-4\"} 1")
        .contains("sipsentry_decision_seconds_bucket{le=\"0.025\"} 1")
        .contains("sipsentry_decision_seconds_bucket{le=\"0.05\"} 2")
        .contains("sipsentry_decision_seconds_bucket{le=\"+Inf\"} 2")
        .contains("sipsentry_decision_seconds_count 2");
  }

  @Test
  void openBreakers_withoutFetchers_zero() {
    assertThat(scrape()).contains("sipsentry_certificate_breakers_open 0");
  }

  @Test
  void openBreakers_fetcherWhoseHostRefuses_countedUntilUntracked() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    FetchSettings settings =
        FetchSettings.builder()
            .allowHttp(true)
            .allowedPorts(Set.of(closedPort))
            .allowedAddressClasses(Set.of(AddressClass.LOOPBACK))
            .breakerThreshold(1)
            .negativeTtl(Duration.ZERO)
            .build();
    try (CertificateFetcher fetcher = new CertificateFetcher(settings, new FetchCounters(stats))) {
      stats.track(fetcher);

      FetchResult result =
          fetcher
              .fetch("http://127.0.0.1:" + closedPort + "/sp.pem")
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      assertThat(result).isInstanceOf(FetchResult.Failed.class);
      assertThat(scrape())
          .contains("sipsentry_certificate_breakers_open 1")
          .contains("sipsentry_certificate_breaker_openings_total 1")
          .contains("sipsentry_certificate_cache_total{result=\"miss\"} 1")
          .contains("sipsentry_certificate_fetches_total{outcome=\"connect_failed\"} 1");
      stats.untrack(fetcher);
      assertThat(scrape()).contains("sipsentry_certificate_breakers_open 0");
    }
  }
}
