package dev.gatehouse.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway sessions a draining node left for the node their clients resume on, in a NATS key-value
 * bucket: each kept until its resume window would have closed (the bucket's TTL), and taken by
 * one node only (a delete that names the revision it read), so two resumes of one session cannot
 * both get it.
 */
public final class SessionStore {

    private static final Logger log = LoggerFactory.getLogger(SessionStore.class);

    /** The bucket, and how long a session waits there for its client. */
    public record Settings(String bucket, Duration ttl) {
        public static Settings of(Duration resumeWindow) {
            return new Settings("gatehouse_sessions", resumeWindow);
        }
    }

    /** What a key may be: session ids are hex. */
    private static final String KEY = "[A-Za-z0-9_-]{1,128}";

    private final Buckets.Bucket bucket;
    /** Key-value calls at once: a drain's or a resume storm's thousands wait their turn instead of overflowing the connection's queue. */
    private final Semaphore calls = new Semaphore(64, true);

    public SessionStore(Connection nats, Settings settings) throws IOException, JetStreamApiException, InterruptedException {
        this.bucket = Buckets.open(nats, settings.bucket(), settings.ttl());
    }

    /** Keeps a session's state; false when NATS refuses it (too large, unreachable). */
    public boolean put(String sessionId, byte[] state) {
        try {
            calls.acquire();
            try {
                bucket.kv().put(sessionId, state);
            } finally {
                calls.release();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.atWarn().addKeyValue("session", sessionId).addKeyValue("bytes", state.length).setCause(e)
                    .log("could not hand a session over");
            return false;
        }
    }

    /** Takes a session's state, so no other node gets it; empty when there is none or another node took it first. */
    public Optional<byte[]> take(String sessionId) {
        if (!sessionId.matches(KEY)) {
            return Optional.empty(); // a client's made-up id: no session by that name
        }
        String key = sessionId;
        try {
            calls.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            KeyValueEntry entry = bucket.kv().get(key);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
                return Optional.empty();
            }
            try {
                bucket.kv().delete(key, entry.getRevision());
            } catch (JetStreamApiException e) {
                if (Buckets.conflict(e)) {
                    return Optional.empty(); // another node took it between our read and our delete
                }
                throw e;
            }
            return Optional.of(entry.getValue());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.atWarn().addKeyValue("session", sessionId).setCause(e).log("could not read handed-over sessions");
            return Optional.empty();
        } finally {
            calls.release();
        }
    }
}
