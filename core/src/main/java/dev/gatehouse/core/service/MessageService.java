package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;

public final class MessageService {

    private final Platform.Context ctx;

    public MessageService(Platform.Context ctx) {
        this.ctx = ctx;
    }
}
