package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class InviteService {

    private final Platform.Context ctx;
    private final MemberService members;

    public InviteService(Platform.Context ctx, MemberService members) {
        this.ctx = ctx;
        this.members = members;
    }
}
