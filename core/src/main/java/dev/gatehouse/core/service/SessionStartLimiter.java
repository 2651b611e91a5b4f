package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import java.time.Duration;

/**
 * The daily gateway session-start budget of a user or bot ({@code session_start_limit} of
 * {@code GET /gateway/bot}). Starts are recorded in the store, so the budget survives restarts
 * and is shared by every gateway node.
 */
public final class SessionStartLimiter {

    static final long WINDOW = Duration.ofDays(1).toMillis();

    private final Platform.Context ctx;

    public SessionStartLimiter(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** What {@code session_start_limit} reports; {@code resetAfter} in milliseconds. */
    public record Budget(int total, int remaining, long resetAfter, int maxConcurrency) {}

    public Budget budget(long userId) {
        long now = ctx.clock().millis();
        long since = now - WINDOW;
        return ctx.store().read(tx -> {
            int used = tx.sessionStarts().countSince(userId, since);
            long oldest = tx.sessionStarts().oldestSince(userId, since);
            long resetAfter = used == 0 ? WINDOW : Math.max(0, oldest + WINDOW - now);
            int total = ctx.limits().sessionStartsPerDay();
            return new Budget(total, Math.max(0, total - used), resetAfter, ctx.limits().maxConcurrency());
        });
    }

    /**
     * Takes one session start from the budget. False when none is left: the gateway answers the
     * Identify with op 9 {@code d:false}.
     */
    public boolean tryStart(long userId) {
        long now = ctx.clock().millis();
        return ctx.store().write(tx -> {
            // one start at a time per user, whichever node takes it: the count and the insert agree
            tx.users().lock(userId);
            if (tx.sessionStarts().countSince(userId, now - WINDOW) >= ctx.limits().sessionStartsPerDay()) {
                return false;
            }
            tx.sessionStarts().record(userId, now);
            return true;
        });
    }

    /** Forgets starts that left the window; run now and then. */
    public void prune() {
        long before = ctx.clock().millis() - WINDOW;
        ctx.store().write(tx -> {
            tx.sessionStarts().prune(before);
            return null;
        });
    }
}
