package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.Platform;
import java.util.Map;

/**
 * A guild as a GUILD_CREATE shows it to one member, read together with the version of the
 * guild's stream it stands at, so a session can follow the guild from exactly there.
 */
public final class GuildSnapshots {

    /** {@code guild} is null when the user is no member (any more). */
    record Snapshot(Map<String, Object> guild, long version) {}

    private final Platform platform;

    public GuildSnapshots(Platform platform) {
        this.platform = platform;
    }

    Snapshot read(long guildId, long userId, int largeThreshold) {
        return platform.context().store().read(tx -> {
            // the version first: inside the guild's section no writer of this node can commit, but
            // another process can between two reads; one committed there is then in the snapshot and
            // also sent after it (shown twice), never missing from both
            long version = tx.events().version(guildId);
            Map<String, Object> guild = tx.members().find(guildId, userId).isPresent()
                    ? platform.guilds().fullGuild(tx, guildId, userId, largeThreshold) : null;
            return new Snapshot(guild, version);
        });
    }
}
