package dev.gatehouse.gateway.hub;

import dev.gatehouse.gateway.session.GatewaySession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A session as the hub sees it: the session, the event loop it was identified on (its home, where
 * every dispatch to it runs, for life) and the guilds of its shard it follows.
 */
public final class Subscriber {

    private final GatewaySession session;
    private final Executor home;
    private final Set<Long> guilds = ConcurrentHashMap.newKeySet();

    Subscriber(GatewaySession session, Executor home) {
        this.session = session;
        this.home = home;
    }

    public GatewaySession session() {
        return session;
    }

    public Executor home() {
        return home;
    }

    Set<Long> guilds() {
        return guilds;
    }
}
