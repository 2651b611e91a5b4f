package dev.gatehouse.core.service;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;

/**
 * A user acting in a channel: the channel, its guild context (null for DMs) and the user's
 * permissions there. Unknown channel: 10003; a channel the user cannot see: 50001.
 */
public record ChannelContext(Channel channel, GuildContext guild, long permissions) {

    public static ChannelContext load(Tx tx, long channelId, long userId) {
        Channel channel = tx.channels().find(channelId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_CHANNEL));
        if (channel.isDm()) {
            if (!channel.recipientIds().contains(userId)) {
                throw new ApiException(ErrorCode.MISSING_ACCESS);
            }
            return new ChannelContext(channel, null, Permission.DM);
        }
        GuildContext guild = GuildContext.load(tx, channel.guildId(), userId);
        long permissions = guild.permissionsIn(channel);
        if (!Permission.VIEW_CHANNEL.in(permissions)) {
            throw new ApiException(ErrorCode.MISSING_ACCESS);
        }
        return new ChannelContext(channel, guild, permissions);
    }

    public boolean has(Permission... needed) {
        long bits = Permission.of(needed);
        return (permissions & bits) == bits;
    }

    /** 50013 unless the user has every one of the permissions in this channel. */
    public ChannelContext require(Permission... needed) {
        if (!has(needed)) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
        return this;
    }

    public Long guildId() {
        return channel.guildId();
    }

    public boolean isDm() {
        return channel.isDm();
    }
}
