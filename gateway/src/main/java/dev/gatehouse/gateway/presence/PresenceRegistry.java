package dev.gatehouse.gateway.presence;

import dev.gatehouse.protocol.gateway.PresenceUpdate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Who is online on this node: each user's presence as their sessions set it. A user with several
 * sessions shows the presence set last by any of them; when the last session ends the user is
 * offline. Every change that others can see is returned so the caller publishes it.
 */
public final class PresenceRegistry {

    private record Entry(PresenceUpdate presence, String platform, long order) {}

    /**
     * One user's sessions here and the one that set the presence last, kept as sessions come and
     * go: the visible presence is read in constant time however many sessions the user has (a
     * load test's users have hundreds, and every GUILD_CREATE reads each member's).
     */
    private static final class UserSessions {
        final Map<String, Entry> sessions = new HashMap<>();
        Entry latest;

        void put(String sessionId, Entry e) {
            sessions.put(sessionId, e);
            latest = e; // entries are made with a fresh tick, so the newest is the latest
        }

        void remove(String sessionId) {
            Entry gone = sessions.remove(sessionId);
            if (gone != null && gone == latest) {
                latest = null;
                for (Entry e : sessions.values()) {
                    if (latest == null || e.order() > latest.order()) {
                        latest = e;
                    }
                }
            }
        }
    }

    private final Map<Long, UserSessions> users = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final Consumer<PresenceView> changes;

    public PresenceRegistry() {
        this(view -> { });
    }

    /**
     * @param changes told of every visible change inside the user's atomic step, so changes of one
     *     user reach it in the order they happened (a user is never left shown online after going
     *     offline because two threads published in the other order); must not block
     */
    public PresenceRegistry(Consumer<PresenceView> changes) {
        this.changes = changes;
    }

    /** A session started with its Identify presence (online when none); the change, if visible. */
    public Optional<PresenceView> sessionStarted(long userId, String sessionId, PresenceUpdate presence, String platform) {
        return change(userId, user -> user.put(sessionId, new Entry(presence, platform, tick())));
    }

    public Optional<PresenceView> update(long userId, String sessionId, PresenceUpdate presence) {
        return change(userId, user -> {
            Entry old = user.sessions.get(sessionId);
            if (old != null) {
                user.put(sessionId, new Entry(presence, old.platform(), tick()));
            }
        });
    }

    public Optional<PresenceView> sessionEnded(long userId, String sessionId) {
        return change(userId, user -> user.remove(sessionId));
    }

    /** What one session set (its Identify presence, or its last op 3) and its platform; empty when it has no presence here. */
    public Optional<SessionPresence> ofSession(long userId, String sessionId) {
        Entry[] found = new Entry[1];
        users.computeIfPresent(userId, (k, user) -> {
            found[0] = user.sessions.get(sessionId);
            return user;
        });
        return found[0] == null ? Optional.empty() : Optional.of(new SessionPresence(found[0].presence(), found[0].platform()));
    }

    /** The user's visible presence (guild id unset), or empty when offline. */
    public Optional<PresenceView> get(long userId) {
        PresenceView[] seen = new PresenceView[1];
        users.computeIfPresent(userId, (k, user) -> {
            seen[0] = view(userId, user.latest);
            return user;
        });
        return seen[0] == null || seen[0].status().equals("offline") ? Optional.empty() : Optional.of(seen[0]);
    }

    /** Applies a change atomically per user (the map's bin lock) and reports what others now see. */
    private Optional<PresenceView> change(long userId, Consumer<UserSessions> mutation) {
        PresenceView[] beforeAfter = new PresenceView[2];
        users.compute(userId, (k, existing) -> {
            UserSessions user = existing == null ? new UserSessions() : existing;
            beforeAfter[0] = view(userId, user.latest);
            mutation.accept(user);
            beforeAfter[1] = view(userId, user.latest);
            if (!beforeAfter[0].equals(beforeAfter[1])) {
                changes.accept(beforeAfter[1]);
            }
            return user.sessions.isEmpty() ? null : user;
        });
        return beforeAfter[0].equals(beforeAfter[1]) ? Optional.empty() : Optional.of(beforeAfter[1]);
    }

    private static PresenceView view(long userId, Entry latest) {
        if (latest == null) {
            return PresenceView.of(userId, null, "offline", List.of(), "web");
        }
        String status = latest.presence().visibleStatus();
        return PresenceView.of(userId, null, status, status.equals("offline") ? List.of() : latest.presence().activities(),
                latest.platform());
    }

    private long tick() {
        return clock.incrementAndGet();
    }

    /** The {@code client_status} key for Identify's properties: desktop, mobile or web. */
    public static String platformOf(String os, String browser) {
        String o = os == null ? "" : os.toLowerCase(Locale.ROOT);
        if (o.contains("android") || o.contains("ios")) {
            return "mobile";
        }
        String b = browser == null ? "" : browser.toLowerCase(Locale.ROOT);
        if (b.contains("chrome") || b.contains("firefox") || b.contains("safari") || b.contains("edge")) {
            return "web";
        }
        return "desktop";
    }
}
