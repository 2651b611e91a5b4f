package dev.gatehouse.core.event;

import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 *   <li>{@code data}: the payload: the record the service built, or, for an event read back from
 *       the event log, its JSON tree; serialised once by whoever fans it out ({@code body} when
 *       that was done already);
 *   <li>{@code position}: where the event stands in the event log, null for what is not logged
 *       (presence, typing).
 * </ul>
 */
public record GatewayEvent(DispatchType type, Long guildId, Long channelId, Set<Long> userIds, Object data,
        Position position, byte[] body) {

    /**
     * An event's place in the log ({@code docs/ARCHITECTURE.md}, "Events"): version {@code version}
     * of {@code stream} (a guild, or a user for what is addressed to users alone), and
     * {@code guildVersion}, the version of the guild it is about that it stands at (its own
     * version on a guild's stream; for a GUILD_CREATE on a joining user's stream, the guild's
     * version the snapshot in its body was taken at; 0 for events about no guild).
     */
    public record Position(long stream, long version, long guildVersion) {}

    /**
     * Events that report no change to a guild's or user's state (typing, and presence, which the
     * gateway keeps per session): published on their own, not inside a change's section, and not
     * logged. Everything else reports a change made in the key's section and is logged in the
     * change's transaction.
     */
    private static final Set<DispatchType> UNCOMMITTED = EnumSet.of(DispatchType.TYPING_START, DispatchType.PRESENCE_UPDATE);

    public GatewayEvent {
        userIds = userIds == null ? Set.of() : Set.copyOf(userIds);
    }

    public GatewayEvent(DispatchType type, Long guildId, Long channelId, Set<Long> userIds, Object data) {
        this(type, guildId, channelId, userIds, data, null, null);
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

    /** This event at {@code position} of the log, serialised as {@code body}. */
    public GatewayEvent logged(Position position, byte[] body) {
        return new GatewayEvent(type, guildId, channelId, userIds, data, position, body);
    }

    /** This event with another payload (not yet serialised). */
    public GatewayEvent withData(Object other) {
        return new GatewayEvent(type, guildId, channelId, userIds, other, position, null);
    }

    /** The copy of a users' event that goes on one user's stream: addressed to that user alone. */
    public GatewayEvent forUser(long userId) {
        return new GatewayEvent(type, guildId, channelId, Set.of(userId), data, position, body);
    }

    /** Whether the event reports a change to the key's state (and so is logged, and published in that change's section). */
    public boolean reportsCommittedChange() {
        return !UNCOMMITTED.contains(type);
    }

    public boolean isDirected() {
        return !userIds.isEmpty();
    }

    /**
     * A GUILD_CREATE to users who joined (or created) a guild: it travels on the users' streams,
     * since their nodes may follow nothing of the guild yet, at a version of the guild's stream.
     */
    public boolean isJoin() {
        return type == DispatchType.GUILD_CREATE && guildId == null && isDirected();
    }

    /**
     * The guild the event is about. Guild events say so; GUILD_CREATE and GUILD_DELETE sent to the
     * users who joined or left carry it in their body instead.
     */
    public Long aboutGuild() {
        if (guildId != null) {
            return guildId;
        }
        if ((type == DispatchType.GUILD_CREATE || type == DispatchType.GUILD_DELETE)) {
            return EventData.id(data);
        }
        return null;
    }

    /**
     * The streams of the log the event goes on: its guild's, or, for a join and for what is
     * addressed to users alone (DMs, USER_UPDATE), each of those users'.
     */
    public List<Long> streams() {
        Long guild = aboutGuild();
        return guild != null && !isJoin() ? List.of(guild) : List.copyOf(userIds);
    }

    /**
     * The keys whose order the event belongs to ({@link EventOrder}): its streams, and for a join
     * the guild's as well, since the user starts following the guild's order at that point.
     */
    public List<Long> orderKeys() {
        if (!isJoin()) {
            return streams();
        }
        List<Long> keys = new ArrayList<>(userIds);
        Long guild = aboutGuild();
        if (guild != null) {
            keys.add(guild);
        }
        return keys;
    }

    @Override
    public String toString() {
        return "GatewayEvent[" + type + (guildId != null ? " guild " + guildId : "") + (isDirected() ? " to " + userIds : "")
                + (position != null ? " at " + position.stream() + "/" + position.version() : "") + "]";
    }
}
