package dev.gatehouse.core.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and validates one JSON object of a request body. Every accessor records a field error
 * instead of throwing, so one response lists every bad field, as Discord does; call
 * {@link #validate()} once all fields are read. Accessors named {@code opt...} return null when the
 * field is absent or JSON null; use {@link #has} to tell absent from null in PATCH bodies.
 */
public final class Form {

    private final JsonNode node;
    private final List<String> path;
    private final FieldErrors errors;

    private Form(JsonNode node, List<String> path, FieldErrors errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /** The request body as a form; a body that is not a JSON object is itself a field error. */
    public static Form of(JsonNode body) {
        FieldErrors errors = new FieldErrors();
        if (body == null || body.isMissingNode() || body.isNull()) {
            return new Form(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), List.of(), errors);
        }
        if (!body.isObject()) {
            errors.add(List.of(), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        }
        return new Form(body, List.of(), errors);
    }

    public void validate() {
        errors.throwIfAny();
    }

    public FieldErrors errors() {
        return errors;
    }

    /** True when the key is present, even with a JSON null. */
    public boolean has(String field) {
        return node.isObject() && node.has(field);
    }

    /** True when the key is present with a JSON null (PATCH: clear the value). */
    public boolean isNull(String field) {
        return has(field) && node.get(field).isNull();
    }

    public void error(String field, String code, String message) {
        errors.add(pathOf(field), code, message);
    }

    private List<String> pathOf(String field) {
        List<String> p = new ArrayList<>(path);
        p.add(field);
        return p;
    }

    private JsonNode value(String field) {
        if (!node.isObject()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public String string(String field, int min, int max) {
        String s = optString(field, min, max);
        if (s == null && value(field) == null) {
            error(field, "BASE_TYPE_REQUIRED", "This field is required");
        }
        return s;
    }

    public String optString(String field, int min, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            error(field, "STRING_TYPE_CONVERT", "Could not interpret \"" + abbreviate(v.toString()) + "\" as string.");
            return null;
        }
        String s = v.textValue();
        int length = s.codePointCount(0, s.length());
        if (length < min || length > max) {
            error(field, "BASE_TYPE_BAD_LENGTH", "Must be between " + min + " and " + max + " in length.");
            return null;
        }
        return s;
    }

    /** An ISO 8601 date and time with an offset ({@code 2026-12-07T16:00:00Z}, {@code ...+01:00}); null when absent or null. */
    public Instant optTimestamp(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            try {
                return OffsetDateTime.parse(v.textValue()).toInstant();
            } catch (DateTimeParseException e) {
                // the error below
            }
        }
        error(field, "DATE_TIME_TYPE_PARSE", "Could not parse " + abbreviate(v.asText()) + ". Should be ISO8601.");
        return null;
    }

    public Integer optInt(String field, int min, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            error(field, "NUMBER_TYPE_COERCE", "Value \"" + abbreviate(v.asText()) + "\" is not int.");
            return null;
        }
        int i = v.intValue();
        if (i < min) {
            error(field, "NUMBER_TYPE_MIN", "int value should be greater than or equal to " + min + ".");
            return null;
        }
        if (i > max) {
            error(field, "NUMBER_TYPE_MAX", "int value should be less than or equal to " + max + ".");
            return null;
        }
        return i;
    }

    public int integer(String field, int min, int max, int fallback) {
        Integer i = optInt(field, min, max);
        return i == null ? fallback : i;
    }

    public Boolean optBool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            error(field, "BOOLEAN_TYPE_CONVERT", "Could not interpret \"" + abbreviate(v.asText()) + "\" as boolean.");
            return null;
        }
        return v.booleanValue();
    }

    public boolean bool(String field, boolean fallback) {
        Boolean b = optBool(field);
        return b == null ? fallback : b;
    }

    /** A snowflake, sent as a string (or, leniently, as a JSON integer). */
    public Long optSnowflake(String field) {
        JsonNode v = value(field);
        return v == null ? null : snowflake(v, pathOf(field));
    }

    public Long snowflake(String field) {
        Long id = optSnowflake(field);
        if (id == null && value(field) == null) {
            error(field, "BASE_TYPE_REQUIRED", "This field is required");
        }
        return id;
    }

    private Long snowflake(JsonNode v, List<String> at) {
        Long id = null;
        if (v.isTextual()) {
            id = Decimals.parseNonNegativeLong(v.textValue());
        } else if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
            id = v.longValue();
        }
        if (id == null) {
            errors.add(at, "NUMBER_TYPE_COERCE", "Value \"" + abbreviate(v.asText()) + "\" is not snowflake.");
        }
        return id;
    }


    /** The field's array of at most {@code max} elements; null (with the error recorded) when absent or not that. */
    private JsonNode list(String field, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            error(field, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
            return null;
        }
        if (v.size() > max) {
            error(field, "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.");
            return null;
        }
        return v;
    }

    /** A list of distinct snowflakes, at most {@code max} of them. */
    public Set<Long> optSnowflakes(String field, int max) {
        JsonNode v = list(field, max);
        if (v == null) {
            return null;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (int i = 0; i < v.size(); i++) {
            List<String> at = pathOf(field);
            at.add(Integer.toString(i));
            Long id = snowflake(v.get(i), at);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** A list of strings, at most {@code max} of them, each 1 to {@code maxLength} characters; null when absent. */
    public List<String> optStrings(String field, int max, int maxLength) {
        JsonNode v = list(field, max);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            List<String> at = pathOf(field);
            at.add(Integer.toString(i));
            JsonNode element = v.get(i);
            if (!element.isTextual()) {
                errors.add(at, "BASE_TYPE_STRING", "This field must be a string.");
            } else if (element.textValue().isEmpty() || element.textValue().length() > maxLength) {
                errors.add(at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and " + maxLength + " in length.");
            } else {
                out.add(element.textValue());
            }
        }
        return out;
    }

    /** A permission bit set: a decimal string (Discord's form) or a JSON integer. */
    public Long optPermissions(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        Long bits = null;
        if (v.isTextual()) {
            bits = Decimals.parseNonNegativeLong(v.textValue());
        } else if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
            bits = v.longValue();
        }
        if (bits == null) {
            error(field, "NUMBER_TYPE_COERCE", "Value \"" + abbreviate(v.asText()) + "\" is not a valid permission bit set.");
        }
        return bits;
    }

    /** A nested object, validated into the same error tree; null when absent. */
    public Form optObject(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            error(field, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
            return null;
        }
        return new Form(v, pathOf(field), errors);
    }

    /** A list of nested objects, each validated into the same error tree; null when absent. */
    public List<Form> optObjects(String field, int max) {
        JsonNode v = list(field, max);
        if (v == null) {
            return null;
        }
        List<Form> forms = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            List<String> at = pathOf(field);
            at.add(Integer.toString(i));
            JsonNode element = v.get(i);
            if (element.isObject()) {
                forms.add(new Form(element, at, errors));
            } else {
                errors.add(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
            }
        }
        return forms;
    }

    /** A raw JSON value (nonce, embeds) for fields the platform stores as given. */
    public JsonNode raw(String field) {
        return value(field);
    }

    /** Maps a value through {@code parse}, recording a BASE_TYPE_CHOICES error when it yields null. */
    public <T> T choice(String field, Integer value, Function<Integer, T> parse, String choices) {
        if (value == null) {
            return null;
        }
        T t = parse.apply(value);
        if (t == null) {
            error(field, "BASE_TYPE_CHOICES", "Value must be one of " + choices + ".");
        }
        return t;
    }

    public JsonNodeType type() {
        return node.getNodeType();
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
