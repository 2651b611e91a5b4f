package dev.gatehouse.rest.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: a status, a body to serialise as JSON (or raw bytes for the non-JSON
 * system endpoints) and extra headers.
 */
public final class ApiResponse {

    private final int status;
    private final Object body;
    private final byte[] raw;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ApiResponse(int status, Object body, byte[] raw, String contentType) {
        this.status = status;
        this.body = body;
        this.raw = raw;
        this.contentType = contentType;
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, null, "application/json");
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, null, "application/json");
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null, null);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, null, "application/json");
    }

    public static ApiResponse raw(int status, byte[] bytes, String contentType) {
        return new ApiResponse(status, null, bytes, contentType);
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Object body() {
        return body;
    }

    public byte[] raw() {
        return raw;
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
