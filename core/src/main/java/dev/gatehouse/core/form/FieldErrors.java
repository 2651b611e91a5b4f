package dev.gatehouse.core.form;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects field errors of one request body into Discord's nested shape:
 * {@code {"name": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "..."}]}}}, where
 * array elements are keyed by their index. Shared by every {@link Form} of the same body.
 */
public final class FieldErrors {

    private final Map<String, Object> root = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    public void add(List<String> path, String code, String message) {
        Map<String, Object> node = root;
        for (String segment : path) {
            node = (Map<String, Object>) node.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
        }
        List<Map<String, String>> list =
                (List<Map<String, String>>) node.computeIfAbsent("_errors", k -> new ArrayList<Map<String, String>>());
        list.add(Map.of("code", code, "message", message));
    }

    public boolean isEmpty() {
        return root.isEmpty();
    }

    /** Throws 50035 Invalid Form Body with the collected tree, if anything was collected. */
    public void throwIfAny() {
        if (!root.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_FORM_BODY, ErrorCode.INVALID_FORM_BODY.message(), root);
        }
    }

    /** One-field shortcut for errors found after reading (a name taken, an id of another guild). */
    public static ApiException single(String field, String code, String message) {
        FieldErrors errors = new FieldErrors();
        errors.add(List.of(field.split("\\.")), code, message);
        return new ApiException(ErrorCode.INVALID_FORM_BODY, ErrorCode.INVALID_FORM_BODY.message(), errors.root);
    }
}
