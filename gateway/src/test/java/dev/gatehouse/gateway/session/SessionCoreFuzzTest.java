package dev.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random and malformed input against the session core: whatever a client sends, in whatever
 * order and at whatever pace, the core answers with a close code from the table or carries on;
 * it never throws and its buffers never grow past their limits. Seeds are fixed, so a failure
 * reproduces.
 */
class SessionCoreFuzzTest {

    static final GatewayConfig CONFIG = GatewayConfig.defaults();
    static final String[] FRAGMENTS = {
        "{\"op\":1,\"d\":null}", "{\"op\":1,\"d\":%N}", "{\"op\":2,\"d\":{\"token\":\"t\",\"intents\":%N}}",
        "{\"op\":2,\"d\":{\"token\":\"t\",\"intents\":1,\"shard\":[%N,%N]}}", "{\"op\":6,\"d\":{\"token\":\"t\",\"session_id\":\"s\",\"seq\":%N}}",
        "{\"op\":3,\"d\":{\"status\":\"online\"}}", "{\"op\":4,\"d\":{\"guild_id\":\"%N\"}}", "{\"op\":8,\"d\":{\"guild_id\":\"%N\",\"nonce\":\"x\"}}",
        "{\"op\":14,\"d\":{}}", "{\"op\":%N,\"d\":%N}", "{\"op\":%N}", "{\"d\":%N}", "[%N]", "{\"op\":1,\"d\":\"%N\"}", "{", "",
        "{\"op\":2,\"d\":{\"token\":\"t\",\"large_threshold\":%N,\"intents\":1}}", "{\"op\":2,\"d\":{\"ignored_events\":[%N]}}",
    };

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void randomTrafficNeverBreaksTheCore(Dialect dialect) {
        for (long seed = 1; seed <= 400; seed++) {
            run(dialect, new Random(seed * 31 + dialect.ordinal()));
        }
    }

    private void run(Dialect dialect, Random random) {
        RecordingIO io = new RecordingIO();
        RecordingSink sink = new RecordingSink();
        long now = 1_000_000;
        GatewayConnection c = new GatewayConnection(dialect, CONFIG, io, sink, (1L << 26) - 1, now);
        c.open();
        GatewaySession session = null;
        for (int step = 0; step < 300 && c.state() != GatewayConnection.State.CLOSED; step++) {
            int action = random.nextInt(100);
            if (action < 55) {
                c.receive(frame(random), now);
            } else if (action < 65) {
                byte[] junk = new byte[random.nextInt(6000)];
                random.nextBytes(junk);
                c.receive(junk, now);
            } else if (action < 80) {
                now += random.nextInt(20_000);
                c.tick(now);
            } else if (action < 90 && session != null) {
                for (int i = random.nextInt(50); i > 0; i--) {
                    session.dispatch(random.nextBoolean() ? "MESSAGE_CREATE" : "PRESENCE_UPDATE", "{}".getBytes(),
                            "u" + random.nextInt(10), now);
                }
            }
            if (c.state() == GatewayConnection.State.IDENTIFYING) {
                switch (random.nextInt(4)) {
                    case 0 -> c.invalidSession(false);
                    case 1 -> c.reject(CloseCode.AUTHENTICATION_FAILED, "Authentication failed");
                    default -> {
                        session = new GatewaySession("s", new SessionIdentity(1, false, dialect, 1, Set.of(),
                                random.nextInt(4), 0, 1, 50), CONFIG, sink, now);
                        c.identified(session, now);
                        session.dispatchNow("READY", "{}".getBytes());
                        session.goLive(now);
                    }
                }
            } else if (c.state() == GatewayConnection.State.RESUMING) {
                c.invalidSession(false);
            }
            assertThat(c.queuedVoiceStates()).isLessThanOrEqualTo(CONFIG.voiceQueue());
            if (session != null) {
                assertThat(session.replayDepth()).isLessThanOrEqualTo(CONFIG.replayEvents());
            }
            assertThat(c.nextDeadline()).isGreaterThanOrEqualTo(0);
        }
        if (c.state() == GatewayConnection.State.CLOSED && io.closeCode != null) {
            CloseCode code = CloseCode.of(io.closeCode);
            assertThat(code).as("close code %d", io.closeCode).isNotNull();
            assertThat(code.existsIn(dialect)).isTrue();
            assertThat(io.closes).isEqualTo(1);
            assertThat(io.closeReason).isNotBlank();
        }
    }

    private static byte[] frame(Random random) {
        String template = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            if (template.startsWith("%N", i)) {
                out.append(number(random));
                i++;
            } else {
                out.append(template.charAt(i));
            }
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(10) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static String number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(16));
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "null";
            case 3 -> "\"" + random.nextInt(100) + "\"";
            case 4 -> "1e308";
            default -> Integer.toString(-random.nextInt(3));
        };
    }
}
