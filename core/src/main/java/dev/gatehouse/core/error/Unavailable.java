package dev.gatehouse.core.error;

/**
 * A request needs a component that is not available now (the database, the cluster's bus, a
 * gateway node, this node's worker-id lease): answered 502 with {@code Retry-After}, never as
 * the client's fault and never half done.
 */
public final class Unavailable extends RuntimeException {

    /** How long a client should wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public Unavailable(String what) {
        super(what, null, false, false);
    }
}
