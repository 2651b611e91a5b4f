package dev.gatehouse.core.limit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared counters that fall back to this node's own while the shared store cannot be reached: a
 * limit then holds per node for a while instead of failing every request that it guards. Each
 * call tries the shared store first, so the counts are shared again as soon as it answers.
 */
public final class FallbackWindowCounters implements WindowCounters {

    private static final Logger log = LoggerFactory.getLogger(FallbackWindowCounters.class);

    private final WindowCounters shared;
    private final WindowCounters local;
    private final AtomicBoolean fallingBack = new AtomicBoolean();

    public FallbackWindowCounters(WindowCounters shared, WindowCounters local) {
        this.shared = shared;
        this.local = local;
    }

    @Override
    public Window hit(String key, long windowMillis, long now) {
        try {
            Window w = shared.hit(key, windowMillis, now);
            recovered();
            return w;
        } catch (RuntimeException e) {
            failed(e);
            return local.hit(key, windowMillis, now);
        }
    }

    @Override
    public Window peek(String key, long now) {
        try {
            Window w = shared.peek(key, now);
            recovered();
            return w;
        } catch (RuntimeException e) {
            failed(e);
            return local.peek(key, now);
        }
    }

    @Override
    public void forget(String key) {
        local.forget(key);
        try {
            shared.forget(key);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Whether the last call had to use this node's counters. */
    public boolean fallingBack() {
        return fallingBack.get();
    }

    private void failed(RuntimeException e) {
        if (fallingBack.compareAndSet(false, true)) {
            log.atWarn().setCause(e).log("shared limit counters unreachable: counting on this node until they answer");
        }
    }

    private void recovered() {
        if (fallingBack.compareAndSet(true, false)) {
            log.info("shared limit counters answer again");
        }
    }

    @Override
    public void close() {
        shared.close();
        local.close();
    }
}
