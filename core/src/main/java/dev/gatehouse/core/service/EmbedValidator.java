package dev.gatehouse.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.view.Timestamps;
import dev.gatehouse.protocol.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Validates a message's {@code embeds} against Discord's limits and rebuilds each embed from the
 * fields a bot may set, so what is stored (and echoed) is exactly what was checked: unknown keys,
 * {@code video} and {@code provider} (Discord ignores them from bots) are dropped, {@code type} is
 * always {@code rich}, timestamps are normalised.
 */
public final class EmbedValidator {

    public static final int MAX_EMBEDS = 10;
    /** Sum over all embeds of a message: title, description, field names and values, footer text, author name. */
    public static final int MAX_TOTAL_CHARS = 6000;

    private static final int URL_MAX = 2048;

    /** The embeds as JSON text, and whether any embed has something to show (else the message may be empty). */
    public record Embeds(String json, boolean visible) {
        public static final Embeds NONE = new Embeds("[]", false);
    }

    private EmbedValidator() {}

    /**
     * Reads {@code embeds} of the body; field errors go to the form. Null when the field is absent
     * (a PATCH that leaves embeds alone), {@link Embeds#NONE} for JSON null (a PATCH that clears them).
     */
    public static Embeds read(Form body) {
        if (!body.has("embeds")) {
            return null;
        }
        if (body.isNull("embeds")) {
            return Embeds.NONE;
        }
        List<Form> embeds = body.optObjects("embeds", MAX_EMBEDS);
        if (embeds == null) {
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int total = 0;
        boolean visible = false;
        for (Form embed : embeds) {
            Built built = embed(embed);
            out.add(built.node());
            total += built.chars();
            visible |= built.node().size() > 1; // more than its "type"
        }
        if (total > MAX_TOTAL_CHARS) {
            body.error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of " + MAX_TOTAL_CHARS);
        }
        return new Embeds(out.toString(), visible);
    }

    /** Whether stored embeds JSON has an embed with something to show. */
    public static boolean hasVisible(String json) {
        try {
            for (JsonNode embed : Json.mapper().readTree(json)) {
                if (embed.size() > 1) {
                    return true;
                }
            }
            return false;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored embeds are not JSON", e);
        }
    }

    private record Built(ObjectNode node, int chars) {}

    private static Built embed(Form e) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int chars = 0;
        node.put("type", "rich");
        String url = url(e, "url", false);
        putIfSet(node, "url", url);
        String title = e.optString("title", 0, 256);
        putIfSet(node, "title", title);
        chars += length(title);
        String description = e.optString("description", 0, 4096);
        putIfSet(node, "description", description);
        chars += length(description);
        String timestamp = timestamp(e);
        putIfSet(node, "timestamp", timestamp);
        Integer color = e.optInt("color", 0, 0xFFFFFF);
        if (color != null) {
            node.put("color", color);
        }
        Form footer = e.optObject("footer");
        if (footer != null) {
            ObjectNode f = node.putObject("footer");
            String text = footer.string("text", 1, 2048);
            putIfSet(f, "text", text);
            chars += length(text);
            putIfSet(f, "icon_url", url(footer, "icon_url", true));
        }
        for (String media : new String[] {"image", "thumbnail"}) {
            Form m = e.optObject(media);
            if (m != null) {
                String mediaUrl = url(m, "url", true);
                if (mediaUrl == null && (!m.has("url") || m.isNull("url"))) {
                    m.error("url", "BASE_TYPE_REQUIRED", "This field is required");
                }
                putIfSet(node.putObject(media), "url", mediaUrl);
            }
        }
        Form author = e.optObject("author");
        if (author != null) {
            ObjectNode a = node.putObject("author");
            String name = author.string("name", 1, 256);
            putIfSet(a, "name", name);
            chars += length(name);
            putIfSet(a, "url", url(author, "url", false));
            putIfSet(a, "icon_url", url(author, "icon_url", true));
        }
        List<Form> fields = e.optObjects("fields", 25);
        if (fields != null) {
            ArrayNode fs = node.putArray("fields");
            for (Form field : fields) {
                ObjectNode f = fs.addObject();
                String name = field.string("name", 1, 256);
                String value = field.string("value", 1, 1024);
                putIfSet(f, "name", name);
                putIfSet(f, "value", value);
                f.put("inline", field.bool("inline", false));
                chars += length(name) + length(value);
            }
        }
        return new Built(node, chars);
    }

    /**
     * An http(s) URL with a host; media may also be {@code attachment://name}, as Discord allows
     * for files uploaded with the message.
     */
    private static String url(Form form, String field, boolean media) {
        String raw = form.optString(field, 1, URL_MAX);
        if (raw == null) {
            return null;
        }
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
            boolean attachment = media && scheme.equals("attachment") && raw.length() > "attachment://".length();
            if (web || attachment) {
                return raw;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        form.error(field, "URL_TYPE_INVALID_URL", "Not a well formed URL.");
        return null;
    }

    /** ISO 8601, with an offset or (taken as UTC) without one. */
    private static String timestamp(Form form) {
        JsonNode raw = form.raw("timestamp");
        if (raw == null) {
            return null;
        }
        if (raw.isTextual()) {
            String s = raw.textValue();
            try {
                return Timestamps.iso(OffsetDateTime.parse(s).toInstant().toEpochMilli());
            } catch (DateTimeParseException offsetless) {
                try {
                    return Timestamps.iso(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli());
                } catch (DateTimeParseException e) {
                    // reported below
                }
            }
        }
        form.error("timestamp", "DATE_TYPE_PARSE", "Could not parse " + raw + ". Should be ISO8601.");
        return null;
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.codePointCount(0, s.length());
    }
}
