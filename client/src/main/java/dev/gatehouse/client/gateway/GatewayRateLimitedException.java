package dev.gatehouse.client.gateway;

/**
 * The server refused a request for its rate limit (a RATE_LIMITED dispatch, discord dialect). The
 * client paces its sends so that this should not happen; it can when another program shares the
 * session's limits or the server's limits are stricter than the documented ones.
 */
public final class GatewayRateLimitedException extends RuntimeException {

    private final int opcode;
    private final double retryAfterSeconds;

    public GatewayRateLimitedException(int opcode, double retryAfterSeconds) {
        super("op " + opcode + " rate limited; retry after " + retryAfterSeconds + " s");
        this.opcode = opcode;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int opcode() {
        return opcode;
    }

    public double retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
