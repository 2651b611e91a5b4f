package dev.gatehouse.gateway.hub;

import dev.gatehouse.gateway.session.GatewaySession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Coalesces socket flushes on one event loop: sessions written by fan-out tasks are flushed by one
 * task queued behind them, so a burst of events queued on the loop costs each socket one write
 * system call instead of one per event. Confined to its loop: every method runs on it.
 */
final class LoopFlusher {

    private final Executor loop;
    private final List<GatewaySession> written = new ArrayList<>();
    private boolean scheduled;

    LoopFlusher(Executor loop) {
        this.loop = loop;
    }

    void written(GatewaySession session) {
        written.add(session);
        if (!scheduled) {
            scheduled = true;
            loop.execute(this::flush);
        }
    }

    private void flush() {
        scheduled = false;
        // a session written twice is flushed twice; the second flush finds nothing to send
        for (GatewaySession s : written) {
            s.flush();
        }
        written.clear();
    }
}
