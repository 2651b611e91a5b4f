package dev.gatehouse.protocol.compress;

/**
 * Whether a codec context may still be used. A stream context that failed half-way through a
 * message has state the peer can no longer follow, so it refuses further use just like a closed
 * one, with a message saying which of the two happened. Not thread-safe, like the codecs it guards.
 */
final class ContextGuard {
    private final String name;
    private boolean closed;
    private boolean failed;

    ContextGuard(String name) {
        this.name = name;
    }

    void ensureUsable() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (failed) {
            throw new IllegalStateException(name + " failed earlier; its stream cannot continue");
        }
    }

    void markFailed() {
        failed = true;
    }

    /** Marks the context closed; true only the first time, so native memory is released once. */
    boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }
}
