package org.sipsentry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain calls, UAC → proxy → UAS, with SIPp's built-in scenarios, over UDP and over TCP. */
class ProxyCallsIT {

  private static final int CALLS = 200;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"u1", "t1"})
  void plainCalls_allSucceed_andEachGetsOneAuditLine(String transport, @TempDir Path dir)
      throws Exception {
    try (LabProxy proxy = LabProxy.start("lab", dir);
        Sipp uas = proxy.uas(transport, "-sn", "uas")) {
      Sipp uac =
          proxy.uac("127.0.0.1", transport, "-sn", "uac", "-m", String.valueOf(CALLS), "-r", "50");

      assertThat(uac.await(Duration.ofSeconds(90))).as(uac.describe()).isZero();

      List<JsonNode> audit = proxy.auditRecords(CALLS);
      assertThat(audit).hasSize(CALLS);
      assertThat(audit)
          .allSatisfy(
              line -> {
                assertThat(line.at("/verdict/action").asText()).isEqualTo("allow");
                assertThat(line.at("/verdict/reasons")).isEmpty();
              });
      assertThat(audit.stream().map(line -> line.get("call-id").asText()).distinct())
          .hasSize(CALLS);
      assertThat(proxy.counter("invite.allow")).isEqualTo(CALLS);
      assertThat(proxy.counter("internal_error")).isZero();
    }
  }

  @Test
  void nextHopDown_tcpInvite_getsServiceUnavailable(@TempDir Path dir) throws Exception {
    try (LabProxy proxy = LabProxy.start("lab", dir)) {
      // Nobody listens on the UAS port: the TCP connection to the next hop is refused.
      Path scenario =
          Scenarios.render(
              "blocked-call/uac.xml",
              java.util.Map.of(
                  "from_user", "alice", "extra_header", "Privacy: none", "expect_code", "503"),
              dir);
      Sipp uac = proxy.uac("127.0.0.1", "t1", "-sf", scenario.toString(), "-m", "1");

      assertThat(uac.await(Duration.ofSeconds(30))).as(uac.describe()).isZero();
      assertThat(proxy.counter("next_hop.unreachable")).isPositive();
    }
  }
}
