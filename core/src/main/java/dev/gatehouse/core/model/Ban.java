package dev.gatehouse.core.model;

public record Ban(long guildId, long userId, String reason) {}
