package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Puts a Gatehouse load result beside the floor's (the same load on {@code BareBroadcaster}, run
 * back to back) and prints, per figure, both values and Gatehouse/floor: what the server costs
 * beyond what the machine itself does.
 *
 * <pre>java -cp gatehouse-bench.jar dev.gatehouse.bench.LoadCompare gatehouse.json floor.json</pre>
 */
public final class LoadCompare {

    /** One compared figure: where it is in a result, and its unit. */
    record Figure(String name, String pointer, String unit) {}

    static final List<Figure> FIGURES = List.of(
            new Figure("READY/s (all sessions)", "/ready_per_s", ""),
            new Figure("identify p99", "/identify_latency_ms/p99", "ms"),
            new Figure("RSS per session at READY", "/server_rss_bytes_per_session", "B"),
            new Figure("heap per idle session", "/server_heap_bytes_per_session", "B"),
            new Figure("deliveries/s", "/deliveries_per_s", ""),
            new Figure("latency p50", "/latency_ms/p50", "ms"),
            new Figure("latency p99", "/latency_ms/p99", "ms"),
            new Figure("server CPU per delivery", "/server_cpu_us_per_delivery", "µs"),
            new Figure("lost", "/lost", ""),
            new Figure("duplicated", "/duplicates", ""));

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        System.out.print(table(json.readTree(Path.of(args[0]).toFile()), json.readTree(Path.of(args[1]).toFile())));
    }

    /** The comparison as a Markdown table. */
    static String table(JsonNode gatehouse, JsonNode floor) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d sessions, %s messages at %s/s%n%n", gatehouse.path("sessions").asLong(),
                gatehouse.path("messages").asText(), gatehouse.path("post_rate_per_s").asText()));
        out.append("| figure | Gatehouse | floor | Gatehouse/floor |\n|---|---|---|---|\n");
        for (Figure f : FIGURES) {
            JsonNode g = gatehouse.at(f.pointer());
            JsonNode b = floor.at(f.pointer());
            if (g.isMissingNode() || b.isMissingNode()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", f.name(), value(g, f.unit()), value(b, f.unit()),
                    ratio(g.asDouble(), b.asDouble())));
        }
        return out.toString();
    }

    private static String value(JsonNode v, String unit) {
        double d = v.asDouble();
        String number = d == Math.rint(d) ? String.format(Locale.ROOT, "%,d", (long) d) : String.format(Locale.ROOT, "%,.2f", d);
        return unit.isEmpty() ? number : number + " " + unit;
    }

    private static String ratio(double gatehouse, double floor) {
        return floor == 0 ? (gatehouse == 0 ? "=" : "-") : String.format(Locale.ROOT, "%.2fx", gatehouse / floor);
    }
}
