package dev.gatehouse.rest.http;

import java.util.Set;

/**
 * One route: method, template ({@code /channels/{channel.id}/messages}), handler, whether it needs
 * a token, whether it looks at one at all (OAuth2's token endpoints authenticate the client
 * instead, and ignore what libraries put in {@code Authorization}), the OAuth2 scopes that let a bearer token call it (any one of them; none: bearer tokens
 * may not), and its rate limit: {@code limit} requests per {@code windowMillis} per bucket, where a
 * bucket is the route's {@code bucket} name plus its major parameter (channel, guild or webhook).
 */
public record Route(String method, String template, Handler handler, boolean authenticated, boolean readsToken, Set<String> scopes,
        String bucket, int limit, long windowMillis) {

    /** In {@link #scopes}: any OAuth2 access token may call the route, whatever its scopes. */
    public static final String ANY_SCOPE = "*";

    public Route {
        scopes = Set.copyOf(scopes);
    }

    /** Whether a caller authenticated by an OAuth2 access token with these scopes may call the route. */
    public boolean admits(Set<String> granted) {
        if (scopes.contains(ANY_SCOPE)) {
            return true;
        }
        for (String s : scopes) {
            if (granted.contains(s)) {
                return true;
            }
        }
        return false;
    }

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
