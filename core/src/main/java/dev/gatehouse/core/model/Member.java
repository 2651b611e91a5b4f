package dev.gatehouse.core.model;

import java.util.Set;

/** A user's membership of a guild; {@code roles} never contains the implicit {@code @everyone}. */
public record Member(long guildId, long userId, String nick, long joinedAt, Set<Long> roles) {}
