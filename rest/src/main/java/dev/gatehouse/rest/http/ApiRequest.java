package dev.gatehouse.rest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.form.Decimals;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the routes see it: transport-free, so the dispatcher can be tested without
 * sockets. Path parameters are named as in the route template ({@code channel.id}).
 */
public final class ApiRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String clientIp;
    private final boolean secure;
    private Dialect dialect = Dialect.DISCORD;
    private Map<String, String> params = Map.of();
    private Principal principal;
    private JsonNode json;

    /** {@code headers} keys are lower-case. */
    public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers, byte[] body, String clientIp) {
        this(method, path, query, headers, body, clientIp, false);
    }

    /** @param secure whether the request came over TLS */
    public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers, byte[] body,
            String clientIp, boolean secure) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body == null ? new byte[0] : body;
        this.clientIp = clientIp;
        this.secure = secure;
    }

    public String method() { return method; }
    public String path() { return path; }
    public String clientIp() { return clientIp; }
    public boolean secure() { return secure; }
    public Dialect dialect() { return dialect; }
    public byte[] body() { return body; }
    public Map<String, String> params() { return params; }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    void bind(Dialect dialect, Map<String, String> params) {
        this.dialect = dialect;
        this.params = params;
    }

    void authenticate(Principal principal) {
        this.principal = principal;
    }

    /** The authenticated caller; every route but the public ones has one. */
    public Principal principal() {
        if (principal == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED);
        }
        return principal;
    }

    public boolean isAuthenticated() {
        return principal != null;
    }

    /** The body as JSON; an unparsable body is 50109. An empty body is JSON null. */
    public JsonNode json() {
        if (json == null) {
            if (body.length == 0) {
                json = com.fasterxml.jackson.databind.node.NullNode.getInstance();
            } else {
                try {
                    // trailing data after the value is invalid JSON too, not something to ignore
                    json = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
                } catch (JsonProcessingException e) {
                    throw new ApiException(ErrorCode.INVALID_JSON);
                } catch (IOException e) {
                    throw new ApiException(ErrorCode.INVALID_JSON);
                }
                if (json == null) {
                    json = com.fasterxml.jackson.databind.node.NullNode.getInstance();
                }
            }
        }
        return json;
    }

    /**
     * The body's parameters as OAuth2's endpoints take them: {@code application/x-www-form-urlencoded}
     * (RFC 6749 4.1.3), or a JSON object's string and number fields, which lenient clients send. The
     * first value of a repeated name wins. A body that is neither is 50109.
     */
    public Map<String, String> formParams() {
        String type = header("content-type");
        Map<String, String> out = new LinkedHashMap<>();
        if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)) {
            QueryStringDecoder decoder = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false);
            decoder.parameters().forEach((k, v) -> out.put(k, v.getFirst()));
            return out;
        }
        JsonNode node = json();
        if (node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON);
        }
        node.properties().forEach(e -> {
            if (e.getValue().isTextual() || e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    /** The body as a form to validate field by field. */
    public Form form() {
        return Form.of(json());
    }

    /** A snowflake path parameter; a malformed one is a 50035 on that parameter, as on Discord. */
    public long snowflake(String param) {
        String raw = params.get(param);
        Long id = Decimals.parseNonNegativeLong(raw);
        if (id == null) {
            throw FieldErrors.single(param.replace('.', '_'), "NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not snowflake.");
        }
        return id;
    }

    public String param(String name) {
        return params.get(name);
    }

    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** An integer query parameter within bounds; absent gives {@code fallback}. */
    public int queryInt(String name, int min, int max, int fallback) {
        String raw = query(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw FieldErrors.single(name, "NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not int.");
        }
        if (value < min || value > max) {
            throw FieldErrors.single(name, value < min ? "NUMBER_TYPE_MIN" : "NUMBER_TYPE_MAX",
                    "int value should be " + (value < min ? "greater than or equal to " + min : "less than or equal to " + max) + ".");
        }
        return value;
    }

    /** A snowflake query parameter, null when absent. */
    public Long querySnowflake(String name) {
        String raw = query(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Long id = Decimals.parseNonNegativeLong(raw);
        if (id == null) {
            throw FieldErrors.single(name, "NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not snowflake.");
        }
        return id;
    }

    public boolean queryBool(String name) {
        String raw = query(name);
        return raw != null && (raw.equalsIgnoreCase("true") || raw.equals("1"));
    }

}
