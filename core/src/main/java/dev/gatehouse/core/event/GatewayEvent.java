package dev.gatehouse.core.event;

import dev.gatehouse.protocol.DispatchType;
import java.util.Set;

/**
 * One dispatch the platform publishes, addressed so a gateway node can pick the sessions that may
 * see it without asking the database:
 *
 * <ul>
 *   <li>{@code guildId} set: the guild's members, narrowed to those who may view {@code channelId}
 *       when that is set;
 *   <li>{@code userIds} set: exactly those users (DMs, USER_UPDATE, GUILD_CREATE on join,
 *       GUILD_DELETE on leave), whatever {@code guildId} says;
 *   <li>{@code data}: the payload record, serialised once by whoever fans it out.
 * </ul>
 */
public record GatewayEvent(DispatchType type, Long guildId, Long channelId, Set<Long> userIds, Object data) {

    public GatewayEvent {
        userIds = userIds == null ? Set.of() : Set.copyOf(userIds);
    }

    public static GatewayEvent guild(DispatchType type, long guildId, Object data) {
        return new GatewayEvent(type, guildId, null, Set.of(), data);
    }

    public static GatewayEvent channel(DispatchType type, long guildId, long channelId, Object data) {
        return new GatewayEvent(type, guildId, channelId, Set.of(), data);
    }

    public static GatewayEvent users(DispatchType type, Set<Long> userIds, Object data) {
        return new GatewayEvent(type, null, null, userIds, data);
    }

    public boolean isDirected() {
        return !userIds.isEmpty();
    }
}
