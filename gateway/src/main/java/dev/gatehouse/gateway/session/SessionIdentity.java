package dev.gatehouse.gateway.session;

import dev.gatehouse.protocol.Dialect;
import java.util.Set;

/**
 * Who a session is and what it asked to receive; fixed at Identify, so fan-out reads it from any
 * thread without locking.
 *
 * @param intents discord dialect: the intents bitmask; fluxer: every bit set (fluxer filters by name)
 * @param ignoredEvents fluxer: event names the client does not want
 * @param flags fluxer identify flags (0x2: reactions debounced into MESSAGE_REACTION_ADD_MANY)
 * @param shardId this session's shard
 * @param shardCount how many shards the bot runs (1 when unsharded)
 */
public record SessionIdentity(
        long userId,
        boolean bot,
        Dialect dialect,
        long intents,
        Set<String> ignoredEvents,
        int flags,
        int shardId,
        int shardCount,
        int largeThreshold) {

    public static final int FLAG_DEBOUNCE_REACTIONS = 0x2;

    public SessionIdentity {
        ignoredEvents = Set.copyOf(ignoredEvents);
    }

    /** Whether a guild belongs to this session's shard: {@code (guild_id >> 22) % num_shards}. */
    public boolean servesGuild(long guildId) {
        return (guildId >>> 22) % shardCount == shardId;
    }

    /** DMs and other guild-less dispatches go to shard 0 only. */
    public boolean servesDirect() {
        return shardId == 0;
    }

    public boolean debouncesReactions() {
        return dialect == Dialect.FLUXER && (flags & FLAG_DEBOUNCE_REACTIONS) != 0;
    }
}
