package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws gateway load results ({@link GatewayLoad} JSON files) as one self-contained HTML page: the
 * latency percentile curves of every run on one chart (SVG, no scripts) and a table of the figures.
 * Usage: {@code LoadChart out.html result.json...}; an {@code .svg} output gets the chart alone, with
 * a legend, for pages that show images but not HTML.
 */
public final class LoadChart {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
    private static final int W = 760;
    private static final int H = 380;
    private static final int LEFT = 60;
    private static final int BOTTOM = 40;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LoadChart out.html result.json...");
            System.exit(2);
        }
        List<JsonNode> runs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            runs.add(new ObjectMapper().readTree(Files.readString(Path.of(args[i]))));
        }
        Files.writeString(Path.of(args[0]), args[0].endsWith(".svg") ? svg(runs) + "\n" : html(runs));
    }

    static String html(List<JsonNode> runs) {
        StringBuilder table = new StringBuilder("<table><tr><th></th><th>run</th><th>sessions</th><th>compress</th><th>churn/s</th>"
                + "<th>deliveries/s</th><th>p50 ms</th><th>p99 ms</th><th>p999 ms</th><th>lost</th><th>duplicates</th>"
                + "<th>resumes</th><th>server heap/session</th></tr>");
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            table.append(String.format(Locale.ROOT, "<tr><td style='background:%s'>&nbsp;</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%d</td>"
                    + "<td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>",
                    COLORS[i % COLORS.length], esc(r.path("label").asText("")), r.get("sessions").asLong(), esc(r.get("compress").asText()),
                    trim(r.path("churn_per_s").asDouble()), r.get("deliveries_per_s").asLong(), trim(r.at("/latency_ms/p50").asDouble()),
                    trim(r.at("/latency_ms/p99").asDouble()), trim(r.at("/latency_ms/p999").asDouble()), r.get("lost").asLong(),
                    r.get("duplicates").asLong(), r.get("resumes").asLong(),
                    r.has("server_heap_bytes_per_session") ? (r.get("server_heap_bytes_per_session").asLong() / 1024) + " KiB" : "-"));
        }
        table.append("</table>");
        return "<!doctype html><html><head><meta charset='utf-8'><title>Gatehouse gateway load</title>"
                + "<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}td,th{padding:4px 8px;"
                + "border-bottom:1px solid #ddd;text-align:right}</style></head><body><h1>Gatehouse gateway load</h1>"
                + "<p>Latency from the POST of a message to its receipt by each session, at each percentile.</p>"
                + svg(runs) + table + "</body></html>\n";
    }

    /** x: the percentile on a "nines" scale (0, 90, 99, 99.9 ... equally spaced); y: milliseconds, linear. */
    static String svg(List<JsonNode> runs) {
        double maxMs = 1;
        for (JsonNode r : runs) {
            for (JsonNode p : r.get("latency_curve_ms")) {
                if (p.get(0).asDouble() <= 99.99) {
                    maxMs = Math.max(maxMs, p.get(1).asDouble());
                }
            }
        }
        maxMs = niceCeiling(maxMs);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>", W, H));
        svg.append(String.format(Locale.ROOT, "<rect width='%d' height='%d' fill='white'/>", W, H));
        int plotW = W - LEFT - 20;
        int plotH = H - BOTTOM - 20;
        for (int i = 0; i <= 5; i++) {
            double ms = maxMs * i / 5;
            int y = 20 + plotH - (int) (plotH * i / 5.0);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#ddd'/>", LEFT, y, LEFT + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>", LEFT - 6, y + 4, trim(ms)));
        }
        String[] ticks = {"0", "90", "99", "99.9", "99.99"};
        for (String t : ticks) {
            int x = LEFT + (int) (plotW * nines(Double.parseDouble(t)) / 4.0);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='20' x2='%d' y2='%d' stroke='#eee'/>", x, x, 20 + plotH));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>p%s</text>", x, 20 + plotH + 16, t));
        }
        svg.append(String.format(Locale.ROOT, "<text x='14' y='%d' transform='rotate(-90 14 %d)' text-anchor='middle'>latency, ms (POST to receipt)</text>",
                20 + plotH / 2, 20 + plotH / 2));
        for (int i = 0; i < runs.size(); i++) {
            StringBuilder points = new StringBuilder();
            for (JsonNode p : runs.get(i).get("latency_curve_ms")) {
                double pct = p.get(0).asDouble();
                if (pct > 99.99) {
                    continue;
                }
                int x = LEFT + (int) (plotW * nines(pct) / 4.0);
                int y = 20 + plotH - (int) (plotH * Math.min(1, p.get(1).asDouble() / maxMs));
                points.append(x).append(',').append(y).append(' ');
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>",
                    COLORS[i % COLORS.length], points.toString().trim()));
        }
        for (int i = 0; i < runs.size(); i++) { // the legend
            int y = 30 + 16 * i;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='3' fill='%s'/>", LEFT + 10, y - 4,
                    COLORS[i % COLORS.length]));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>", LEFT + 28, y, esc(runs.get(i).path("label").asText(""))));
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /** 0 → 0, 90 → 1, 99 → 2, 99.9 → 3, 99.99 → 4. */
    static double nines(double percentile) {
        return percentile >= 100 ? 4 : Math.min(4, -Math.log10(1 - percentile / 100));
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
