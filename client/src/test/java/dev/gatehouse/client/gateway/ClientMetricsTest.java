package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.Dialect;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seed's four client metrics, as the core reports the events behind them. */
class ClientMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ClientMetrics metrics = new ClientMetrics(registry, Dialect.DISCORD);

    @Test
    void closeCodesBySide() {
        metrics.onClosed(4000, "", true);
        metrics.onClosed(4000, "", true);
        metrics.onClosed(4900, "", false);
        assertThat(registry.get("gatehouse.client.closes").tags("code", "4000", "by", "server").counter().count()).isEqualTo(2);
        assertThat(registry.get("gatehouse.client.closes").tags("code", "4900", "by", "client").counter().count()).isEqualTo(1);
    }

    @Test
    void resumeSuccessRateAndReconnectTime() {
        metrics.onResumeAttempt();
        metrics.onResumeAttempt();
        metrics.onResumed(250);
        metrics.onIdentified(-1); // the first session: no reconnection to time
        metrics.onIdentified(3_000);
        assertThat(registry.get("gatehouse.client.resumes").tag("outcome", "attempted").counter().count()).isEqualTo(2);
        assertThat(registry.get("gatehouse.client.resumes").tag("outcome", "resumed").counter().count()).isEqualTo(1);
        var resumed = registry.get("gatehouse.client.reconnect.time").tag("how", "resumed").timer();
        assertThat(resumed.count()).isEqualTo(1);
        assertThat(resumed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
        var identified = registry.get("gatehouse.client.reconnect.time").tag("how", "identified").timer();
        assertThat(identified.count()).isEqualTo(1);
        assertThat(identified.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_000);
    }

    @Test
    void heartbeatRoundTripAndDuplicates() {
        metrics.onHeartbeatAck(40);
        metrics.onHeartbeatAck(60);
        metrics.onDuplicate(7);
        var rtt = registry.get("gatehouse.client.heartbeat.rtt").timer();
        assertThat(rtt.count()).isEqualTo(2);
        assertThat(rtt.mean(TimeUnit.MILLISECONDS)).isEqualTo(50);
        assertThat(registry.get("gatehouse.client.duplicates").counter().count()).isEqualTo(1);
    }

    @Test
    void withoutARegistryNothingIsRecordedAndNothingFails() {
        ClientMetrics none = new ClientMetrics(null, Dialect.FLUXER);
        none.onClosed(4000, "", true);
        none.onResumeAttempt();
        none.onResumed(1);
        none.onIdentified(1);
        none.onHeartbeatAck(1);
        none.onDuplicate(1);
    }
}
