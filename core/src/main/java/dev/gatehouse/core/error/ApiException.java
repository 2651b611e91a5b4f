package dev.gatehouse.core.error;

import java.util.Map;

/**
 * A request the platform refuses, carrying the error code it must be answered with. Thrown by the
 * services, turned into the dialect's JSON error body by the HTTP layer. {@code errors} is the
 * nested field-error tree of 50035 (Invalid Form Body), otherwise empty.
 */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> errors;

    public ApiException(ErrorCode code) {
        this(code, code.message(), Map.of());
    }

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> errors) {
        super(message, null, false, false); // control flow, not a bug: no stack trace
        this.code = code;
        this.errors = errors;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> errors() {
        return errors;
    }
}
