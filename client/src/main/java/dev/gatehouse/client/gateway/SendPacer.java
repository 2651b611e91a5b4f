package dev.gatehouse.client.gateway;

import dev.gatehouse.protocol.gateway.Opcode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps a client under the server's send limits ({@link SendLimits}), so that a busy application
 * is never closed 4008: by default at most 120 frames in any 60 s on one connection, of which the
 * application may use all but the reserved few, so heartbeats, identify and resume always find room
 * (as JDA reserves room for them); op 3 at 5 per 20 s, op 4 at 10 per second, op 8 at 3 per 10 s.
 *
 * <p>The windows slide: no window-long interval ever holds more than the limit, which keeps the
 * client under any fixed window a server counts in, wherever that window starts. That holds as long
 * as the reserved sends stay within their share, which heartbeats at the server's interval, identify
 * and resume do; heartbeats the server asks for with op 1 are answered at once all the same. Free
 * of I/O: time is an input, and what a frame's sender hears happens after the pacer's own state is
 * settled, so a callback may queue again.
 *
 * <p>Frames wait in one queue; a frame whose opcode is at its limit does not hold up frames of
 * other opcodes. Frames of one opcode go in the order they were queued, except that a presence
 * update replaces a presence update still waiting (the server keeps only the latest anyway).
 */
final class SendPacer {

    /** Frames the application may have waiting; beyond, a send is refused at once. */
    static final int MAX_QUEUED = 1_000;

    /**
     * A frame waiting to go, already serialised; {@code done} hears null once it is handed to the
     * connection, or why it never will be.
     */
    record Queued(int op, String frame, Consumer<String> done) {}

    private final SlidingWindow connection;
    /** Frames per connection window for the application; the rest is for heartbeats, identify and resume. */
    private final int applicationShare;
    private final Map<Integer, SlidingWindow> perOpcode;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();

    SendPacer(SendLimits limits) {
        long margin = limits.marginMs();
        connection = SlidingWindow.of(limits.connection(), margin);
        applicationShare = limits.connection().count() - limits.reserved();
        perOpcode = Map.of(
                Opcode.PRESENCE_UPDATE.code(), SlidingWindow.of(limits.presence(), margin),
                Opcode.VOICE_STATE_UPDATE.code(), SlidingWindow.of(limits.voiceState(), margin),
                Opcode.REQUEST_GUILD_MEMBERS.code(), SlidingWindow.of(limits.memberRequests(), margin));
    }

    /** Queues a frame; false when the queue is full (the frame is not taken). */
    boolean offer(Queued frame) {
        Queued superseded = null;
        if (frame.op() == Opcode.PRESENCE_UPDATE.code()) {
            for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
                Queued waiting = it.next();
                if (waiting.op() == frame.op()) {
                    it.remove();
                    superseded = waiting;
                    break;
                }
            }
        }
        if (queue.size() >= MAX_QUEUED) {
            return false;
        }
        queue.addLast(frame);
        if (superseded != null) {
            superseded.done().accept(SUPERSEDED);
        }
        return true;
    }

    /** Why a presence update was not sent: a newer one took its place before it could go. */
    static final String SUPERSEDED = "replaced by a newer presence update before it was sent";

    /** A heartbeat, identify or resume went out: it uses the connection's budget but never waits. */
    void sentReserved(long now) {
        connection.record(now);
    }

    /** Takes every queued frame that may go now, in order, counted as sent; the caller sends them. */
    List<Queued> release(long now) {
        List<Queued> out = new ArrayList<>();
        for (Iterator<Queued> it = queue.iterator(); it.hasNext() && connection.used(now) < applicationShare; ) {
            Queued frame = it.next();
            SlidingWindow own = perOpcode.get(frame.op());
            if (own != null && own.used(now) >= own.limit()) {
                continue;
            }
            it.remove();
            connection.record(now);
            if (own != null) {
                own.record(now);
            }
            out.add(frame);
        }
        return out;
    }

    /** Frames taken by {@link #release} that could not go after all: first again, in their order. */
    void putBack(List<Queued> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            queue.addFirst(frames.get(i));
        }
    }

    /** When {@link #release} may next send something; {@code Long.MAX_VALUE} when nothing waits. */
    long nextReleaseAt(long now) {
        if (queue.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (connection.used(now) >= applicationShare) {
            return connection.freeAt(applicationShare);
        }
        long next = Long.MAX_VALUE;
        for (Queued frame : queue) {
            SlidingWindow own = perOpcode.get(frame.op());
            if (own == null || own.used(now) < own.limit()) {
                return now;
            }
            next = Math.min(next, own.freeAt(own.limit()));
        }
        return next;
    }

    /** A new connection: the server counts afresh. */
    void newConnection() {
        connection.clear();
        perOpcode.values().forEach(SlidingWindow::clear);
    }

    /** Nothing queued will be sent: each sender hears {@code why}. */
    void dropAll(String why) {
        List<Queued> dropped = new ArrayList<>(queue);
        queue.clear();
        dropped.forEach(frame -> frame.done().accept(why));
    }

    /** The times of the last {@code limit} sends within the window, oldest first. */
    static final class SlidingWindow {

        private final long[] times;
        private final long windowMs;
        private int head;
        private int size;

        SlidingWindow(int limit, long windowMs) {
            this.times = new long[limit];
            this.windowMs = windowMs;
        }

        /** The margin is at most a tenth of the window, so short windows (op 4's second) keep their rate. */
        static SlidingWindow of(SendLimits.Limit limit, long marginMs) {
            return new SlidingWindow(limit.count(), limit.windowMs() + Math.min(marginMs, limit.windowMs() / 10));
        }

        int limit() {
            return times.length;
        }

        /** Sends within the window that ends now. */
        int used(long now) {
            while (size > 0 && now - times[head] >= windowMs) {
                head = (head + 1) % times.length;
                size--;
            }
            return size;
        }

        void record(long now) {
            if (size == times.length) { // a reserved send beyond the limit: the oldest stops mattering first
                head = (head + 1) % times.length;
                size--;
            }
            times[(head + size) % times.length] = now;
            size++;
        }

        /** When fewer than {@code cap} sends remain in the window (call after {@link #used} found it full). */
        long freeAt(int cap) {
            int oldestThatMustExpire = size - cap; // index from head of the send whose expiry frees a place
            return times[(head + Math.max(0, oldestThatMustExpire)) % times.length] + windowMs;
        }

        void clear() {
            head = 0;
            size = 0;
        }
    }
}
