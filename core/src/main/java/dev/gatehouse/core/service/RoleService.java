package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class RoleService {

    private final Platform.Context ctx;

    public RoleService(Platform.Context ctx) {
        this.ctx = ctx;
    }
}
