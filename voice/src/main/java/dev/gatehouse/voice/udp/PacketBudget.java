package dev.gatehouse.voice.udp;

/**
 * A token bucket for one sender's packets: {@code perSecond} sustained, {@code burst} at once.
 * Used only on the relay's event loop.
 */
public final class PacketBudget {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    public PacketBudget(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one packet's token at {@code nanos}; false when the sender is over its rate. */
    public boolean tryTake(long nanos) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(burst, tokens + (nanos - last) * perNano);
        }
        last = nanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
