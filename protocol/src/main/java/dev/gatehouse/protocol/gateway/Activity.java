package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One activity of a presence, kept to the fields others see: {@code {name, type, state?, url?}}.
 * Written by the project's JSON mapper, absent fields left out.
 *
 * @param type 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing, 6 hang status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Activity(String name, int type, String state, String url) {

    public static final int MAX_TYPE = 6;
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_TEXT_LENGTH = 512;

    public static Activity playing(String name) {
        return new Activity(name, 0, null, null);
    }

    public static Activity parse(JsonNode a) throws ProtocolViolation {
        Fields.object(a, "activity");
        return new Activity(Fields.string(a, "name", MAX_NAME_LENGTH), (int) Fields.integer(a, "type", 0, MAX_TYPE, 0),
                optionalText(a, "state"), optionalText(a, "url"));
    }

    private static String optionalText(JsonNode a, String field) throws ProtocolViolation {
        JsonNode v = a.get(field);
        return v == null || v.isNull() ? null : Fields.string(a, field, MAX_TEXT_LENGTH);
    }
}
