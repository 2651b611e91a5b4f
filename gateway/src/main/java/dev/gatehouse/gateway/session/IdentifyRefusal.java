package dev.gatehouse.gateway.session;

import dev.gatehouse.protocol.gateway.CloseCode;

/**
 * Why an identify that parsed cannot start a session, as the hub found out from the store and the
 * limits, and what that is on the wire ({@link GatewayConnection#refuseIdentify}).
 */
public enum IdentifyRefusal {
    /** The token is unknown or revoked. */
    AUTHENTICATION_FAILED(CloseCode.AUTHENTICATION_FAILED),
    /** discord: a privileged intent the application has not enabled. */
    DISALLOWED_INTENTS(CloseCode.DISALLOWED_INTENTS),
    /** A bot with more guilds on the shard than one shard may have. */
    SHARDING_REQUIRED(CloseCode.SHARDING_REQUIRED),
    /** Over the identify concurrency or the day's session starts: op 9, identify again later. */
    OVER_LIMIT(null);

    private final CloseCode closeCode;

    IdentifyRefusal(CloseCode closeCode) {
        this.closeCode = closeCode;
    }

    /** The code the connection closes with, or null when the answer is op 9 and the connection stays. */
    public CloseCode closeCode() {
        return closeCode;
    }
}
