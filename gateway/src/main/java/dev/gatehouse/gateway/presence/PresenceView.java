package dev.gatehouse.gateway.presence;

import dev.gatehouse.gateway.hub.Coalescable;
import dev.gatehouse.protocol.gateway.Activity;
import java.util.List;
import java.util.Map;

/**
 * A PRESENCE_UPDATE body and the {@code presences} entries of GUILD_CREATE and member chunks:
 * {@code {user:{id}, guild_id, status, activities, client_status}}. Newer updates of the same
 * user in the same guild replace older ones still waiting in a fluxer session's buffer.
 */
public record PresenceView(Map<String, Object> user, Long guildId, String status, List<Activity> activities,
        Map<String, String> clientStatus) implements Coalescable {

    public static PresenceView of(long userId, Long guildId, String status, List<Activity> activities,
            String platform) {
        Map<String, String> clientStatus = status.equals("offline") ? Map.of() : Map.of(platform, status);
        return new PresenceView(Map.of("id", Long.toString(userId)), guildId, status, activities, clientStatus);
    }

    public long userId() {
        return Long.parseLong((String) user.get("id"));
    }

    public PresenceView inGuild(long id) {
        return new PresenceView(user, id, status, activities, clientStatus);
    }

    @Override
    public Object coalesceKey() {
        return user.get("id") + ":" + guildId;
    }
}
