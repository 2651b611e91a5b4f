package dev.gatehouse.core.event;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The streams of the event log a node follows, each with the version delivered so far and the
 * events that came early. A cursor is only touched inside its stream's section
 * ({@link EventOrder}): created in a read or a write section (a read excludes every writer, so
 * two readers creating one agree), advanced and dropped in the write section.
 */
public final class StreamCursors {

    static final class Cursor {
        /** How many delivered events a cursor keeps for sessions that join the stream late. */
        static final int RECENT = 256;

        long delivered;
        /** Events past {@code delivered + 1} that came before it, by version. */
        final TreeMap<Long, GatewayEvent> early = new TreeMap<>();
        /** The last events delivered, oldest first: what a session taken over from another node catches up on. */
        final ArrayDeque<GatewayEvent> recent = new ArrayDeque<>();
        /** Whether a delivery of this stream is under way on the thread that holds its section. */
        boolean draining;
        final long createdNanos = System.nanoTime();

        Cursor(long delivered) {
            this.delivered = delivered;
        }

        void remember(GatewayEvent e) {
            recent.addLast(e);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    /** Hears a stream start and stop being followed (a cluster bus subscribes to it), inside its section. */
    public interface Listener {
        void followed(long stream);

        void dropped(long stream);
    }

    private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Starts following {@code stream} from {@code version} (its events after it will be delivered)
     * unless it is followed already; returns the version delivered so far, which is then at most
     * the log's. Call inside the stream's section.
     */
    public long follow(long stream, long version) {
        Cursor c = cursors.get(stream);
        if (c != null) {
            return c.delivered;
        }
        boolean[] made = {false};
        c = cursors.computeIfAbsent(stream, s -> {
            made[0] = true;
            return new Cursor(version);
        });
        if (made[0]) {
            listeners.forEach(l -> l.followed(stream));
        }
        return c.delivered;
    }

    /** The version delivered so far, or -1 when the stream is not followed. Call inside the stream's section. */
    public long delivered(long stream) {
        Cursor c = cursors.get(stream);
        return c == null ? -1 : c.delivered;
    }

    public boolean follows(long stream) {
        return cursors.containsKey(stream);
    }

    /**
     * The stream's delivered events in ({@code after}, {@code through}], when this node still
     * holds all of them; null when it does not (read them from the log then). Inside the
     * stream's section.
     */
    public List<GatewayEvent> recent(long stream, long after, long through) {
        Cursor c = cursors.get(stream);
        if (c == null || c.recent.isEmpty() || c.recent.peekFirst().position().version() > after + 1) {
            return after >= through ? List.of() : null;
        }
        List<GatewayEvent> out = new ArrayList<>();
        for (GatewayEvent e : c.recent) {
            long v = e.position().version();
            if (v > after && v <= through) {
                out.add(e);
            }
        }
        return out;
    }

    /** The streams followed now. */
    public Set<Long> followed() {
        return Set.copyOf(cursors.keySet());
    }

    public int size() {
        return cursors.size();
    }

    Cursor cursor(long stream) {
        return cursors.get(stream);
    }

    /**
     * Whether the stream has been followed for at least {@code grace}: one followed just now may
     * be about to get its session (identify follows the user's stream before it registers the
     * session), so it is not dropped yet.
     */
    boolean followedFor(long stream, Duration grace) {
        Cursor c = cursors.get(stream);
        return c != null && System.nanoTime() - c.createdNanos >= grace.toNanos();
    }

    /** Stops following; call inside the stream's write section. */
    void drop(long stream) {
        if (cursors.remove(stream) != null) {
            listeners.forEach(l -> l.dropped(stream));
        }
    }
}
