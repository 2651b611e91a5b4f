package dev.gatehouse.gateway.hub;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.GatewayMetrics;
import dev.gatehouse.gateway.fanout.GuildAccess;
import dev.gatehouse.gateway.fanout.Intents;
import dev.gatehouse.gateway.presence.PresenceRegistry;
import dev.gatehouse.gateway.presence.Presences;
import dev.gatehouse.gateway.session.GatewayConnection;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.IdentifyRefusal;
import dev.gatehouse.gateway.session.SessionIdentity;
import dev.gatehouse.gateway.session.SessionSink;
import dev.gatehouse.gateway.session.SessionState;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.Ready;
import dev.gatehouse.protocol.gateway.Resume;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify and resume against the store (docs/PROTOCOL.md §4.3-4.4). The blocking part (token, limits,
 * guild loads) runs on a virtual thread; every change to the connection runs on its event loop, so
 * the connection is READY before the first dispatch of its session can be answered by the client.
 */
public final class SessionStarter {

    private static final Logger log = LoggerFactory.getLogger(SessionStarter.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Platform platform;
    private final GatewayConfig config;
    private final SessionRegistry registry;
    private final IdentifyLimiter identifyLimiter;
    private final LongSupplier clock;
    private final Supplier<String> resumeUrl;
    private final ExecutorService blocking;
    private final GatewayMetrics metrics;
    private final Presences presences;
    private final GuildAccess access;
    private final Consumer<GatewaySession> onEnd;
    private final GuildSnapshots snapshots;
    private final SessionHandoffs handoffs;
    private final SessionTakeover takeover;
    /** Identifies and resumes doing their store work at once: a few per pooled connection. */
    private final Semaphore starting = new Semaphore(64, true);

    /** @param onEnd runs when a session ends, with its lock held: must not block */
    public SessionStarter(Platform platform, GatewayConfig config, SessionRegistry registry, IdentifyLimiter identifyLimiter,
            LongSupplier clock, Supplier<String> resumeUrl, ExecutorService blocking, GatewayMetrics metrics,
            Presences presences, GuildAccess access, Consumer<GatewaySession> onEnd, SessionHandoffs handoffs,
            SessionTakeover takeover) {
        this.platform = platform;
        this.config = config;
        this.registry = registry;
        this.identifyLimiter = identifyLimiter;
        this.clock = clock;
        this.resumeUrl = resumeUrl;
        this.blocking = blocking;
        this.metrics = metrics;
        this.presences = presences;
        this.access = access;
        this.onEnd = onEnd;
        this.snapshots = new GuildSnapshots(platform);
        this.handoffs = handoffs;
        this.takeover = takeover;
    }

    public void identify(Identify identify, GatewayConnection connection, SessionSink sink, Executor loop,
            Runnable compressPayloads) {
        blocking.execute(() -> {
            try {
                admitted(() -> identifyBlocking(identify, connection, sink, loop, compressPayloads));
            } catch (RuntimeException e) {
                log.error("identify failed", e);
                loop.execute(() -> connection.reject(CloseCode.UNKNOWN_ERROR, "Internal error"));
            }
        });
    }

    private void identifyBlocking(Identify identify, GatewayConnection connection, SessionSink sink, Executor loop,
            Runnable compressPayloads) {
        Dialect dialect = connection.dialect();
        PresenceUpdate initialPresence = identify.presence() == null ? PresenceUpdate.ONLINE : identify.presence();
        Principal principal = authenticate(identify.token());
        if (principal == null) {
            refuse(loop, connection, IdentifyRefusal.AUTHENTICATION_FAILED, "Authentication failed");
            return;
        }
        User user = principal.user();
        Application application = user.bot()
                ? platform.context().store().read(tx -> tx.applications().find(user.id())).orElse(null)
                : null;
        if (dialect == Dialect.DISCORD) {
            long allowed = application != null ? Intents.allowedPrivileged(application.flags()) : Intents.PRIVILEGED;
            long disallowed = identify.intents() & Intents.PRIVILEGED & ~allowed;
            if (disallowed != 0) {
                refuse(loop, connection, IdentifyRefusal.DISALLOWED_INTENTS,
                        "Disallowed intent(s): enable them for the application first (" + disallowed + ")");
                return;
            }
        }
        SessionIdentity id = new SessionIdentity(user.id(), user.bot(), dialect,
                dialect == Dialect.DISCORD ? identify.intents() : -1L, identify.ignoredEvents(), identify.flags(),
                identify.shardId(), identify.shardCount(), identify.largeThreshold());
        int perShard = platform.context().limits().guildsPerShard();
        int onShard = user.bot() ? guildsOfShard(id).size() : 0;
        if (onShard > perShard) {
            refuse(loop, connection, IdentifyRefusal.SHARDING_REQUIRED, "Sharding required: " + onShard
                    + " guilds on this shard, at most " + perShard);
            return;
        }
        long now = clock.getAsLong();
        if (config.identifyLimits()
                && (!identifyLimiter.tryAcquire(user.id(), identify.shardId(), now) || !platform.sessionStarts().tryStart(user.id()))) {
            refuse(loop, connection, IdentifyRefusal.OVER_LIMIT, "Over the identify limits");
            return;
        }
        String sessionId = handoffs.sessionIdPrefix() + newSessionId();
        GatewaySession session = new GatewaySession(sessionId, id, config, sink, now);
        followUser(user.id());
        Subscriber subscriber = onLoop(loop, () -> {
            if (connection.state() != GatewayConnection.State.IDENTIFYING) {
                return null;
            }
            // from here on, a guild the user joins reaches this session (queued behind READY)
            Subscriber s = registry.add(session, loop);
            session.onEnd(onEnd);
            // before READY: the client may send op 3 as soon as it has READY
            presences.started(session, initialPresence, PresenceRegistry.platformOf(identify.os(), identify.browser()));
            if (identify.compress()) {
                compressPayloads.run();
            }
            connection.identified(session, clock.getAsLong());
            return s;
        });
        if (subscriber == null) {
            return;
        }
        // read after the session could see joins: a guild joined meanwhile is in this list, or its
        // GUILD_CREATE reaches the session from the join itself, or both (then once: see follow)
        List<Long> guilds = guildsOfShard(id);
        // every guild is followed before READY goes out, so whatever happens in a guild once the
        // client has READY reaches it; the GUILD_CREATEs wait in the starting queue behind READY
        for (long guildId : guilds) {
            platform.context().bus().order().reading(guildId, () -> {
                joinGuild(subscriber, guildId, identify.largeThreshold());
                return null;
            });
        }
        session.dispatchNow("READY", ready(user, application, sessionId, guilds, identify, dialect).toBytes());
        metrics.identify("ready");
        session.goLive(clock.getAsLong());
    }

    /**
     * Makes sure this node follows the user's stream (DMs, joins, profile changes) before the
     * session is registered, so what is addressed to the user from then on reaches it.
     */
    private void followUser(long userId) {
        if (!platform.context().bus().streams().follows(userId)) {
            platform.context().bus().order().reading(userId, () -> platform.context().bus().streams().follow(userId,
                    platform.context().store().read(tx -> tx.events().version(userId))));
        }
    }

    private List<Long> guildsOfShard(SessionIdentity id) {
        return platform.context().store().read(tx -> tx.members().guildIdsOf(id.userId())).stream()
                .filter(id::servesGuild).toList();
    }

    /**
     * Joins a guild's event order for a session that READY will list it to, inside the guild's read
     * section: the GUILD_CREATE is the state at a version of the guild's stream, and every event
     * after that version reaches the session (those up to it this node had still to deliver are
     * skipped for it). A guild the user left since the list was read gets its GUILD_DELETE
     * instead; one the session already follows (joined meanwhile) gets nothing more.
     */
    private void joinGuild(Subscriber subscriber, long guildId, int largeThreshold) {
        GatewaySession session = subscriber.session();
        if (session.isEnded() || subscriber.follows(guildId)) {
            return;
        }
        long userId = session.identity().userId();
        GuildSnapshots.Snapshot snapshot = snapshots.read(guildId, userId, largeThreshold);
        Map<String, Object> guild = snapshot.guild();
        long now = clock.getAsLong();
        if (guild == null) {
            Map<String, Object> gone = new LinkedHashMap<>();
            gone.put("id", guildId);
            session.dispatch("GUILD_DELETE", Json.bytes(gone), null, now);
            return;
        }
        long delivered = platform.context().bus().streams().follow(guildId, snapshot.version());
        access.warm(guildId);
        if (registry.follow(subscriber, guildId)) {
            if (snapshot.version() > delivered) {
                subscriber.skipThrough(guildId, snapshot.version());
            }
            guild.put("presences", presences.of(guildId, memberIds(guild)));
            session.dispatch("GUILD_CREATE", Json.bytes(guild), null, now);
        }
    }

    private static List<Long> memberIds(Map<String, Object> guild) {
        List<Long> ids = new ArrayList<>();
        if (guild.get("members") instanceof List<?> members) {
            for (Object m : members) {
                if (m instanceof MemberView view) {
                    ids.add(view.user().id());
                }
            }
        }
        return ids;
    }

    private Ready ready(User user, Application application, String sessionId, List<Long> guilds, Identify identify,
            Dialect dialect) {
        return Ready.of(dialect, Json.mapper().valueToTree(UserView.self(user)), guilds, sessionId, resumeUrl.get(),
                identify.shardId(), identify.shardCount(),
                application == null ? null : new Ready.PartialApplication(application.id(), application.flags()));
    }

    public void resume(Resume resume, GatewayConnection connection, Executor loop) {
        blocking.execute(() -> {
            try {
                admitted(() -> resumeBlocking(resume, connection, loop));
            } catch (RuntimeException e) {
                log.error("resume failed", e);
                loop.execute(() -> connection.reject(CloseCode.UNKNOWN_ERROR, "Internal error"));
            }
        });
    }

    private void resumeBlocking(Resume resume, GatewayConnection connection, Executor loop) {
        Principal principal = authenticate(resume.token());
        if (principal == null) {
            metrics.resume("auth_failed");
            loop.execute(() -> connection.refuseResume("Authentication failed"));
            return;
        }
        GatewaySession session = registry.find(resume.sessionId());
        if (session == null) {
            session = takeOver(resume.sessionId(), principal.userId(), loop);
        }
        if (session != null && session.identity().userId() != principal.userId()) {
            metrics.resume("auth_failed");
            loop.execute(() -> connection.refuseResume("Authentication failed: not your session"));
            return;
        }
        GatewaySession found = session;
        loop.execute(() -> {
            long now = clock.getAsLong();
            long detachedSince = found == null ? -1 : found.detachedSince();
            // the connection decides what the outcome is on the wire, per dialect
            GatewaySession.ResumeOutcome outcome = connection.resumeWith(found, now);
            if (outcome == null) {
                return;
            }
            metrics.resume(outcome == GatewaySession.ResumeOutcome.UNKNOWN ? "unknown_session"
                    : outcome.name().toLowerCase(java.util.Locale.ROOT));
            if (outcome == GatewaySession.ResumeOutcome.RESUMED && detachedSince >= 0) {
                metrics.resumedAfter(now - detachedSince);
            }
        });
    }

    /**
     * A session of another node's (left there by a drain, or live on its owner, which gives it up):
     * taken and registered here, caught up with what this node delivered since. Null when there is
     * none, and when it is not this user's (a drained one is put back for its owner).
     */
    private GatewaySession takeOver(String sessionId, long userId, Executor loop) {
        Optional<byte[]> stored = handoffs.take(sessionId, userId);
        if (stored.isEmpty()) {
            return null;
        }
        SessionState state;
        try {
            state = SessionState.fromJson(stored.get());
        } catch (IllegalArgumentException e) {
            log.warn("a handed-over session could not be read: {}", sessionId, e);
            return null;
        }
        if (state.identity().userId() != userId) {
            handoffs.put(sessionId, stored.get());
            return null;
        }
        GatewaySession session = takeover.restore(state, loop, clock.getAsLong());
        metrics.takenOver();
        return session;
    }

    /**
     * Runs an identify's or a resume's store work once one of a bounded number of places is free:
     * a storm of them (every client of a drained node resuming here at once) then waits its turn
     * in order instead of crowding the connection pool until its waits time out.
     */
    private void admitted(Runnable work) {
        try {
            starting.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            work.run();
        } finally {
            starting.release();
        }
    }

    /** Libraries send the bare token; some send it as they would over HTTP, with "Bot ". */
    private Principal authenticate(String token) {
        String bare = token.startsWith("Bot ") ? token.substring(4) : token;
        return platform.tokens().authenticate(bare).orElse(null);
    }

    /** An identify the store or the limits refuse; the connection decides what that is on the wire. */
    private void refuse(Executor loop, GatewayConnection connection, IdentifyRefusal refusal, String reason) {
        metrics.identify(refusal.closeCode() == null ? "invalid_session" : Integer.toString(refusal.closeCode().code()));
        loop.execute(() -> connection.refuseIdentify(refusal, reason));
    }

    /** Runs on the event loop and waits for the answer (we are on a virtual thread); null when interrupted. */
    private static <T> T onLoop(Executor loop, Supplier<T> action) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(action, loop);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String newSessionId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
