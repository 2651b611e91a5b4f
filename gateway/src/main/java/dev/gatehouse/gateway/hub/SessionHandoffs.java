package dev.gatehouse.gateway.hub;

import java.util.Optional;

/**
 * How sessions move between the nodes of a cluster (docs/ARCHITECTURE.md, "Cluster"): a draining
 * node leaves its sessions in a key-value store for whichever node their clients resume on, and a
 * node asks a session's live owner to give it up when the client resumes elsewhere. Values are
 * {@link dev.gatehouse.gateway.session.SessionState} JSON.
 */
public interface SessionHandoffs {

    /** Keeps a session's state; false when it cannot (too large, the store unreachable): that session is lost. */
    boolean put(String sessionId, byte[] state);

    /**
     * Takes a session's state so that one node only gets it: from the store, else from its live
     * owner, which gives it up if it is {@code userId}'s. Empty when there is none, it is not that
     * user's, or another node took it.
     */
    Optional<byte[]> take(String sessionId, long userId);

    /** What this node puts in front of its session ids, so other nodes know whom to ask for them. */
    default String sessionIdPrefix() {
        return "";
    }

    /** A node on its own: sessions live and die with it. */
    SessionHandoffs NONE = new SessionHandoffs() {
        @Override
        public boolean put(String sessionId, byte[] state) {
            return false;
        }

        @Override
        public Optional<byte[]> take(String sessionId, long userId) {
            return Optional.empty();
        }
    };
}
