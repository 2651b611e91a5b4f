package dev.gatehouse.server.metrics;

import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.rest.http.RouteTable;
import java.util.Set;

/**
 * Names a request by its route template ({@code /api/v10/channels/{channel.id}/messages}), never
 * by its raw path: ids in paths would give a metric one time series per channel. Anything that
 * matches no route is {@value #UNMATCHED}, so scanners probing random paths add nothing.
 */
public final class RouteNames {

    public static final String UNMATCHED = "unmatched";

    private final RouteTable routes;
    private final Set<String> systemPaths;

    public RouteNames(RouteTable routes, Set<String> systemPaths) {
        this.routes = routes;
        this.systemPaths = Set.copyOf(systemPaths);
    }

    public String of(String method, String path) {
        if (!path.startsWith("/api/")) {
            return systemPaths.contains(path) ? path : UNMATCHED;
        }
        int slash = path.indexOf('/', 5);
        String version = canonicalVersion(slash < 0 ? path.substring(5) : path.substring(5, slash));
        if (version == null) {
            return UNMATCHED;
        }
        String rest = slash < 0 ? "/" : path.substring(slash);
        RouteTable.Match match = routes.match(method, rest);
        if (match == null) {
            return UNMATCHED;
        }
        if (match.route() != null) {
            return "/api/" + version + match.route().template();
        }
        // a 405: the path is known under other methods, whose routes share its template
        RouteTable.Match other = routes.match(match.allowed().iterator().next(), rest);
        return other == null || other.route() == null ? UNMATCHED : "/api/" + version + other.route().template();
    }

    /** {@code v10} for {@code v10} and {@code v010} (the dispatcher serves both), null for versions not served. */
    private static String canonicalVersion(String version) {
        if (version.length() < 2 || version.length() > 4 || version.charAt(0) != 'v') {
            return null;
        }
        for (int i = 1; i < version.length(); i++) {
            if (version.charAt(i) < '0' || version.charAt(i) > '9') {
                return null;
            }
        }
        int n = Integer.parseInt(version.substring(1));
        return Dialect.ofVersion(n) == null ? null : "v" + n;
    }
}
