package dev.gatehouse.gateway.session;

/**
 * Why an identify that parsed cannot start a session, as the hub found out from the store and the
 * limits. {@link GatewayConnection#refuseIdentify} decides what each becomes on the wire.
 */
public enum IdentifyRefusal {
    /** The token is unknown or revoked: close 4004. */
    AUTHENTICATION_FAILED,
    /** discord: a privileged intent the application has not enabled: close 4014. */
    DISALLOWED_INTENTS,
    /** A bot with more guilds on the shard than one shard may have: close 4011. */
    SHARDING_REQUIRED,
    /** Over the identify concurrency or the day's session starts: op 9, identify again later. */
    OVER_LIMIT
}
