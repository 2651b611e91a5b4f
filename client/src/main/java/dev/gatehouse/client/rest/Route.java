package dev.gatehouse.client.rest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's rate-limit identity, as Discord defines it: the method and the path with ids
 * replaced, except the major parameter (the channel, guild or webhook id), which splits a route's
 * limit per resource. {@code POST /channels/1/messages} and {@code POST /channels/2/messages}
 * share a route but not a limit.
 */
public record Route(String key, String major) {

    private static final Pattern ID = Pattern.compile("/(\\d{5,20})");

    public static Route of(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        StringBuilder key = new StringBuilder(method).append(' ');
        String major = "";
        Matcher m = ID.matcher(bare);
        int last = 0;
        while (m.find()) {
            String before = bare.substring(last, m.start());
            key.append(before);
            boolean isMajor = major.isEmpty() && (before.endsWith("/channels") || before.endsWith("/guilds")
                    || before.endsWith("/webhooks"));
            if (isMajor) {
                major = m.group(1);
                key.append("/{major}");
            } else {
                key.append("/{id}");
            }
            last = m.end();
        }
        key.append(bare.substring(last));
        return new Route(key.toString(), major);
    }

    /** The queue and fallback bucket of this request: route and resource. */
    String queueKey() {
        return key + " " + major;
    }
}
