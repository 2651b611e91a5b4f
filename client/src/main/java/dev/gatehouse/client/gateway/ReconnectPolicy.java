package dev.gatehouse.client.gateway;

import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.CloseCode.ClientAction;

/**
 * What a client does after its connection ends (docs/PROTOCOL.md §6), as data: which close codes
 * resume, which identify anew, which stop, and how long to wait first. The codes' meanings come
 * from the shared {@link CloseCode} table; this adds the waiting.
 *
 * <p>Waits are jittered so that a node's clients do not all come back in the same millisecond.
 * Consecutive failures double the wait, up to {@code maxBackoffMillis}; after
 * {@code resumeAttempts} failed resumes in a row the client gives the session up and identifies.
 *
 * @param resume wait before a resume (resumable codes, dropped connections, op 7)
 * @param identify wait before identifying after the session ended (non-resumable codes)
 * @param rateLimited wait after 4008: at least 60 s
 * @param invalidSession wait after op 9, either way (Discord asks for 1-5 s)
 */
public record ReconnectPolicy(Range resume, Range identify, Range rateLimited, Range invalidSession, long maxBackoffMillis,
        int resumeAttempts) {

    /** A wait between {@code minMillis} and {@code maxMillis}, picked uniformly. */
    public record Range(long minMillis, long maxMillis) {
        public Range {
            if (minMillis < 0 || maxMillis < minMillis) {
                throw new IllegalArgumentException("bad range " + minMillis + ".." + maxMillis);
            }
        }

        long pick(double random) {
            return minMillis + (long) ((maxMillis - minMillis) * random);
        }
    }

    /** What to do, and after how long. */
    public record Plan(Kind kind, long delayMillis) {}

    public enum Kind {
        /** Reconnect and resume the session (identify when there is none). */
        RESUME,
        /** Forget the session; reconnect and identify. */
        IDENTIFY,
        /** Do not reconnect: the token, shard, intents or URL must change first. */
        STOP
    }

    public ReconnectPolicy {
        if (resumeAttempts < 1 || maxBackoffMillis < 0) {
            throw new IllegalArgumentException("resumeAttempts must be at least 1 and maxBackoffMillis non-negative");
        }
    }

    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(new Range(0, 1_000), new Range(1_000, 5_000), new Range(60_000, 65_000),
                new Range(1_000, 5_000), 60_000, 5);
    }

    /**
     * The plan after the connection closed with {@code code} (1006 when it dropped without a close
     * frame), given how many reconnections in a row have failed and whether a session is held.
     */
    public Plan afterClose(Dialect dialect, int code, int failures, boolean hasSession, double random) {
        ClientAction action = CloseCode.clientActionFor(dialect, code);
        return switch (action) {
            case STOP -> new Plan(Kind.STOP, 0);
            case IDENTIFY_AFTER_WAIT -> new Plan(Kind.IDENTIFY, rateLimited.pick(random));
            case IDENTIFY -> new Plan(Kind.IDENTIFY, backoff(identify, failures, random));
            case RESUME -> hasSession && failures < resumeAttempts
                    ? new Plan(Kind.RESUME, backoff(resume, failures, random))
                    : new Plan(Kind.IDENTIFY, backoff(identify, failures, random));
        };
    }

    /** Op 7: the server asks for a reconnect; the session stays. */
    public Plan afterReconnectRequest(double random) {
        return new Plan(Kind.RESUME, resume.pick(random));
    }

    /** Op 9: {@code resumable} true keeps the session, false ends it. */
    public Plan afterInvalidSession(boolean resumable, double random) {
        return new Plan(resumable ? Kind.RESUME : Kind.IDENTIFY, invalidSession.pick(random));
    }

    /**
     * A connection that stopped acknowledging heartbeats, sent no Hello or sent garbage: drop it and
     * resume, unless resumes have kept failing.
     */
    public Plan afterZombie(int failures, double random) {
        return failures < resumeAttempts ? new Plan(Kind.RESUME, backoff(resume, failures, random))
                : new Plan(Kind.IDENTIFY, backoff(identify, failures, random));
    }

    private long backoff(Range base, int failures, double random) {
        long picked = base.pick(random);
        if (failures <= 0) {
            return picked;
        }
        long floor = Math.max(base.maxMillis(), 1_000);
        long grown = floor << Math.min(failures - 1, 16);
        return Math.min(maxBackoffMillis, Math.max(picked, (long) (grown * (0.5 + random / 2))));
    }
}
