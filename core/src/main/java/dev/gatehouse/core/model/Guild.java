package dev.gatehouse.core.model;

/** A guild (server). Its {@code @everyone} role has the guild's id, as on Discord. */
public record Guild(
        long id,
        String name,
        String icon,
        String description,
        long ownerId,
        Long systemChannelId,
        Long afkChannelId,
        int afkTimeout,
        int verificationLevel,
        int defaultMessageNotifications,
        int explicitContentFilter,
        long createdAt) {

    public long everyoneRoleId() {
        return id;
    }
}
