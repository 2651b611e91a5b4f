package dev.gatehouse.core.view;

/** The body of GUILD_ROLE_DELETE: {@code {guild_id, role_id}}. */
public record GuildRoleDeleteEvent(long guildId, long roleId) {}
