package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.gateway.GatewayListener;
import java.util.BitSet;

/**
 * One load session's view: which measured messages it received (to count losses and duplicates
 * across resumes), their latency, and its reconnections. Messages are numbered by the coordinator:
 * {@code bench-<n>-at-<micros>}; anything else (the warm-up) is ignored. Runs on the session's loop.
 */
final class SessionTracker implements GatewayListener {

    private final LoadStats stats;
    private final BitSet seen = new BitSet();
    private final long startedAt = System.nanoTime();
    private boolean identifiedOnce;

    /** Made as its session starts: its identify latency runs from here. */
    SessionTracker(LoadStats stats) {
        this.stats = stats;
    }

    /** Forgets the warm-up. (Locks are uncontended: the session's loop and, rarely, the coordinator's commands.) */
    synchronized void reset() {
        seen.clear();
    }

    synchronized int distinct() {
        return seen.cardinality();
    }

    @Override
    public synchronized void onDispatch(String type, JsonNode data, long seq) {
        if (!type.equals("MESSAGE_CREATE")) {
            return;
        }
        String content = data.path("content").asText("");
        if (!content.startsWith("bench-")) {
            return;
        }
        int at = content.indexOf("-at-");
        int n = Integer.parseInt(content, 6, at, 10);
        long postedAt = Long.parseLong(content, at + 4, content.length(), 10);
        if (seen.get(n)) {
            stats.duplicates.increment();
            return;
        }
        seen.set(n);
        stats.delivered(LoadStats.nowMicros() - postedAt);
    }

    @Override
    public void onIdentified(long downtimeMillis) {
        if (identifiedOnce) {
            stats.reidentified.increment();
        } else {
            identifiedOnce = true;
            stats.identifiedAfter((System.nanoTime() - startedAt) / 1_000);
            stats.identified.increment();
        }
    }

    @Override
    public void onResumed(long downtimeMillis) {
        stats.resumed.increment();
    }

    @Override
    public void onClosed(int code, String reason, boolean byServer) {
        stats.closed(code);
    }

    @Override
    public void onStopped(int code, String reason) {
        stats.stopped.increment();
    }
}
