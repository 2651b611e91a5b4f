package dev.gatehouse.gateway.presence;

import dev.gatehouse.protocol.gateway.PresenceUpdate;

/**
 * The presence one session set (its Identify presence, or its last op 3) and the platform its
 * Identify named ({@code client_status} key): what a session takes along when it moves to another node.
 */
public record SessionPresence(PresenceUpdate update, String platform) {

    /** What a session that never said otherwise shows. */
    public static final SessionPresence DEFAULT = new SessionPresence(PresenceUpdate.ONLINE, "web");
}
