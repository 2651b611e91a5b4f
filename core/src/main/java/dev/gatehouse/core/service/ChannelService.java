package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class ChannelService {

    private final Platform.Context ctx;

    public ChannelService(Platform.Context ctx) {
        this.ctx = ctx;
    }
}
