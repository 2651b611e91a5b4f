package dev.gatehouse.core.view;

/** The body of GUILD_ROLE_CREATE and GUILD_ROLE_UPDATE: {@code {guild_id, role}}. */
public record GuildRoleEvent(long guildId, RoleView role) {}
