package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class ReactionService {

    private final Platform.Context ctx;

    public ReactionService(Platform.Context ctx) {
        this.ctx = ctx;
    }
}
