package dev.gatehouse.core.auth;

import dev.gatehouse.core.model.User;

/** Who a request or a gateway session acts as, once its token checked out. */
public record Principal(User user) {
    public long userId() {
        return user.id();
    }

    public boolean isBot() {
        return user.bot();
    }
}
