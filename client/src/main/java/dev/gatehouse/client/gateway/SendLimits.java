package dev.gatehouse.client.gateway;

/**
 * The server's send limits the client paces itself under (docs/PROTOCOL.md §5): on one connection
 * at most {@code connection.count} frames per {@code connection.window}, of which
 * {@code reserved} are kept for heartbeats, identify and resume; and per opcode op 3 (presence),
 * op 4 (voice state) and op 8 (member requests). Every window is counted {@code marginMs} longer
 * than the server's, so a frame delayed on the way still lands in the window the client meant.
 */
public record SendLimits(Limit connection, int reserved, Limit presence, Limit voiceState, Limit memberRequests,
        long marginMs) {

    /** {@code count} frames per {@code windowMs}. */
    public record Limit(int count, long windowMs) {
        public Limit {
            if (count < 1 || windowMs < 1) {
                throw new IllegalArgumentException("a limit needs a positive count and window: " + count + "/" + windowMs + " ms");
            }
        }
    }

    public SendLimits {
        if (reserved < 1 || reserved >= connection.count()) {
            throw new IllegalArgumentException("reserved must leave room for both sides: " + reserved + " of " + connection.count());
        }
        if (marginMs < 0) {
            throw new IllegalArgumentException("marginMs must not be negative: " + marginMs);
        }
    }

    /**
     * Discord's and Fluxer's documented limits: 120 per 60 s (10 kept for heartbeats at their
     * fastest, identify and resume), presence 5 per 20 s, voice states 10 per second, member
     * requests 3 per 10 s; a one-second margin.
     */
    public static SendLimits defaults() {
        return new SendLimits(new Limit(120, 60_000), 10, new Limit(5, 20_000), new Limit(10, 1_000), new Limit(3, 10_000),
                1_000);
    }

    /** The same limits with another connection window (a server configured differently). */
    public SendLimits withConnection(Limit limit, int reservedFrames) {
        return new SendLimits(limit, reservedFrames, presence, voiceState, memberRequests, marginMs);
    }

    public SendLimits withMemberRequests(Limit limit) {
        return new SendLimits(connection, reserved, presence, voiceState, limit, marginMs);
    }
}
