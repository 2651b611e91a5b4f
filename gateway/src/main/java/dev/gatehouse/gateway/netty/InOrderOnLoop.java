package dev.gatehouse.gateway.netty;

import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs actions on one event loop in the order they were submitted, whichever thread submits them.
 * Netty alone does not: an action on the loop itself would run at once, ahead of actions other
 * threads queued a moment before. A session writes its dispatches in seq order from its home
 * loop, from virtual threads (identify, member chunks) and from the connection's loop (resume),
 * so without this seq 3 could reach the socket before seq 2. While nothing is queued, an action
 * submitted on the loop still runs at once (the common case costs nothing).
 */
final class InOrderOnLoop {

    private final EventLoop loop;
    private final AtomicInteger queued = new AtomicInteger();

    InOrderOnLoop(EventLoop loop) {
        this.loop = loop;
    }

    /** Callers must not submit concurrently with each other (the session's lock orders them). */
    void run(Runnable action) {
        if (loop.inEventLoop() && queued.get() == 0) {
            action.run();
            return;
        }
        queued.incrementAndGet();
        loop.execute(() -> {
            queued.decrementAndGet();
            action.run();
        });
    }
}
