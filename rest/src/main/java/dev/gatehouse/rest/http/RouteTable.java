package dev.gatehouse.rest.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes of the API under its version prefix, matched segment by segment. A literal segment
 * wins over a parameter ({@code /users/@me} before {@code /users/{user.id}}), and a path that matches
 * with another method only is reported so the dispatcher can answer 405 with {@code Allow}.
 */
public final class RouteTable {

    /** Default limit of a route that names none: generous, so only abuse meets it. */
    public static final int DEFAULT_LIMIT = 50;
    public static final long DEFAULT_WINDOW = 1_000;

    private final Node root = new Node();

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        String paramName;
        final Map<String, Route> routes = new LinkedHashMap<>();
    }

    /** A match: the route for the method (null when only other methods match) and the parameters. */
    public record Match(Route route, Map<String, String> params, Set<String> allowed) {}

    /** Starts a route; finish it with {@link Builder#to}. */
    public Builder route(String method, String template) {
        return new Builder(method, template);
    }

    public Builder get(String template) { return route("GET", template); }
    public Builder post(String template) { return route("POST", template); }
    public Builder put(String template) { return route("PUT", template); }
    public Builder patch(String template) { return route("PATCH", template); }
    public Builder delete(String template) { return route("DELETE", template); }

    public final class Builder {
        private final String method;
        private final String template;
        private boolean authenticated = true;
        private boolean readsToken = true;
        private Set<String> scopes = Set.of();
        private String bucket;
        private int limit = DEFAULT_LIMIT;
        private long window = DEFAULT_WINDOW;

        private Builder(String method, String template) {
            this.method = method;
            this.template = template;
            this.bucket = method + " " + template;
        }

        /** No token needed (register, login, gateway URL). */
        public Builder open() {
            this.authenticated = false;
            return this;
        }

        /**
         * No token needed, and none looked at: the caller authenticates otherwise (OAuth2's client
         * credentials), and a library's placeholder {@code Authorization} must not make it a 401.
         */
        public Builder clientAuthenticated() {
            this.authenticated = false;
            this.readsToken = false;
            return this;
        }

        /**
         * OAuth2 access tokens with any of these scopes may call the route too ({@link Route#ANY_SCOPE}
         * for any token); without, only users' and bots' own tokens may.
         */
        public Builder scopes(String... oauth2Scopes) {
            this.scopes = Set.of(oauth2Scopes);
            return this;
        }

        /** {@code limit} requests per {@code windowMillis} per bucket; routes naming the same bucket share it. */
        public Builder limit(String bucket, int limit, long windowMillis) {
            this.bucket = bucket;
            this.limit = limit;
            this.window = windowMillis;
            return this;
        }

        public void to(Handler handler) {
            add(new Route(method, template, handler, authenticated, readsToken, scopes, bucket, limit, window));
        }
    }

    private void add(Route route) {
        Node node = root;
        for (String segment : segments(route.template())) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                if (node.param == null) {
                    node.param = new Node();
                    node.paramName = name;
                } else if (!node.paramName.equals(name)) {
                    throw new IllegalStateException("parameter {" + name + "} clashes with {" + node.paramName + "} in " + route.template());
                }
                node = node.param;
            } else {
                node = node.literals.computeIfAbsent(segment, k -> new Node());
            }
        }
        if (node.routes.putIfAbsent(route.method(), route) != null) {
            throw new IllegalStateException("duplicate route " + route.method() + " " + route.template());
        }
    }

    /** The match for a path below the version prefix, or null when no route has that path. */
    public Match match(String method, String path) {
        List<String> segments = segments(path);
        Map<String, String> params = new HashMap<>();
        Node node = find(root, segments, 0, params);
        if (node == null) {
            return null;
        }
        Route route = node.routes.get(method);
        if (route == null && method.equals("HEAD")) {
            route = node.routes.get("GET");
        }
        return new Match(route, Map.copyOf(params), new TreeSet<>(node.routes.keySet()));
    }

    private static Node find(Node node, List<String> segments, int i, Map<String, String> params) {
        if (i == segments.size()) {
            return node.routes.isEmpty() ? null : node;
        }
        String segment = segments.get(i);
        Node literal = node.literals.get(segment);
        if (literal != null) {
            Node found = find(literal, segments, i + 1, params);
            if (found != null) {
                return found;
            }
        }
        if (node.param != null && !segment.isEmpty()) {
            params.put(node.paramName, segment);
            Node found = find(node.param, segments, i + 1, params);
            if (found != null) {
                return found;
            }
            params.remove(node.paramName);
        }
        return null;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
