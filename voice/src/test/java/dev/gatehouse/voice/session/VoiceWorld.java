package dev.gatehouse.voice.session;

import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.voice.VoiceConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Voice states in a map, the rooms over them, and connections on a fake clock. */
final class VoiceWorld {

    static final long GUILD = 100;
    static final long CHANNEL = 200;
    static final long OTHER_CHANNEL = 201;
    static final VoiceConnection.UdpEndpoint UDP = new VoiceConnection.UdpEndpoint("127.0.0.1", 50_000);

    final Map<String, VoiceState> states = new HashMap<>();
    final VoiceConfig config = VoiceConfig.defaults().withResumeWindow(10_000).withReplayLimit(4);
    final VoiceRooms rooms = new VoiceRooms((g, u) -> states.get(g + "/" + u), new SplittableRandom(7), config);
    long now = 1_000;

    /** A member joined a channel through the main gateway (op 4). */
    VoiceState join(long user, long channel) {
        VoiceState state = new VoiceState(GUILD, channel, user, "session-" + user, "token-" + user, false, false, false,
                false, true, false, null);
        put(state);
        return state;
    }

    void put(VoiceState state) {
        VoiceState before = states.put(state.guildId() + "/" + state.userId(), state);
        rooms.stateChanged(before, state);
    }

    void remove(long user) {
        VoiceState before = states.remove(GUILD + "/" + user);
        rooms.stateChanged(before, null);
    }

    Conn connect(int version) {
        RecordingVoiceIO io = new RecordingVoiceIO();
        VoiceConnection c = new VoiceConnection(version, config, rooms, io, UDP, new SplittableRandom(11), now);
        c.open();
        return new Conn(c, io);
    }

    /** Joined and identified, in v8. */
    Conn identified(long user) {
        VoiceState state = states.containsKey(GUILD + "/" + user) ? states.get(GUILD + "/" + user) : join(user, CHANNEL);
        Conn c = connect(8);
        c.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(GUILD, user, state.sessionId(), state.token(), 0).data());
        return c;
    }

    final class Conn {
        final VoiceConnection connection;
        final RecordingVoiceIO io;

        Conn(VoiceConnection connection, RecordingVoiceIO io) {
            this.connection = connection;
            this.io = io;
        }

        void send(VoiceOpcode op, com.fasterxml.jackson.databind.JsonNode d) {
            raw(new VoiceFrame(op, d).toJson());
        }

        void raw(String text) {
            connection.receiveText(text.getBytes(StandardCharsets.UTF_8), now);
        }
    }
}
