package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class MemberService {

    private final Platform.Context ctx;
    private final GuildService guilds;

    public MemberService(Platform.Context ctx, GuildService guilds) {
        this.ctx = ctx;
        this.guilds = guilds;
    }
}
