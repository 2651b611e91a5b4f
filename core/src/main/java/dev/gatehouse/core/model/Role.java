package dev.gatehouse.core.model;

/** A guild role. Higher {@code position} ranks higher; {@code @everyone} is 0 and has the guild's id. */
public record Role(
        long id,
        long guildId,
        String name,
        int color,
        boolean hoist,
        int position,
        long permissions,
        boolean managed,
        boolean mentionable) {

    public boolean isEveryone() {
        return id == guildId;
    }
}
