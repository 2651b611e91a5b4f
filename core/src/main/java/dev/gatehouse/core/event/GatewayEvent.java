package dev.gatehouse.core.event;

import dev.gatehouse.protocol.DispatchType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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

    /**
     * Events that report no change to a guild's or user's state (typing, and presence, which the
     * gateway keeps per session): published on their own, not inside a change's section. Everything
     * else reports a change made in the key's section: committed to the store, or for voice states
     * made in the node's memory.
     */
    private static final Set<DispatchType> UNCOMMITTED = EnumSet.of(DispatchType.TYPING_START, DispatchType.PRESENCE_UPDATE);

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

    /** Whether the event reports a change to the key's state (and so must be published in that change's section). */
    public boolean reportsCommittedChange() {
        return !UNCOMMITTED.contains(type);
    }

    public boolean isDirected() {
        return !userIds.isEmpty();
    }

    /**
     * The guild the event is about. Guild events say so; GUILD_CREATE and GUILD_DELETE sent to the
     * users who joined or left carry it in their body instead.
     */
    public Long aboutGuild() {
        if (guildId != null) {
            return guildId;
        }
        if ((type == DispatchType.GUILD_CREATE || type == DispatchType.GUILD_DELETE)
                && data instanceof Map<?, ?> map && map.get("id") != null) {
            Object id = map.get("id");
            try {
                return id instanceof Number n ? n.longValue() : Long.parseLong(id.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The keys whose order the event belongs to ({@link EventOrder}): its guild, or for what is
     * addressed to users alone (DMs, USER_UPDATE) each of those users.
     */
    public List<Long> orderKeys() {
        Long guild = aboutGuild();
        return guild != null ? List.of(guild) : List.copyOf(userIds);
    }
}
