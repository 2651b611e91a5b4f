package dev.gatehouse.core.service;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the mentions written in message content, as Discord's markup has them: {@code <@id>} and
 * the legacy nickname form {@code <@!id>} for users, {@code <@&id>} for roles, and {@code @everyone}
 * or {@code @here}. Pure; whether a mention counts (it exists, allowed_mentions, permissions) is
 * decided by {@link AllowedMentions} and the service.
 */
public final class MentionParser {

    private static final Pattern USER = Pattern.compile("<@!?(\\d{1,20})>");
    private static final Pattern ROLE = Pattern.compile("<@&(\\d{1,20})>");
    private static final Pattern EVERYONE = Pattern.compile("@(everyone|here)");

    private MentionParser() {}

    /** What the content mentions, ids in order of first appearance and without repeats. */
    public record Parsed(Set<Long> users, Set<Long> roles, boolean everyone) {
        public Parsed {
            users = Collections.unmodifiableSet(new LinkedHashSet<>(users));
            roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        }
    }

    public static Parsed parse(String content) {
        if (content == null || content.isEmpty()) {
            return new Parsed(Set.of(), Set.of(), false);
        }
        return new Parsed(ids(USER, content), ids(ROLE, content), EVERYONE.matcher(content).find());
    }

    private static Set<Long> ids(Pattern pattern, String content) {
        Set<Long> ids = new LinkedHashSet<>();
        Matcher m = pattern.matcher(content);
        while (m.find()) {
            // 20 digits may overflow a long: such an id names nothing, so it mentions nothing
            try {
                ids.add(Long.parseLong(m.group(1)));
            } catch (NumberFormatException e) {
                // not a snowflake
            }
        }
        return ids;
    }
}
