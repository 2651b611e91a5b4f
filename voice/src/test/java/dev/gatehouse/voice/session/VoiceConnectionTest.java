package dev.gatehouse.voice.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.model.VoiceState;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.SelectProtocol;
import dev.gatehouse.protocol.voice.Speaking;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.protocol.voice.VoiceHeartbeat;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.protocol.voice.VoiceResume;
import dev.gatehouse.voice.session.VoiceWorld.Conn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class VoiceConnectionTest {

    private final VoiceWorld world = new VoiceWorld();

    private static SelectProtocol udp(String mode) {
        return new SelectProtocol("udp", "203.0.113.5", 40_000, mode);
    }

    @Test
    void helloComesFirstWithTheHeartbeatInterval() {
        Conn c = world.connect(8);
        assertThat(c.io.sent).hasSize(1);
        assertThat(c.io.sent.get(0).get("op").asInt()).isEqualTo(8);
        assertThat(c.io.sent.get(0).at("/d/heartbeat_interval").isIntegralNumber()).isTrue();
        assertThat(c.io.sent.get(0).at("/d/heartbeat_interval").asLong()).isEqualTo(13_750);
        assertThat(c.io.sent.get(0).has("seq")).isFalse();
    }

    @Test
    void identifyAnswersReadyWithTheSsrcTheRelayAndTheModesAesFirst() {
        Conn c = world.identified(1);
        JsonNode ready = c.io.ops(2).get(0);
        assertThat(ready.at("/d/ssrc").asLong()).isPositive().isEqualTo(c.connection.session().ssrc());
        assertThat(ready.at("/d/ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ready.at("/d/port").asInt()).isEqualTo(50_000);
        assertThat(StreamSupport.stream(ready.at("/d/modes").spliterator(), false).map(JsonNode::asText))
                .containsExactly("aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize");
        assertThat(c.connection.state()).isEqualTo(VoiceConnection.State.ATTACHED);
        assertThat(c.io.closed).isNull();
    }

    @Test
    void selectProtocolAnswersTheSessionDescriptionWithAKeyAndDaveVersionZero() {
        Conn c = world.identified(1);
        c.send(VoiceOpcode.SELECT_PROTOCOL, udp("aead_xchacha20_poly1305_rtpsize").data());
        JsonNode description = c.io.ops(4).get(0);
        assertThat(description.at("/d/mode").asText()).isEqualTo("aead_xchacha20_poly1305_rtpsize");
        assertThat(description.at("/d/secret_key")).hasSize(32);
        assertThat(description.at("/d/secret_key/0").isInt()).isTrue();
        assertThat(description.at("/d/dave_protocol_version").asInt()).isZero();
        assertThat(description.get("seq").asLong()).isEqualTo(1); // v8 numbers it
        assertThat(c.connection.session().cipher().mode().wireName()).isEqualTo("aead_xchacha20_poly1305_rtpsize");
    }

    @Test
    void heartbeatsOfBothStylesAreAcknowledgedWithTheirOwnPayload() {
        Conn v4 = world.connect(4);
        v4.send(VoiceOpcode.HEARTBEAT, VoiceHeartbeat.nonce(1_501_184_119_561L).d());
        assertThat(v4.io.last().get("op").asInt()).isEqualTo(6);
        assertThat(v4.io.last().get("d").asLong()).isEqualTo(1_501_184_119_561L);

        Conn v8 = world.identified(2);
        v8.raw("{\"op\":3,\"d\":{\"t\":1501184119561,\"seq_ack\":-1}}");
        assertThat(v8.io.last().get("op").asInt()).isEqualTo(6);
        assertThat(v8.io.last().get("d")).isEqualTo(Json.mapper().createObjectNode().put("t", 1501184119561L).put("seq_ack", -1));
        assertThat(v8.io.last().has("seq")).isFalse();
    }

    @Test
    void speakingIsRelayedToTheOthersWithTheSendersUserIdAndSsrc() {
        Conn alice = world.identified(1);
        Conn bob = world.identified(2);
        assertThat(alice.io.ops(11)).hasSize(1);
        assertThat(alice.io.ops(11).get(0).at("/d/user_ids/0").asText()).isEqualTo("2");
        assertThat(bob.io.ops(11).get(0).at("/d/user_ids/0").asText()).isEqualTo("1");

        // each learns the other's SSRC at once, silent, before any media can come
        assertThat(alice.io.ops(5)).singleElement().satisfies(m -> {
            assertThat(m.at("/d/user_id").asText()).isEqualTo("2");
            assertThat(m.at("/d/ssrc").asLong()).isEqualTo(bob.connection.session().ssrc());
            assertThat(m.at("/d/speaking").asInt()).isZero();
        });
        assertThat(bob.io.ops(5)).singleElement().satisfies(m -> assertThat(m.at("/d/user_id").asText()).isEqualTo("1"));

        bob.send(VoiceOpcode.SPEAKING, new Speaking(Speaking.MICROPHONE, 0, 12345, 0).data());
        JsonNode relayed = alice.io.ops(5).get(1);
        assertThat(relayed.at("/d/user_id").asText()).isEqualTo("2");
        assertThat(relayed.at("/d/ssrc").asLong()).isEqualTo(bob.connection.session().ssrc()); // not the client's claim
        assertThat(relayed.at("/d/speaking").asInt()).isEqualTo(1);
        assertThat(bob.io.ops(5)).hasSize(1); // not its own

        // a late joiner learns who is there and who speaks
        Conn carol = world.identified(3);
        assertThat(carol.io.ops(11).get(0).get("d").get("user_ids")).hasSize(2);
        assertThat(carol.io.ops(5)).extracting(m -> m.at("/d/user_id").asText() + ":" + m.at("/d/speaking").asInt())
                .containsExactly("1:0", "2:1");
    }

    @Test
    void aMemberWhoLeavesIsAnnouncedWithOpcode13() {
        Conn alice = world.identified(1);
        world.identified(2);
        world.remove(2);
        assertThat(alice.io.ops(13)).singleElement().satisfies(m -> assertThat(m.at("/d/user_id").asText()).isEqualTo("2"));
    }

    // ---- close codes --------------------------------------------------------------------------

    @Test
    void closeCode4001ForAnOpcodeAClientMayNotSendOrABinaryFrame() {
        Conn c = world.connect(8);
        c.raw("{\"op\":2,\"d\":{}}");
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.UNKNOWN_OPCODE);
        Conn d = world.connect(8);
        d.raw("{\"op\":99,\"d\":{}}");
        assertThat(d.io.closed).isEqualTo(VoiceCloseCode.UNKNOWN_OPCODE);
        Conn e = world.identified(1);
        e.connection.receiveBinary(new byte[] {26, 1, 2}, world.now);
        assertThat(e.io.closed).isEqualTo(VoiceCloseCode.UNKNOWN_OPCODE);
    }

    @Test
    void closeCode4002ForWhatDoesNotDecode() {
        for (String bad : List.of("not json", "[1]", "{\"d\":{}}", "{\"op\":\"0\"}", "{\"op\":0,\"d\":{\"server_id\":\"x\"}}",
                "{\"op\":3,\"d\":\"soon\"}", "{\"op\":0,\"d\":[]}")) {
            Conn c = world.connect(8);
            c.raw(bad);
            assertThat(c.io.closed).as(bad).isEqualTo(VoiceCloseCode.DECODE_FAILED);
        }
        Conn big = world.connect(8);
        big.connection.receiveText(("{\"op\":3,\"d\":" + "1".repeat(20_000) + "}").getBytes(StandardCharsets.UTF_8), world.now);
        assertThat(big.io.closed).isEqualTo(VoiceCloseCode.DECODE_FAILED);
    }

    @Test
    void closeCode4003BeforeIdentify() {
        Conn c = world.connect(8);
        c.send(VoiceOpcode.SELECT_PROTOCOL, udp("aead_aes256_gcm_rtpsize").data());
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.NOT_AUTHENTICATED);
        Conn d = world.connect(8);
        d.send(VoiceOpcode.SPEAKING, new Speaking(1, 0, 1, 0).data());
        assertThat(d.io.closed).isEqualTo(VoiceCloseCode.NOT_AUTHENTICATED);
    }

    @Test
    void closeCode4004ForAWrongTokenOrSession() {
        VoiceState state = world.join(1, VoiceWorld.CHANNEL);
        Conn c = world.connect(8);
        c.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(VoiceWorld.GUILD, 1, state.sessionId(), "token-2", 0).data());
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.AUTHENTICATION_FAILED);
        Conn d = world.connect(8);
        d.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(VoiceWorld.GUILD, 1, "another-session", state.token(), 0).data());
        assertThat(d.io.closed).isEqualTo(VoiceCloseCode.AUTHENTICATION_FAILED);
    }

    @Test
    void closeCode4005ForASecondIdentifyOrAResumeAfterIdentify() {
        Conn c = world.identified(1);
        VoiceState state = world.states.get(VoiceWorld.GUILD + "/1");
        c.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(VoiceWorld.GUILD, 1, state.sessionId(), state.token(), 0).data());
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.ALREADY_AUTHENTICATED);
        // 4005 keeps the session: the client may resume it
        Conn again = world.connect(8);
        again.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, state.sessionId(), state.token(), -1).data());
        assertThat(again.io.closed).isNull();
        assertThat(again.io.ops(9)).hasSize(1);
        again.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, state.sessionId(), state.token(), -1).data());
        assertThat(again.io.closed).isEqualTo(VoiceCloseCode.ALREADY_AUTHENTICATED);
    }

    @Test
    void closeCode4006ForAResumeOfNoSessionAnExpiredOneOrOneTakenOver() {
        VoiceState state = world.join(1, VoiceWorld.CHANNEL);
        Conn none = world.connect(8);
        none.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, state.sessionId(), state.token(), -1).data());
        assertThat(none.io.closed).isEqualTo(VoiceCloseCode.SESSION_NO_LONGER_VALID);

        Conn first = world.identified(1);
        Conn second = world.identified(1);
        assertThat(first.io.closed).isEqualTo(VoiceCloseCode.SESSION_NO_LONGER_VALID);
        assertThat(second.io.closed).isNull();

        second.connection.disconnected(world.now);
        world.now += 10_000;
        world.rooms.expire(world.now);
        Conn late = world.connect(8);
        late.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, state.sessionId(), state.token(), -1).data());
        assertThat(late.io.closed).isEqualTo(VoiceCloseCode.SESSION_NO_LONGER_VALID);
    }

    @Test
    void closeCode4009WithoutHeartbeatOrWithoutIdentify() {
        Conn quiet = world.identified(1);
        long deadline = quiet.connection.nextDeadline();
        assertThat(deadline).isEqualTo(world.now + world.config.heartbeatTimeoutMs());
        quiet.connection.tick(deadline - 1);
        assertThat(quiet.io.closed).isNull();
        quiet.connection.tick(deadline);
        assertThat(quiet.io.closed).isEqualTo(VoiceCloseCode.SESSION_TIMEOUT);
        assertThat(quiet.connection.session().ended()).isFalse(); // resumable

        Conn lurker = world.connect(8);
        long identifyBy = world.now + world.config.identifyTimeoutMs();
        for (long t = world.now + 10_000; t < identifyBy; t += 10_000) {
            world.now = t;
            lurker.send(VoiceOpcode.HEARTBEAT, VoiceHeartbeat.nonce(t).d());
        }
        lurker.connection.tick(identifyBy);
        assertThat(lurker.io.closed).isEqualTo(VoiceCloseCode.SESSION_TIMEOUT);
    }

    @Test
    void closeCode4011ForAGuildTheMemberIsNotInVoiceOf() {
        VoiceState state = world.join(1, VoiceWorld.CHANNEL);
        Conn c = world.connect(8);
        c.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(999, 1, state.sessionId(), state.token(), 0).data());
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.SERVER_NOT_FOUND);
    }

    @Test
    void closeCode4012ForAProtocolOtherThanUdp() {
        Conn c = world.identified(1);
        c.raw("{\"op\":1,\"d\":{\"protocol\":\"webrtc\",\"data\":\"v=0...\"}}");
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.UNKNOWN_PROTOCOL);
        assertThat(c.connection.session().ended()).isTrue();
    }

    @Test
    void closeCode4014WhenTheVoiceStateGoesAndTheOthersHearOpcode13() {
        Conn alice = world.identified(1);
        Conn bob = world.identified(2);
        world.remove(2); // kicked, channel deleted, left, or the main session ended
        assertThat(bob.io.closed).isEqualTo(VoiceCloseCode.DISCONNECTED);
        assertThat(bob.connection.session().ended()).isTrue();
        assertThat(alice.io.ops(13)).hasSize(1);
        assertThat(world.rooms.bySsrc(bob.connection.session().ssrc())).isNull();

        // a join from another gateway session (a new token) replaces the connection
        VoiceState held = world.states.get(VoiceWorld.GUILD + "/1");
        world.put(new VoiceState(held.guildId(), held.channelId(), 1, "elsewhere", "new-token", false, false, false, false, true, false, null));
        assertThat(alice.io.closed).isEqualTo(VoiceCloseCode.DISCONNECTED);
    }

    @Test
    void closeCode4015WhenTheServerStopsKeepsNothingButTellsClientsToResume() {
        Conn c = world.identified(1);
        world.rooms.shutdown();
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.SERVER_CRASHED);
        assertThat(VoiceCloseCode.SERVER_CRASHED.next()).isEqualTo(VoiceCloseCode.Next.RESUME);
    }

    @Test
    void closeCode4016ForAnEncryptionModeNotOffered() {
        Conn c = world.identified(1);
        c.send(VoiceOpcode.SELECT_PROTOCOL, udp("xsalsa20_poly1305").data());
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.UNKNOWN_ENCRYPTION_MODE);
    }

    @Test
    void closeCode4021ForTooManyMessages() {
        Conn c = world.identified(1);
        for (int i = 0; i < world.config.framesPerMinute() + 1 && c.io.closed == null; i++) {
            c.send(VoiceOpcode.HEARTBEAT, VoiceHeartbeat.nonce(i).d());
        }
        assertThat(c.io.closed).isEqualTo(VoiceCloseCode.RATE_LIMITED);
    }

    // ---- moves and resumes ----------------------------------------------------------------------

    @Test
    void aMoveTakesTheConnectionToTheOtherChannel() {
        Conn alice = world.identified(1);
        Conn bob = world.identified(2);
        world.join(3, VoiceWorld.OTHER_CHANNEL);
        Conn carol = world.identified(3);
        VoiceState b = world.states.get(VoiceWorld.GUILD + "/2");
        world.put(new VoiceState(b.guildId(), VoiceWorld.OTHER_CHANNEL, 2, b.sessionId(), b.token(), false, false, false, false, true, false, null));
        assertThat(bob.io.closed).isNull();
        assertThat(alice.io.ops(13)).hasSize(1);
        assertThat(carol.io.ops(11)).singleElement().satisfies(m -> assertThat(m.at("/d/user_ids/0").asText()).isEqualTo("2"));
        assertThat(bob.connection.session().room().channelId()).isEqualTo(VoiceWorld.OTHER_CHANNEL);
    }

    @Test
    void aV8ResumeReplaysExactlyWhatCameAfterSeqAck() {
        Conn alice = world.identified(1);
        alice.send(VoiceOpcode.SELECT_PROTOCOL, udp("aead_aes256_gcm_rtpsize").data()); // seq 1
        world.identified(2); // alice: op 11 and op 5, seq 2 and 3
        alice.send(VoiceOpcode.HEARTBEAT, VoiceHeartbeat.v8(1, 3).d());
        alice.connection.disconnected(world.now);
        Conn bob = world.identified(3); // alice, while away: op 11 and op 5, seq 4 and 5
        bob.send(VoiceOpcode.SPEAKING, new Speaking(1, 0, 0, 0).data()); // seq 6
        VoiceState a = world.states.get(VoiceWorld.GUILD + "/1");

        Conn back = world.connect(8);
        back.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, a.sessionId(), a.token(), 4).data());
        assertThat(back.io.sent.stream().map(m -> m.get("op").asInt()).toList()).containsExactly(8, 9, 5, 5);
        assertThat(back.io.sent.stream().skip(2).map(m -> m.get("seq").asLong()).toList()).containsExactly(5L, 6L);
        assertThat(back.io.sent.get(3).at("/d/speaking").asInt()).isEqualTo(1);
        assertThat(back.connection.session()).isSameAs(alice.connection.session()); // same SSRC and key

        // a resume from before what is still kept cannot be exact: 4006
        back.connection.disconnected(world.now);
        for (int i = 0; i < 6; i++) {
            bob.send(VoiceOpcode.SPEAKING, new Speaking(i % 2, 0, 0, 0).data());
        }
        Conn stale = world.connect(8);
        stale.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, a.sessionId(), a.token(), 6).data());
        assertThat(stale.io.closed).isEqualTo(VoiceCloseCode.SESSION_NO_LONGER_VALID);
    }

    @Test
    void aV4ResumeReplaysWhatWasEmittedWhileAway() {
        VoiceState a = world.join(1, VoiceWorld.CHANNEL);
        Conn alice = world.connect(4);
        alice.send(VoiceOpcode.IDENTIFY, new VoiceIdentify(VoiceWorld.GUILD, 1, a.sessionId(), a.token(), 0).data());
        world.identified(2);
        alice.connection.disconnected(world.now);
        world.identified(3);
        Conn back = world.connect(4);
        back.send(VoiceOpcode.RESUME, new VoiceResume(VoiceWorld.GUILD, a.sessionId(), a.token(), -1).data());
        assertThat(back.io.sent.stream().map(m -> m.get("op").asInt()).toList()).containsExactly(8, 9, 11, 5);
        assertThat(back.io.sent.get(2).has("seq")).isFalse();
        assertThat(back.io.sent.get(2).at("/d/user_ids/0").asText()).isEqualTo("3");
    }

    @Test
    void theCloseCodeTableSaysWhichCodesKeepTheSession() {
        assertThat(List.of(VoiceCloseCode.values()).stream().filter(VoiceCloseCode::keepsSession).map(VoiceCloseCode::code))
                .containsExactly(4001, 4002, 4005, 4009, 4015);
        assertThat(VoiceCloseCode.DISCONNECTED.next()).isEqualTo(VoiceCloseCode.Next.STOP);
        assertThat(VoiceCloseCode.of(4016)).isEqualTo(VoiceCloseCode.UNKNOWN_ENCRYPTION_MODE);
        assertThat(VoiceCloseCode.of(4013)).isNull();
    }
}
