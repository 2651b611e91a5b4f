package dev.gatehouse.protocol.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.etf.Etf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every typed payload survives the trip a frame takes: built by one side, encoded as JSON or ETF,
 * decoded by the other side's frame decoder and parsed back into the same value.
 */
class PayloadRoundTripTest {

    interface Parser {
        GatewayPayload parse(JsonNode d) throws ProtocolViolation;
    }

    static final JsonNode USER = Json.mapper().createObjectNode().put("id", "80351110224678912").put("username", "nelly")
            .put("bot", true);

    static Stream<Arguments> payloads() {
        Identify discord = Identify.of("token.abc", 3 | (1 << 15), "linux", "gatehouse-client").withShard(3, 8)
                .withPresence(new PresenceUpdate("idle", List.of(Activity.playing("chess")), true));
        Identify fluxer = new Identify("t", null, "b", null, true, 250, 0, 1, null, -1, Set.of("TYPING_START"), 2);
        return Stream.of(
                Arguments.of(new Hello(41_250), (Parser) Hello::parse, Dialect.DISCORD),
                Arguments.of(new Heartbeat(9_007_199_254_740_993L), (Parser) Heartbeat::parse, Dialect.DISCORD),
                Arguments.of(Heartbeat.NONE, (Parser) Heartbeat::parse, Dialect.FLUXER),
                Arguments.of(discord, (Parser) d -> Identify.parse(d, Dialect.DISCORD, (1L << 26) - 1), Dialect.DISCORD),
                Arguments.of(fluxer, (Parser) d -> Identify.parse(d, Dialect.FLUXER, 0), Dialect.FLUXER),
                Arguments.of(new Resume("token.abc", "f1e2d3", 1_234_567), (Parser) Resume::parse, Dialect.DISCORD),
                Arguments.of(new InvalidSession(true), (Parser) InvalidSession::parse, Dialect.DISCORD),
                Arguments.of(new InvalidSession(false), (Parser) InvalidSession::parse, Dialect.FLUXER),
                Arguments.of(new PresenceUpdate("dnd", List.of(new Activity("stream", 1, "live", "https://example.invalid/s")),
                        false), (Parser) PresenceUpdate::parse, Dialect.DISCORD),
                // Rich Presence: every field others see, times as numbers of milliseconds
                Arguments.of(new PresenceUpdate("online", List.of(new Activity("Chess Club", 0, null, 1_765_000_000_123L,
                        new Activity.Timestamps(1_765_000_000_000L, null), 41771983423143937L, "Ranked", "Move 12",
                        new Activity.Party("p1", List.of(1, 2)), new Activity.Assets("board", "Board", null, null), false, 1,
                        List.of("Watch"))), false), (Parser) PresenceUpdate::parse, Dialect.FLUXER),
                Arguments.of(VoiceStateUpdate.join(41771983423143937L, 127121515262115840L), (Parser) VoiceStateUpdate::parse,
                        Dialect.DISCORD),
                Arguments.of(VoiceStateUpdate.leave(41771983423143937L), (Parser) VoiceStateUpdate::parse, Dialect.FLUXER),
                Arguments.of(RequestGuildMembers.everyone(41771983423143937L, "n1").withPresences(),
                        (Parser) RequestGuildMembers::parse, Dialect.DISCORD),
                Arguments.of(RequestGuildMembers.byName(41771983423143937L, "ne", 10, null), (Parser) RequestGuildMembers::parse,
                        Dialect.DISCORD),
                Arguments.of(RequestGuildMembers.byId(41771983423143937L, List.of(80351110224678912L, 5L), "n2"),
                        (Parser) RequestGuildMembers::parse, Dialect.FLUXER));
    }

