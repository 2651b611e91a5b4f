package dev.gatehouse.rest.http;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.protocol.Dialect;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON error body of each dialect: numeric {@code code} (discord) or its name (fluxer). */
public final class ErrorBodies {

    private ErrorBodies() {}

    public static ApiResponse of(Dialect dialect, ApiException e) {
        return of(dialect, e.code(), e.getMessage(), e.errors());
    }

    public static ApiResponse of(Dialect dialect, ErrorCode code) {
        return of(dialect, code, code.message(), Map.of());
    }

    public static ApiResponse of(Dialect dialect, ErrorCode code, String message, Map<String, Object> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", dialect == Dialect.FLUXER ? code.name() : code.numeric());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return ApiResponse.json(code.httpStatus(), body);
    }
}
