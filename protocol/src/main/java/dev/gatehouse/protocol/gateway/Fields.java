package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/** Shape checks for payload fields; every failure is a 4002 naming the field. */
public final class Fields {

    private Fields() {}

    public static JsonNode object(JsonNode d, String what) throws ProtocolViolation {
        if (d == null || !d.isObject()) {
            throw decode(what + " payload must be an object");
        }
        return d;
    }

    public static String string(JsonNode parent, String field, int maxLength) throws ProtocolViolation {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw decode(field + " must be a string");
        }
        if (v.textValue().length() > maxLength) {
            throw decode(field + " is longer than " + maxLength);
        }
        return v.textValue();
    }

    /** An optional integer within bounds; {@code fallback} when absent or null. */
    public static long integer(JsonNode parent, String field, long min, long max, long fallback) throws ProtocolViolation {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw decode(field + " must be an integer");
        }
        long value = v.longValue();
        if (value < min || value > max) {
            throw decode(field + " must be between " + min + " and " + max);
        }
        return value;
    }

    public static boolean bool(JsonNode parent, String field, boolean fallback) throws ProtocolViolation {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw decode(field + " must be a boolean");
        }
        return v.booleanValue();
    }

    /** A snowflake given as a string (as Discord sends ids) or a number. */
    public static long snowflake(JsonNode v, String field) throws ProtocolViolation {
        if (v != null) {
            try {
                long id = v.isTextual() ? Long.parseLong(v.textValue())
                        : v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : -1;
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // not a number: the violation below
            }
        }
        throw decode(field + " must be a snowflake");
    }

    public static ProtocolViolation decode(String reason) {
        return new ProtocolViolation(CloseCode.DECODE_ERROR, reason);
    }
}
