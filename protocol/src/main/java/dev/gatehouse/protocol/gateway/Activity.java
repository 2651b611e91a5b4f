package dev.gatehouse.protocol.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.gatehouse.protocol.LongAsNumber;
import java.util.ArrayList;
import java.util.List;

/**
 * One activity of a presence, with the fields others see: {@code name, type, url?, created_at?,
 * timestamps?, application_id?, details?, state?, party?, assets?, instance?, flags?, buttons?}.
 * Rich Presence fills the fields after {@code url}. Buttons are seen by others as their labels only
 * (Discord keeps the URLs back), so only labels are kept; secrets are never kept. Written by the
 * project's JSON mapper, absent fields left out; times are milliseconds since the epoch, written as
 * numbers.
 *
 * @param type 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing, 6 hang status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Activity(
        String name,
        int type,
        String url,
        @JsonSerialize(using = LongAsNumber.class) Long createdAt,
        Timestamps timestamps,
        Long applicationId,
        String details,
        String state,
        Party party,
        Assets assets,
        Boolean instance,
        Integer flags,
        List<String> buttons) {

    public static final int MAX_TYPE = 6;
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_TEXT_LENGTH = 512;
    public static final int MAX_BUTTONS = 2;
    public static final int MAX_BUTTON_LABEL = 32;
    /** Later than any time in milliseconds a client means, and below 2^53. */
    public static final long MAX_TIME = 1L << 50;

    /** {@code start}/{@code end}, milliseconds since the epoch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timestamps(@JsonSerialize(using = LongAsNumber.class) Long start, @JsonSerialize(using = LongAsNumber.class) Long end) {}

    /** Images by key or URL, and their hover texts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Assets(String largeImage, String largeText, String smallImage, String smallText) {}

    /** A party: its id and {@code [current, max]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Party(String id, List<Integer> size) {}

    /** The simple activity of a bot or an old client: name, type, state and stream URL only. */
    public Activity(String name, int type, String state, String url) {
        this(name, type, url, null, null, null, null, state, null, null, null, null, null);
    }

    public static Activity playing(String name) {
        return new Activity(name, 0, null, null);
    }

    /** The same activity, as {@code applicationId}'s, named after it and created at {@code createdAt}. */
    public Activity forApplication(long id, String appName, long createdAtMillis) {
        return new Activity(appName, type, url, createdAtMillis, timestamps, id, details, state, party, assets, instance, flags, buttons);
    }

    public static Activity parse(JsonNode a) throws ProtocolViolation {
        Fields.object(a, "activity");
        return new Activity(
                Fields.string(a, "name", MAX_NAME_LENGTH),
                (int) Fields.integer(a, "type", 0, MAX_TYPE, 0),
                optionalText(a, "url"),
                time(a, "created_at"),
                timestamps(a.get("timestamps")),
                a.hasNonNull("application_id") ? Fields.snowflake(a.get("application_id"), "application_id") : null,
                optionalText(a, "details"),
                optionalText(a, "state"),
                party(a.get("party")),
                assets(a.get("assets")),
                a.hasNonNull("instance") ? Fields.bool(a, "instance", false) : null,
                a.hasNonNull("flags") ? (int) Fields.integer(a, "flags", 0, Integer.MAX_VALUE, 0) : null,
                buttons(a.get("buttons")));
    }

    private static String optionalText(JsonNode a, String field) throws ProtocolViolation {
        JsonNode v = a.get(field);
        return v == null || v.isNull() ? null : Fields.string(a, field, MAX_TEXT_LENGTH);
    }

    /** Milliseconds since the epoch: a number, or a string of digits as some clients write longs. */
    private static Long time(JsonNode a, String field) throws ProtocolViolation {
        JsonNode v = a.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && !v.textValue().isEmpty() && v.textValue().length() <= 16 && v.textValue().chars().allMatch(Character::isDigit)) {
            long t = Long.parseLong(v.textValue());
            if (t <= MAX_TIME) {
                return t;
            }
        }
        return Fields.integer(a, field, 0, MAX_TIME, 0);
    }

    private static Timestamps timestamps(JsonNode t) throws ProtocolViolation {
        if (t == null || t.isNull()) {
            return null;
        }
        Fields.object(t, "timestamps");
        return new Timestamps(time(t, "start"), time(t, "end"));
    }

    private static Assets assets(JsonNode t) throws ProtocolViolation {
        if (t == null || t.isNull()) {
            return null;
        }
        Fields.object(t, "assets");
        return new Assets(optionalText(t, "large_image"), optionalText(t, "large_text"), optionalText(t, "small_image"),
                optionalText(t, "small_text"));
    }

    private static Party party(JsonNode p) throws ProtocolViolation {
        if (p == null || p.isNull()) {
            return null;
        }
        Fields.object(p, "party");
        String id = p.hasNonNull("id") ? Fields.string(p, "id", 128) : null;
        List<Integer> size = null;
        JsonNode s = p.get("size");
        if (s != null && !s.isNull()) {
            if (!s.isArray() || s.size() != 2 || !s.get(0).canConvertToInt() || !s.get(1).canConvertToInt()
                    || s.get(0).intValue() < 0 || s.get(1).intValue() < s.get(0).intValue()) {
                throw Fields.decode("party.size must be [current, max] with 0 <= current <= max");
            }
            size = List.of(s.get(0).intValue(), s.get(1).intValue());
        }
        return new Party(id, size);
    }

    /** Labels, or {@code {label, url}} objects as Rich Presence clients send them; others see labels. */
    private static List<String> buttons(JsonNode b) throws ProtocolViolation {
        if (b == null || b.isNull()) {
            return null;
        }
        if (!b.isArray() || b.size() > MAX_BUTTONS) {
            throw Fields.decode("buttons must be an array of at most " + MAX_BUTTONS);
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode button : b) {
            String label = button.isTextual() ? button.textValue()
                    : button.isObject() ? Fields.string(button, "label", MAX_BUTTON_LABEL) : null;
            if (label == null || label.isEmpty() || label.length() > MAX_BUTTON_LABEL) {
                throw Fields.decode("a button must be a label of 1 to " + MAX_BUTTON_LABEL + " characters");
            }
            labels.add(label);
        }
        return List.copyOf(labels);
    }
}
