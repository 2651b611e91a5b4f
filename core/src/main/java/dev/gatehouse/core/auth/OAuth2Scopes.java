package dev.gatehouse.core.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OAuth2 scopes this server grants, as Discord names them, and what each allows here:
 *
 * <ul>
 *   <li>{@code identify}: {@code GET /users/@me} without the email; {@code email} adds it;
 *   <li>{@code guilds}: {@code GET /users/@me/guilds}; {@code guilds.members.read}: the person's
 *       member object in a guild;
 *   <li>{@code rpc}: the local RPC server's reads, selections and subscriptions;
 *       {@code messages.read}: message subscriptions there; {@code rpc.voice.read} and
 *       {@code rpc.voice.write}: its voice settings; {@code rpc.notifications.read}: its
 *       notifications; {@code rpc.activities.write}: Rich Presence (which the RPC server also
 *       allows without any token, as Discord's does);
 *   <li>{@code bot} and {@code applications.commands}: adding the application's bot to a guild.
 * </ul>
 */
public final class OAuth2Scopes {

    public static final String IDENTIFY = "identify";
    public static final String EMAIL = "email";
    public static final String GUILDS = "guilds";
    public static final String GUILDS_MEMBERS_READ = "guilds.members.read";
    public static final String RPC = "rpc";
    public static final String RPC_ACTIVITIES_WRITE = "rpc.activities.write";
    public static final String RPC_VOICE_READ = "rpc.voice.read";
    public static final String RPC_VOICE_WRITE = "rpc.voice.write";
    public static final String RPC_NOTIFICATIONS_READ = "rpc.notifications.read";
    public static final String MESSAGES_READ = "messages.read";
    public static final String BOT = "bot";
    public static final String APPLICATIONS_COMMANDS = "applications.commands";

    /** Scopes a person can grant an application. */
    public static final Set<String> KNOWN = Set.of(IDENTIFY, EMAIL, GUILDS, GUILDS_MEMBERS_READ, RPC, RPC_ACTIVITIES_WRITE,
            RPC_VOICE_READ, RPC_VOICE_WRITE, RPC_NOTIFICATIONS_READ, MESSAGES_READ, BOT, APPLICATIONS_COMMANDS);

    /** Scopes the client-credentials grant gives (a token for the application's owner), as on Discord. */
    public static final Set<String> CLIENT_CREDENTIALS = Set.of(IDENTIFY, EMAIL, GUILDS);

    /** Scopes that become a token; the rest ({@code bot}, {@code applications.commands}) act once. */
    public static final Set<String> TOKEN_SCOPES = Set.of(IDENTIFY, EMAIL, GUILDS, GUILDS_MEMBERS_READ, RPC, RPC_ACTIVITIES_WRITE,
            RPC_VOICE_READ, RPC_VOICE_WRITE, RPC_NOTIFICATIONS_READ, MESSAGES_READ);

    private OAuth2Scopes() {}

    /** Space-separated scopes ({@code +} too, as query strings write spaces), in the order given; at most 32. */
    public static Set<String> parse(String raw) {
        Set<String> scopes = new LinkedHashSet<>();
        if (raw != null) {
            for (String s : raw.trim().split("[ +]+")) {
                if (!s.isEmpty() && scopes.size() < 32) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }

    /** Whether the scope is one of the local RPC server's ({@code rpc}, {@code rpc.*}, {@code messages.read}). */
    public static boolean isLocalRpc(String scope) {
        return scope.equals(RPC) || scope.startsWith(RPC + ".") || scope.equals(MESSAGES_READ);
    }

    public static List<String> sorted(Set<String> scopes) {
        return List.copyOf(new TreeSet<>(scopes));
    }

    /** The scopes as OAuth2 writes them: space-separated, here sorted so the same set reads the same. */
    public static String join(Set<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }
}
