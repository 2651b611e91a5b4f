package dev.gatehouse.gateway.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dispatches a session sent and the client has not acknowledged, oldest first, kept so a
 * resume can replay exactly what the client missed. Bodies are shared with every other session
 * that received the same event, so an entry costs the session little more than its reference.
 * Not thread-safe: {@link GatewaySession} guards it.
 */
final class ReplayBuffer {

    record Entry(long seq, String type, byte[] body) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    /** Seq of the first dispatch the buffer can still replay; everything before it is gone. */
    private long firstReplayable = 1;

    void append(long seq, String type, byte[] body) {
        entries.addLast(new Entry(seq, type, body));
        bytes += body.length;
    }

    /** Forgets every entry with {@code seq <= through}: the client has them. */
    void release(long through) {
        while (!entries.isEmpty() && entries.peekFirst().seq() <= through) {
            drop();
        }
        firstReplayable = Math.max(firstReplayable, through + 1);
    }

    /** Forgets the oldest entry (discord dialect under backpressure). */
    void dropOldest() {
        if (!entries.isEmpty()) {
            Entry e = drop();
            firstReplayable = e.seq() + 1;
        }
    }

    private Entry drop() {
        Entry e = entries.removeFirst();
        bytes -= e.body().length;
        return e;
    }

    /** Whether every dispatch after {@code seq} is still here (or there is none). */
    boolean canReplayAfter(long seq) {
        return seq + 1 >= firstReplayable;
    }

    void forEachAfter(long seq, Consumer<Entry> action) {
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.seq() > seq) {
                action.accept(e);
            }
        }
    }

    int size() {
        return entries.size();
    }

    long firstReplayable() {
        return firstReplayable;
    }

    /** A copy of what is held, oldest first. */
    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Fills an empty buffer with what another node's held (a session that moved here). */
    void restore(long first, List<Entry> held) {
        entries.clear();
        bytes = 0;
        held.forEach(e -> append(e.seq(), e.type(), e.body()));
        firstReplayable = first;
    }

    long bytes() {
        return bytes;
    }
}