    static byte[] encode(GatewayFrame frame, Encoding encoding) {
        JsonNode tree = frame.toJson();
        return encoding == Encoding.ETF ? Etf.encode(tree) : tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void survivesJsonAndEtf(GatewayPayload payload, Parser parser, Dialect dialect) throws Exception {
        for (Encoding encoding : Encoding.values()) {
            GatewayFrame decoded = GatewayFrame.decode(encode(payload.frame(), encoding), encoding, dialect, 4096);
            assertThat(decoded.opcode()).isEqualTo(payload.opcode());
            assertThat(parser.parse(decoded.d())).as(encoding.name()).isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void readySurvivesBothEncodings(Encoding encoding) throws Exception {
        Ready ready = Ready.of(Dialect.DISCORD, USER, List.of(41771983423143937L, 5L), "f1e2d3", "wss://gateway.example/",
                1, 2, new Ready.PartialApplication(80351110224678912L, 1 << 19));
        JsonNode body = Json.mapper().readTree(ready.toBytes());
        GatewayFrame frame = new GatewayFrame(Opcode.DISPATCH.code(), body, 1, "READY");
        byte[] wire = encode(frame, encoding);
        JsonNode root = encoding == Encoding.ETF ? Etf.decode(wire) : Json.mapper().readTree(wire);
        GatewayFrame decoded = GatewayFrame.of(root);
        assertThat(decoded.type()).isEqualTo("READY");
        assertThat(decoded.seq()).isEqualTo(1);
        assertThat(Ready.parse(decoded.d())).isEqualTo(ready);
    }

    @Test
    void readyIsWrittenAsClientsExpectIt() throws Exception {
        Ready ready = Ready.of(Dialect.FLUXER, USER, List.of(5L), "s", "ws://x/gateway", 0, 1, null);
        JsonNode body = Json.mapper().readTree(ready.toBytes());
        assertThat(body.get("v").intValue()).isEqualTo(1);
        assertThat(body.at("/guilds/0/id").textValue()).as("ids are strings").isEqualTo("5");
        assertThat(body.at("/guilds/0/unavailable").booleanValue()).isTrue();
        assertThat(body.has("shard")).as("only a sharded session says its shard").isFalse();
        assertThat(body.has("application")).isFalse();
        assertThat(body.get("private_channels").isArray()).isTrue();
        assertThat(body.get("session_type").textValue()).isEqualTo("normal");
    }

    @Test
    void serverControlFramesCarryNullSeqAndType() {
        assertThat(new Hello(45_000).frame().toServerJson())
                .isEqualTo("{\"op\":10,\"d\":{\"heartbeat_interval\":45000},\"s\":null,\"t\":null}");
        assertThat(new InvalidSession(false).frame().toServerJson())
                .isEqualTo("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
        assertThat(new Heartbeat(7).frame().toJson().toString()).isEqualTo("{\"op\":1,\"d\":7}");
    }

    @Test
    void badPayloadsAreTheProtocolsErrors() {
        assertThatThrownBy(() -> Hello.parse(Json.mapper().readTree("{}"))).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Hello.parse(Json.mapper().readTree("{\"heartbeat_interval\":\"soon\"}")))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Heartbeat.parse(Json.mapper().readTree("-1")))
                .isInstanceOfSatisfying(ProtocolViolation.class, v -> assertThat(v.code()).isEqualTo(CloseCode.INVALID_SEQ));
        assertThatThrownBy(() -> InvalidSession.parse(Json.mapper().readTree("\"yes\""))).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Ready.parse(Json.mapper().readTree("{\"v\":10}"))).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Ready.parse(Json.mapper().readTree("{\"session_id\":\"s\",\"guilds\":{}}")))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> GatewayFrame.of(Json.mapper().readTree("{\"op\":\"1\"}")))
                .isInstanceOfSatisfying(ProtocolViolation.class, v -> assertThat(v.code()).isEqualTo(CloseCode.DECODE_ERROR));
        assertThatThrownBy(() -> GatewayFrame.decode("{\"op\":1}".getBytes(StandardCharsets.UTF_8), Encoding.JSON,
                Dialect.FLUXER, 4096)).as("fluxer requires d").isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Identify.parse(Json.mapper().readTree("{\"token\":\"t\",\"intents\":1,\"presence\":{\"status\":\"busy\"}}"),
                Dialect.DISCORD, 1)).isInstanceOfSatisfying(ProtocolViolation.class,
                        v -> assertThat(v.reason()).startsWith("Invalid presence"));
    }
}
