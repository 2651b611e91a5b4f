package dev.gatehouse.gateway.hub;

import java.util.Optional;

/**
 * Where a draining node leaves its sessions for whichever node their clients resume on
 * (docs/ARCHITECTURE.md, "Cluster"): a cluster's key-value store. Values are
 * {@link dev.gatehouse.gateway.session.SessionState} JSON.
 */
public interface SessionHandoffs {

    /** Keeps a session's state; false when it cannot (too large, the store unreachable): that session is lost. */
    boolean put(String sessionId, byte[] state);

    /** Takes a session's state so that one node only gets it; empty when there is none (or another node took it). */
    Optional<byte[]> take(String sessionId);

    /** A node on its own: sessions live and die with it. */
    SessionHandoffs NONE = new SessionHandoffs() {
        @Override
        public boolean put(String sessionId, byte[] state) {
            return false;
        }

        @Override
        public Optional<byte[]> take(String sessionId) {
            return Optional.empty();
        }
    };
}
