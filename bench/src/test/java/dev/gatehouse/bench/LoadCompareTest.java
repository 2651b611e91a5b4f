package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LoadCompareTest {

    static JsonNode result(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void eachFigureShowsBothValuesAndGatehouseOverTheFloor() throws Exception {
        JsonNode gatehouse = result("{\"sessions\":1000,\"messages\":50,\"post_rate_per_s\":10.0,\"ready_per_s\":600,"
                + "\"latency_ms\":{\"p50\":12.5,\"p99\":25.0},\"server_cpu_us_per_delivery\":21.2,\"lost\":0,\"duplicates\":0}");
        JsonNode floor = result("{\"sessions\":1000,\"messages\":50,\"post_rate_per_s\":10.0,\"ready_per_s\":2000,"
                + "\"latency_ms\":{\"p50\":5.0,\"p99\":12.5},\"server_cpu_us_per_delivery\":10.6,\"lost\":0,\"duplicates\":0}");
        String table = LoadCompare.table(gatehouse, floor);
        assertThat(table).contains("1000 sessions, 50 messages at 10.0/s")
                .contains("| READY/s (all sessions) | 600 | 2,000 | 0.30x |")
                .contains("| latency p99 | 25 ms | 12.50 ms | 2.00x |")
                .contains("| server CPU per delivery | 21.20 µs | 10.60 µs | 2.00x |")
                .contains("| lost | 0 | 0 | = |")
                .doesNotContain("identify p99"); // absent from both: left out
    }
}
