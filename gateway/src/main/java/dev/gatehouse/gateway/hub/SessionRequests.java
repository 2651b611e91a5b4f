package dev.gatehouse.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Platform;
import dev.gatehouse.core.service.VoiceService;
import dev.gatehouse.gateway.fanout.Intents;
import dev.gatehouse.gateway.lazy.LazyLists;
import dev.gatehouse.gateway.lazy.LazyRequest;
import dev.gatehouse.gateway.members.GuildMembersChunker;
import dev.gatehouse.gateway.presence.Presences;
import dev.gatehouse.gateway.session.ConnectionIO;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.ServerFrames;
import dev.gatehouse.gateway.session.SessionIdentity;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.RequestGuildMembers;
import dev.gatehouse.protocol.gateway.VoiceStateUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session requests a client sends once it is READY (op 3, 4, 8, 14), after the connection's
 * rate limits let them through. Payloads are checked on the event loop (a bad one closes 4002
 * there); anything that needs the store runs on a virtual thread.
 */
public final class SessionRequests {

    private static final Logger log = LoggerFactory.getLogger(SessionRequests.class);

    private final Platform platform;
    private final ExecutorService blocking;
    private final Presences presences;
    private final GuildMembersChunker chunker;
    private final LazyLists lazy;
    private final SessionRegistry registry;
    private final LongSupplier clock;

    public SessionRequests(Platform platform, ExecutorService blocking, Presences presences, LazyLists lazy,
            SessionRegistry registry, LongSupplier clock) {
        this.platform = platform;
        this.registry = registry;
        this.clock = clock;
        this.blocking = blocking;
        this.presences = presences;
        this.chunker = new GuildMembersChunker(platform.context().store(), presences.registry());
        this.lazy = lazy;
    }

    public void handle(GatewaySession session, ConnectionIO connection, Opcode op, JsonNode d) throws ProtocolViolation {
        switch (op) {
            case PRESENCE_UPDATE -> presences.updated(session, PresenceUpdate.parse(d));
            case VOICE_STATE_UPDATE -> voiceState(session, connection, VoiceStateUpdate.parse(d));
            case REQUEST_GUILD_MEMBERS -> members(session, connection, RequestGuildMembers.parse(d));
            case LAZY_REQUEST -> {
                LazyRequest request = LazyRequest.parse(d);
                Subscriber sub = registry.subscriber(session.id());
                if (sub != null) {
                    lazy.request(sub, connection, request);
                }
            }
            default -> throw new IllegalArgumentException("op " + op + " is not a session request");
        }
    }

    /**
     * Op 8. Everyone needs GUILD_MEMBERS and presences need GUILD_PRESENCES in the discord dialect;
     * without them the answer is one empty chunk (with the nonce), so a library waiting for the
     * nonce is not left hanging. A guild the user is not in gets no chunk (op 12 for fluxer).
     */
    private void members(GatewaySession session, ConnectionIO connection, RequestGuildMembers req) {
        SessionIdentity id = session.identity();
        Subscriber sub = registry.subscriber(session.id());
        if (sub == null) {
            return; // the session ended
        }
        blocking.execute(() -> {
            try {
                boolean member = platform.context().store().read(tx -> tx.members().find(req.guildId(), id.userId())).isPresent();
                if (!member) {
                    gatewayError(session, connection, "UNKNOWN_GUILD", "Unknown guild " + req.guildId());
                    return;
                }
                boolean discord = id.dialect() == Dialect.DISCORD;
                if (discord && req.wantsEveryone() && (id.intents() & Intents.GUILD_MEMBERS) == 0) {
                    sub.send("GUILD_MEMBERS_CHUNK", Json.bytes(GuildMembersChunker.empty(req)), clock);
                    return;
                }
                // a session that loses the guild (kick, ban, leave: its GUILD_DELETE) gets no more chunks of it
                boolean followed = sub.follows(req.guildId());
                BooleanSupplier stillMember = () -> !followed || sub.follows(req.guildId());
                boolean withPresences = req.presences() && (!discord || (id.intents() & Intents.GUILD_PRESENCES) != 0);
                chunker.answer(req, withPresences, stillMember,
                        chunk -> sub.sendIf(stillMember, "GUILD_MEMBERS_CHUNK", Json.bytes(chunk), clock));
            } catch (RuntimeException e) {
                log.error("member request failed", e);
            }
        });
    }

    /** Op 4: the platform keeps the state and tells the guild; the asking session learns where to connect. */
    private void voiceState(GatewaySession session, ConnectionIO connection, VoiceStateUpdate req) {
        long userId = session.identity().userId();
        blocking.execute(() -> {
            try {
                VoiceService.Outcome outcome = platform.voice().update(userId, session.id(), req.guildId(), req.channelId(),
                        req.selfMute(), req.selfDeaf());
                if (outcome instanceof VoiceService.Outcome.Refused refused) {
                    gatewayError(session, connection, "VOICE_STATE_INVALID", refused.reason());
                } else if (outcome instanceof VoiceService.Outcome.Joined joined && joined.connect()) {
                    // a move or a mute keeps the voice connection: no new server update, as on Discord
                    Map<String, Object> server = new LinkedHashMap<>();
                    server.put("token", joined.state().token());
                    server.put("guild_id", req.guildId());
                    // null while no voice server runs: Discord's "wait for another update"
                    server.put("endpoint", platform.voice().endpoint());
                    // behind the VOICE_STATE_UPDATE just published, on the session's home loop
                    Subscriber sub = registry.subscriber(session.id());
                    if (sub != null) {
                        sub.send("VOICE_SERVER_UPDATE", Json.bytes(server), clock);
                    }
                }
            } catch (RuntimeException e) {
                log.error("voice state update failed", e);
            }
        });
    }

    /**
     * Op 12 in the fluxer dialect; discord has no way to say it and ignores the request. Sending a
     * control frame is safe from any thread.
     */
    private static void gatewayError(GatewaySession session, ConnectionIO connection, String code, String message) {
        if (session.identity().dialect() == Dialect.FLUXER) {
            connection.send(ServerFrames.gatewayError(code, message));
        }
    }
}
