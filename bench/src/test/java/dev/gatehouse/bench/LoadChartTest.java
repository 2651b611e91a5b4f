package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadChartTest {

    static JsonNode run(String label, double p50, double p99) throws Exception {
        return new ObjectMapper().readTree("""
                {"label":"%s","sessions":5000,"compress":"none","churn_per_s":0,"deliveries_per_s":20000,
                 "latency_ms":{"p50":%s,"p99":%s,"p999":%s},"lost":0,"duplicates":0,"resumes":0,
                 "server_heap_bytes_per_session":3700,
                 "latency_curve_ms":[[0,1],[50,%s],[90,%s],[99,%s],[99.9,%s],[99.99,%s],[100,900]]}
                """.formatted(label, p50, p99, p99, p50, p99, p99, p99, p99));
    }

    @Test
    void oneCurvePerRunAndOneRowPerRun() throws Exception {
        String html = LoadChart.html(List.of(run("plain", 50, 150), run("zstd & co", 90, 200)));
        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(html).contains("<td>plain</td>", "<td>zstd &amp; co</td>", "<td>3 KiB</td>");
        String svg = LoadChart.svg(List.of(run("plain", 50, 150)));
        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains(">plain</text>");
    }

    @Test
    void percentilesSitOnANinesScale() {
        assertThat(LoadChart.nines(0)).isZero();
        assertThat(LoadChart.nines(90)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LoadChart.nines(99.9)).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LoadChart.nines(100)).isEqualTo(4);
    }
}
