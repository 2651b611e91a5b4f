package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The seed's monitoring set on /metrics: close codes, resumes, time to resume, heartbeat round trip. */
class GatewayMetricsTest {

    @Test
    void closesResumesAndHeartbeatsAreCounted() throws Exception {
        GatewayConfig fast = GatewayConfig.defaults().withHeartbeatInterval(400);
        try (GatewayWorld world = GatewayWorld.start(c -> c.withGateway(fast))) {
            Account member = world.member("metered");
            try (GatewayTestClient bad = world.connect("v=10")) {
                bad.next(WAIT);
                bad.identify("bad-token", 1);
                bad.awaitClose(WAIT);
            }
            try (GatewayTestClient badResume = world.connect("v=10")) {
                badResume.next(WAIT);
                badResume.resume("bad-token", "no-such-session", 1);
                assertThat(badResume.awaitClose(WAIT).code()).isEqualTo(4004);
            }
            GatewayTestClient first = world.identified(member, "v=10", 1);
            String session = first.received().stream().filter(f -> "READY".equals(f.path("t").asText())).findFirst()
                    .orElseThrow().at("/d/session_id").asText();
            // answer the server's heartbeat request: one round trip measured
            var request = first.next(WAIT);
            while (request.get("op").intValue() != 1) {
                request = first.next(WAIT);
            }
            first.heartbeat(1L);
            first.abort();
            try (GatewayTestClient second = world.connect("v=10")) {
                second.next(WAIT);
                second.resume(member.token(), session, 1);
                second.nextDispatch("RESUMED", WAIT);
                String metrics = world.api.raw("GET", "/metrics", null, null, java.util.Map.of()).text();
                assertThat(value(metrics, "gatehouse_gateway_closes_total\\{by=\"server\",code=\"4004\",dialect=\"discord\"\\}"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_resumes_total\\{outcome=\"resumed\"\\}")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_resumes_total\\{outcome=\"auth_failed\"\\}")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_identifies_total\\{outcome=\"4004\"\\}"))
                        .as("the failed resume is not counted as an identify too").isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_resume_time_seconds_count")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_heartbeat_round_trip_seconds_count")).isGreaterThanOrEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_connections")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_sessions")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_identifies_total\\{outcome=\"ready\"\\}")).isEqualTo(1);
                assertThat(value(metrics, "gatehouse_gateway_dispatches_total")).isPositive();
                assertThat(value(metrics, "gatehouse_gateway_bytes_out_bytes_total\\{stage=\"wire\"\\}")).isPositive();
                assertThat(metrics).contains("gatehouse_gateway_replay_depth ");
            }
        }
    }

    @Test
    void everyHeartbeatOfAClientThatHeartbeatsOnTimeGivesALatencySample() {
        try (GatewayWorld world = GatewayWorld.start()) {
            Account member = world.member("punctual");
            try (GatewayTestClient c = world.identified(member, "v=10", 1)) {
                for (int i = 0; i < 3; i++) {
                    c.heartbeat(1L);
                    while (c.next(WAIT).get("op").intValue() != 11) {
                        // READY's GUILD_CREATE and the like
                    }
                }
                String metrics = world.api.raw("GET", "/metrics", null, null, java.util.Map.of()).text();
                assertThat(value(metrics, "gatehouse_gateway_heartbeat_latency_seconds_count"))
                        .as("one sample per heartbeat, none asked for by the server").isEqualTo(3);
                assertThat(value(metrics, "gatehouse_gateway_heartbeat_round_trip_seconds_count"))
                        .as("no heartbeat request was needed").isZero();
                assertThat(value(metrics, "gatehouse_gateway_identifies_total\\{outcome=\"ready\"\\}")).isEqualTo(1);
            }
        }
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in\n" + metrics.lines().filter(l -> l.startsWith("gatehouse_gateway")).toList());
        }
        return Double.parseDouble(m.group(1));
    }
}
