package dev.gatehouse.core.model;

/** A guild invite; {@code maxAge} seconds (0 = never expires) and {@code maxUses} (0 = unlimited). */
public record Invite(
        String code,
        long guildId,
        long channelId,
        Long inviterId,
        int maxAge,
        int maxUses,
        int uses,
        boolean temporary,
        long createdAt) {

    public boolean expiredAt(long nowMillis) {
        return (maxAge > 0 && nowMillis >= createdAt + maxAge * 1000L) || (maxUses > 0 && uses >= maxUses);
    }
}
