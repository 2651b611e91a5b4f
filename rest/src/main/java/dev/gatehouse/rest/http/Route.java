package dev.gatehouse.rest.http;

/**
 * One route: method, template ({@code /channels/{channel.id}/messages}), handler, whether it needs
 * a token, and its rate limit: {@code limit} requests per {@code windowMillis} per bucket, where a
 * bucket is the route's {@code bucket} name plus its major parameter (channel, guild or webhook).
 */
public record Route(String method, String template, Handler handler, boolean authenticated, String bucket, int limit, long windowMillis) {

    /** The path parameter that splits buckets, as Discord's major parameters do; null if none. */
    public String majorParameter() {
        for (String major : new String[] {"channel.id", "guild.id", "webhook.id"}) {
            if (template.contains("{" + major + "}")) {
                return major;
            }
        }
        return null;
    }
}
