package dev.gatehouse.voice.udp;

/**
 * Refuses a sender's packet whose nonce counter was already used, or is too far behind the newest
 * to tell (the anti-replay window of RFC 4303 §3.4.3): a captured packet sent again authenticates
 * like the original, so authentication alone would forward it twice. 64 packets of reordering are
 * accepted, more than a second of Opus. Used after authentication, so forged packets cannot move
 * the window; only on the relay's event loop.
 *
 * <p>The counter is 32 bits and never wraps in practice (2^32 packets at 50 a second is 2.7 years).
 */
public final class ReplayWindow {

    private static final int WIDTH = 64;

    private long highest = -1;
    /** Bit {@code i} set: counter {@code highest - i} was seen. */
    private long seen;

    /** Whether {@code counter} is new; marks it as seen when it is. */
    public boolean accept(long counter) {
        if (highest < 0 || counter > highest) {
            long shift = highest < 0 ? WIDTH : counter - highest;
            seen = shift >= WIDTH ? 1 : (seen << shift) | 1;
            highest = counter;
            return true;
        }
        long back = highest - counter;
        if (back >= WIDTH || (seen & (1L << back)) != 0) {
            return false;
        }
        seen |= 1L << back;
        return true;
    }
}
