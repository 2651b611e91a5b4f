package dev.gatehouse.rest.http;

import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.error.OAuth2Error;
import dev.gatehouse.core.error.Unavailable;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rest.ratelimit.RateLimits;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@link ApiRequest} into an {@link ApiResponse}: IP screening (a blocked IP gets 429 before
 * anything else), version prefix and dialect (50041), routing (404, 405 with {@code Allow}),
 * authentication (401), rate limits (429), the route itself, error bodies, and ETags on successful
 * GETs and HEADs (304 when {@code If-None-Match} matches). HEAD runs the GET route; the transport
 * drops the body. Transport-free; blocking, so it runs on a virtual thread.
 *
 * <p>Bodies are read as JSON whatever their {@code Content-Type} says, or when there is none:
 * Discord's API only speaks JSON here (no multipart uploads yet), and being lenient costs nothing
 * because a body that is not JSON still gets 50109.
 */
public final class ApiDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

    private final RouteTable routes;
    private final Function<String, Optional<Principal>> authenticator;
    private final RateLimits rateLimits;
    private final Map<String, Supplier<ApiResponse>> systemRoutes = new LinkedHashMap<>();

    /** {@code authenticator} maps a token to its principal, or empty when the token is not valid. */
    public ApiDispatcher(RouteTable routes, Function<String, Optional<Principal>> authenticator, RateLimits rateLimits) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
    }

    /** A GET endpoint outside the API prefix ({@code /healthz}, {@code /metrics}). */
    public void system(String path, Supplier<ApiResponse> handler) {
        systemRoutes.put(path, handler);
    }

    public ApiResponse dispatch(ApiRequest request) {
        String path = request.path();
        if (!path.startsWith("/api/")) {
            Supplier<ApiResponse> system = systemRoutes.get(path);
            if (system == null) {
                return ErrorBodies.of(Dialect.DISCORD, ErrorCode.NOT_FOUND);
            }
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return ErrorBodies.of(Dialect.DISCORD, ErrorCode.METHOD_NOT_ALLOWED).header("Allow", "GET, HEAD");
            }
            return system.get();
        }
        int slash = path.indexOf('/', 5);
        String version = slash < 0 ? path.substring(5) : path.substring(5, slash);
        Dialect dialect = version.startsWith("v") ? Dialect.ofVersion(parseVersion(version.substring(1))) : null;
        String rest = slash < 0 ? "/" : path.substring(slash);
        RouteTable.Match match = dialect == null ? null : routes.match(request.method(), rest);
        request.bind(dialect == null ? Dialect.DISCORD : dialect, match == null ? Map.of() : match.params());
        Route route = match == null ? null : match.route();
        ApiResponse response = routed(request, dialect == null, match);
        rateLimits.complete(route, request, response);
        return response;
    }

    private ApiResponse routed(ApiRequest request, boolean badVersion, RouteTable.Match match) {
        Dialect dialect = request.dialect();
        // A blocked IP is refused before anything else, even before its token is looked up.
        Optional<ApiResponse> screened = rateLimits.screen(request);
        if (screened.isPresent()) {
            return screened.get();
        }
        if (badVersion) {
            return ErrorBodies.of(Dialect.DISCORD, ErrorCode.INVALID_API_VERSION);
        }
        if (match == null) {
            return ErrorBodies.of(dialect, ErrorCode.NOT_FOUND);
        }
        Route route = match.route();
        if (route == null) {
            return ErrorBodies.of(dialect, ErrorCode.METHOD_NOT_ALLOWED).header("Allow", allow(match.allowed()));
        }
        try {
            String token = route.readsToken() ? bearer(request.header("authorization")) : null;
            if (token != null) {
                Optional<Principal> principal = authenticator.apply(token);
                if (principal.isEmpty()) {
                    return ErrorBodies.of(dialect, ErrorCode.INVALID_TOKEN);
                }
                Principal who = principal.get();
                if (who.isOAuth2() && !route.admits(who.grant().scopes())) {
                    // a bearer token outside its scopes, as Discord answers it
                    return ErrorBodies.of(dialect, ErrorCode.UNAUTHORIZED);
                }
                request.authenticate(who);
            } else if (route.authenticated()) {
                return ErrorBodies.of(dialect, ErrorCode.UNAUTHORIZED);
            }
            Optional<ApiResponse> limited = rateLimits.admit(route, request);
            if (limited.isPresent()) {
                return limited.get();
            }
            ApiResponse response = route.handler().handle(request);
            boolean read = request.method().equals("GET") || request.method().equals("HEAD");
            return read ? withEtag(request, response) : response;
        } catch (ApiException e) {
            return ErrorBodies.of(dialect, e);
        } catch (OAuth2Error e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.error());
            body.put("error_description", e.description());
            ApiResponse response = ApiResponse.json(e.status(), body).header("Cache-Control", "no-store");
            return e.status() == 401 ? response.header("WWW-Authenticate", "Basic realm=\"oauth2\"") : response;
        } catch (RuntimeException e) {
            String missing = unavailable(e);
            if (missing != null) {
                log.atWarn().addKeyValue("route", route.template()).addKeyValue("missing", missing).log("route unavailable");
                return unavailableResponse(missing);
            }
            log.atError().setCause(e).addKeyValue("method", request.method()).addKeyValue("route", route.template())
                    .log("route failed");
            return ErrorBodies.of(dialect, ErrorCode.INTERNAL_ERROR);
        }
    }

    /**
     * What a failure says is missing, or null when it is a bug: {@link Unavailable}, or a database
     * that cannot be reached (a connection error, SQL state class 08, or no pooled connection in
     * time).
     */
    static String unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Unavailable u) {
                return u.getMessage();
            }
            if (t instanceof java.sql.SQLTransientConnectionException
                    || (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))) {
                return "the database cannot be reached";
            }
        }
        return null;
    }

    /** 502 with Retry-After: the request may be repeated once the component is back. */
    static ApiResponse unavailableResponse(String missing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "502: Bad Gateway (" + missing + ")");
        body.put("code", 0);
        body.put("retry_after", Unavailable.RETRY_AFTER_SECONDS);
        return ApiResponse.json(502, body).header("Retry-After", Integer.toString(Unavailable.RETRY_AFTER_SECONDS));
    }

    /** The {@code Allow} header: HEAD is served wherever GET is. */
    static String allow(Set<String> methods) {
        Set<String> all = new TreeSet<>(methods);
        if (all.contains("GET")) {
            all.add("HEAD");
        }
        return String.join(", ", all);
    }

    private static int parseVersion(String s) {
        try {
            return s.length() > 3 ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The token of {@code Bot x}, {@code Bearer x} or a bare {@code x}; null when there is none, or
     * for {@code Basic} credentials, which only OAuth2's client authentication reads.
     */
    static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String a = authorization.strip();
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        if (a.regionMatches(true, 0, "Bot ", 0, 4)) {
            return a.substring(4).strip();
        }
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).strip();
        }
        return a;
    }

    /**
     * Serialises the body once to hash it: a weak ETag of the representation. A client that sends
     * it back in {@code If-None-Match} gets 304 and no body.
     */
    private static ApiResponse withEtag(ApiRequest request, ApiResponse response) {
        if (response.status() != 200 || response.body() == null) {
            return response;
        }
        byte[] bytes = Json.bytes(response.body());
        String etag = "W/\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"";
        String ifNoneMatch = request.header("if-none-match");
        ApiResponse out;
        if (matches(ifNoneMatch, etag)) {
            out = ApiResponse.raw(304, new byte[0], null);
        } else {
            out = ApiResponse.raw(200, bytes, "application/json");
        }
        response.headers().forEach(out::header);
        return out.header("ETag", etag);
    }

    /** {@code If-None-Match}: a list of tags or {@code *}; weak comparison, as RFC 9110 asks for GET. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
