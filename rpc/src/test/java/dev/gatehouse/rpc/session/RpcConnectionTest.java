package dev.gatehouse.rpc.session;

import static dev.gatehouse.rpc.session.FakeAccount.APP;
import static dev.gatehouse.rpc.session.FakeAccount.GUILD;
import static dev.gatehouse.rpc.session.FakeAccount.OTHER_APP;
import static dev.gatehouse.rpc.session.FakeAccount.OTHER_VOICE;
import static dev.gatehouse.rpc.session.FakeAccount.PERSON;
import static dev.gatehouse.rpc.session.FakeAccount.TEXT;
import static dev.gatehouse.rpc.session.FakeAccount.VOICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.protocol.RpcCommand;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The RPC session core against an account in memory: handshake, every command with its errors, events, closes. */
class RpcConnectionTest {

    final FakeAccount account = new FakeAccount();
    final AtomicLong now = new AtomicLong(1_000_000);
    final Recorder peer = new Recorder();
    final List<String> answered = new ArrayList<>();
    final RpcConnection c = new RpcConnection(1, RpcConnection.Transport.IPC, peer, account, Runnable::run, now::get,
            new RpcConnection.Limits(20, 1_000), new RpcConnection.Listener() {
                @Override
                public void answered(RpcCommand command, RpcError error) {
                    answered.add((command == null ? "?" : command.name()) + ":" + (error == null ? "ok" : error.code()));
                }
            });

    static final class Recorder implements RpcPeer {
        final List<ObjectNode> sent = new CopyOnWriteArrayList<>();
        volatile RpcCloseCode closed;

        @Override
        public void send(ObjectNode message) {
            sent.add(message);
        }

        @Override
        public void close(RpcCloseCode code, String reason) {
            closed = code;
        }

        ObjectNode last() {
            return sent.getLast();
        }
    }

    private void ready() {
        c.handshake("1", Long.toString(APP), null, null);
        assertThat(c.isReady()).isTrue();
        peer.sent.clear();
    }

    private void authenticated(String... scopes) {
        ready();
        account.grant("tok", APP, PERSON, scopes);
        assertThat(send("AUTHENTICATE", Map.of("access_token", "tok"), null).get("evt").isNull()).isTrue();
    }

    /** Sends a command and returns the answer with its nonce. */
    private JsonNode send(String cmd, Object args, String evt) {
        String nonce = "n" + peer.sent.size() + "-" + System.nanoTime();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cmd", cmd);
        m.set("args", Json.mapper().valueToTree(args));
        if (evt != null) {
            m.put("evt", evt);
        }
        m.put("nonce", nonce);
        c.receive(Json.string(m));
        until(() -> peer.sent.stream().anyMatch(s -> nonce.equals(s.path("nonce").asText())));
        return peer.sent.stream().filter(s -> nonce.equals(s.path("nonce").asText())).findFirst().orElseThrow();
    }

    /** Waits up to five seconds for what a timeout or a delayed answer brings. */
    static void until(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void assertError(JsonNode answer, String cmd, RpcError error) {
        assertThat(answer.get("evt").asText()).as(answer.toString()).isEqualTo("ERROR");
        assertThat(answer.get("cmd").asText()).isEqualTo(cmd);
        assertThat(answer.at("/data/code").asInt()).as(answer.toString()).isEqualTo(error.code());
        assertThat(answer.at("/data/message").asText()).isNotEmpty();
    }

    private static JsonNode ok(JsonNode answer) {
        assertThat(answer.get("evt").isNull()).as(answer.toString()).isTrue();
        return answer.get("data");
    }

    @Test
    void aGoodHandshakeIsAnsweredWithReady() {
        c.handshake("1", Long.toString(APP), "json", "https://chess.example");
        JsonNode ready = peer.last();
        assertThat(ready.get("cmd").asText()).isEqualTo("DISPATCH");
        assertThat(ready.get("evt").asText()).isEqualTo("READY");
        assertThat(ready.get("nonce").isNull()).isTrue();
        assertThat(ready.at("/data/v").asInt()).isEqualTo(1);
        assertThat(ready.at("/data/config/api_endpoint").asText()).isEqualTo("//127.0.0.1:1/api");
        assertThat(ready.at("/data/config/environment").asText()).isEqualTo("production");
        assertThat(ready.at("/data/user/id").asText()).isEqualTo(Long.toString(PERSON));
        assertThat(peer.closed).isNull();
    }

    @Test
    void eachBadHandshakeClosesWithItsCode() {
        record Case(String v, String clientId, String encoding, String origin, RpcCloseCode code) {}
        for (Case k : List.of(
                new Case("2", "500", null, null, RpcCloseCode.INVALID_VERSION),
                new Case(null, "500", null, null, RpcCloseCode.INVALID_VERSION),
                new Case("1", "500", "etf", null, RpcCloseCode.INVALID_ENCODING),
                new Case("1", null, null, null, RpcCloseCode.INVALID_CLIENT_ID),
                new Case("1", "not-an-id", null, null, RpcCloseCode.INVALID_CLIENT_ID),
                new Case("1", "999", null, null, RpcCloseCode.INVALID_CLIENT_ID),
                new Case("1", "500", "json", "https://evil.example", RpcCloseCode.INVALID_ORIGIN),
                new Case("1", "501", null, "https://chess.example", RpcCloseCode.INVALID_ORIGIN))) {
            Recorder p = new Recorder();
            RpcConnection conn = new RpcConnection(2, RpcConnection.Transport.WEBSOCKET, p, account, Runnable::run, now::get,
                    RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
            conn.handshake(k.v(), k.clientId(), k.encoding(), k.origin());
            assertThat(p.closed).as(k.toString()).isEqualTo(k.code());
            assertThat(p.sent).as("no READY").isEmpty();
            conn.receive("{\"cmd\":\"GET_GUILDS\",\"nonce\":\"x\"}");
            assertThat(p.sent).as("nothing after the close").isEmpty();
        }
    }

    @Test
    void messagesBeforeTheHandshakeCloseAndMessagesDuringItWait() {
        c.receive("{\"cmd\":\"SET_ACTIVITY\",\"nonce\":\"early\"}");
        assertThat(peer.closed).isEqualTo(RpcCloseCode.INVALID_CLIENT_ID);

        FakeAccount slow = new FakeAccount() {
            @Override
            public java.util.concurrent.CompletableFuture<java.util.Optional<RpcApplication>> application(long clientId) {
                return java.util.concurrent.CompletableFuture.supplyAsync(() -> java.util.Optional.of(applications.get(clientId)),
                        java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        };
        Recorder p = new Recorder();
        RpcConnection conn = new RpcConnection(3, RpcConnection.Transport.IPC, p, slow, Runnable::run, now::get,
                RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
        conn.handshake("1", Long.toString(APP), null, null);
        conn.receive("{\"cmd\":\"SET_ACTIVITY\",\"args\":{\"pid\":42,\"activity\":{\"state\":\"hi\"}},\"nonce\":\"during\"}");
        until(() -> p.sent.size() == 2);
        assertThat(p.sent.get(0).get("evt").asText()).isEqualTo("READY");
        assertThat(p.sent.get(1).get("nonce").asText()).isEqualTo("during");
    }

    @Test
    void badPayloadsAndUnknownCommandsAreAnsweredNotFatal() {
        ready();
        c.receive("{not json");
        assertThat(peer.last().at("/data/code").asInt()).isEqualTo(4000);
        c.receive("[1,2]");
        assertThat(peer.last().at("/data/code").asInt()).isEqualTo(4000);
        assertError(send("LAUNCH_ROCKETS", Map.of(), null), "LAUNCH_ROCKETS", RpcError.INVALID_COMMAND);
        assertError(send("DISPATCH", Map.of(), null), "DISPATCH", RpcError.INVALID_COMMAND);
        c.receive("{\"cmd\":\"GET_GUILD\",\"args\":[],\"nonce\":\"arr\"}");
        assertError(peer.last(), "GET_GUILD", RpcError.INVALID_PAYLOAD);
        assertThat(peer.closed).isNull();
        assertThat(c.isReady()).isTrue();
    }

    @Test
    void withoutATokenOnlyAuthorisationAndRichPresenceAreAllowed() {
        ready();
        for (String cmd : List.of("GET_GUILDS", "GET_GUILD", "GET_CHANNELS", "GET_CHANNEL", "SELECT_VOICE_CHANNEL",
                "GET_SELECTED_VOICE_CHANNEL", "SELECT_TEXT_CHANNEL", "GET_VOICE_SETTINGS", "SET_VOICE_SETTINGS")) {
            assertError(send(cmd, Map.of(), null), cmd, RpcError.INVALID_PERMISSIONS);
        }
        assertError(send("SUBSCRIBE", Map.of("channel_id", Long.toString(TEXT)), "MESSAGE_CREATE"), "SUBSCRIBE", RpcError.INVALID_PERMISSIONS);
        assertThat(ok(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("state", "idle")), null)).get("name").asText())
                .isEqualTo("Chess");
    }

    @Test
    void authorizeAsksThePersonAndReturnsTheCode() {
        ready();
        JsonNode code = ok(send("AUTHORIZE", Map.of("client_id", Long.toString(APP), "scopes", List.of("rpc", "identify")), null));
        assertThat(code.get("code").asText()).isEqualTo("code-for-500-rpc+identify");
        assertError(send("AUTHORIZE", Map.of("client_id", Long.toString(OTHER_APP), "scopes", List.of("rpc")), null), "AUTHORIZE",
                RpcError.INVALID_CLIENT_ID);
        assertError(send("AUTHORIZE", Map.of("client_id", Long.toString(APP)), null), "AUTHORIZE", RpcError.INVALID_PAYLOAD);
        assertError(send("AUTHORIZE", Map.of("client_id", Long.toString(APP), "scopes", List.of()), null), "AUTHORIZE",
                RpcError.INVALID_PAYLOAD);
        assertError(send("AUTHORIZE", Map.of("client_id", Long.toString(APP), "scopes", List.of(7)), null), "AUTHORIZE",
                RpcError.INVALID_PAYLOAD);
        now.addAndGet(60_000); // a few a minute
        account.approve = false;
        assertError(send("AUTHORIZE", Map.of("client_id", Long.toString(APP), "scopes", List.of("rpc")), null), "AUTHORIZE",
                RpcError.OAUTH2_ERROR);
    }

    @Test
    void authenticateTakesOnlyThePersonsTokenForThisApplication() {
        ready();
        account.grant("mine", APP, PERSON, "rpc", "identify");
        account.grant("other-app", OTHER_APP, PERSON, "rpc");
        account.grant("someone-else", APP, 999, "rpc");
        assertError(send("AUTHENTICATE", Map.of("access_token", "nope"), null), "AUTHENTICATE", RpcError.INVALID_TOKEN);
        assertError(send("AUTHENTICATE", Map.of("access_token", "other-app"), null), "AUTHENTICATE", RpcError.INVALID_TOKEN);
        assertError(send("AUTHENTICATE", Map.of("access_token", "someone-else"), null), "AUTHENTICATE", RpcError.INVALID_TOKEN);
        assertError(send("AUTHENTICATE", Map.of(), null), "AUTHENTICATE", RpcError.INVALID_PAYLOAD);
        assertError(send("GET_GUILDS", Map.of(), null), "GET_GUILDS", RpcError.INVALID_PERMISSIONS);
        JsonNode auth = ok(send("AUTHENTICATE", Map.of("access_token", "mine"), null));
        assertThat(auth.at("/application/id").asText()).isEqualTo(Long.toString(APP));
        assertThat(auth.get("scopes")).extracting(JsonNode::asText).contains("rpc", "identify");
        assertThat(auth.get("expires").asText()).isNotEmpty();
        assertThat(auth.at("/user/id").asText()).isEqualTo(Long.toString(PERSON));
        assertThat(ok(send("GET_GUILDS", Map.of(), null)).at("/guilds/0/id").asText()).isEqualTo(Long.toString(GUILD));
    }

    @Test
    void readsAnswerUnknownIdsWithTheirCodes() throws Exception {
        authenticated("rpc");
        JsonNode guild = ok(send("GET_GUILD", Map.of("guild_id", Long.toString(GUILD)), null));
        assertThat(guild.get("name").asText()).isEqualTo("Club");
        assertError(send("GET_GUILD", Map.of("guild_id", "42"), null), "GET_GUILD", RpcError.INVALID_GUILD);
        assertError(send("GET_GUILD", Map.of(), null), "GET_GUILD", RpcError.INVALID_PAYLOAD);
        assertError(send("GET_GUILD", Map.of("guild_id", "x"), null), "GET_GUILD", RpcError.INVALID_PAYLOAD);
        assertThat(ok(send("GET_CHANNELS", Map.of("guild_id", Long.toString(GUILD)), null)).get("channels")).hasSize(3);
        assertError(send("GET_CHANNELS", Map.of("guild_id", "42"), null), "GET_CHANNELS", RpcError.INVALID_GUILD);
        assertThat(ok(send("GET_CHANNEL", Map.of("channel_id", Long.toString(TEXT)), null)).get("name").asText()).isEqualTo("general");
        assertError(send("GET_CHANNEL", Map.of("channel_id", "42"), null), "GET_CHANNEL", RpcError.INVALID_CHANNEL);

        account.guildHangs = true;
        assertError(send("GET_GUILD", Map.of("guild_id", Long.toString(GUILD), "timeout", 0.2), null), "GET_GUILD",
                RpcError.GET_GUILD_TIMED_OUT);
    }

    @Test
    void subscriptionsDeliverOnlyWhatWasAskedFor() {
        authenticated("rpc");
        assertError(send("SUBSCRIBE", Map.of(), "EVERYTHING"), "SUBSCRIBE", RpcError.INVALID_EVENT);
        assertError(send("SUBSCRIBE", Map.of(), null), "SUBSCRIBE", RpcError.INVALID_EVENT);
        assertError(send("SUBSCRIBE", Map.of(), "READY"), "SUBSCRIBE", RpcError.INVALID_EVENT);
        assertError(send("SUBSCRIBE", Map.of(), "MESSAGE_CREATE"), "SUBSCRIBE", RpcError.INVALID_PAYLOAD);
        assertError(send("SUBSCRIBE", Map.of("channel_id", "42"), "MESSAGE_CREATE"), "SUBSCRIBE", RpcError.INVALID_CHANNEL);
        assertError(send("SUBSCRIBE", Map.of("guild_id", "42"), "GUILD_STATUS"), "SUBSCRIBE", RpcError.INVALID_GUILD);
        assertThat(ok(send("SUBSCRIBE", Map.of("channel_id", Long.toString(TEXT)), "MESSAGE_CREATE")).get("evt").asText())
                .isEqualTo("MESSAGE_CREATE");
        assertThat(ok(send("SUBSCRIBE", Map.of(), "GUILD_CREATE")).get("evt").asText()).isEqualTo("GUILD_CREATE");

        peer.sent.clear();
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("channel_id", Long.toString(TEXT));
        c.deliver(RpcEvent.MESSAGE_CREATE, TEXT, data);
        c.deliver(RpcEvent.MESSAGE_CREATE, 42L, data);
        c.deliver(RpcEvent.MESSAGE_UPDATE, TEXT, data);
        c.deliver(RpcEvent.GUILD_CREATE, null, JsonNodeFactory.instance.objectNode());
        assertThat(peer.sent).extracting(s -> s.get("evt").asText()).containsExactly("MESSAGE_CREATE", "GUILD_CREATE");
        assertThat(peer.sent.getFirst().get("cmd").asText()).isEqualTo("DISPATCH");
        assertThat(peer.sent.getFirst().get("nonce").isNull()).isTrue();

        ok(send("UNSUBSCRIBE", Map.of("channel_id", Long.toString(TEXT)), "MESSAGE_CREATE"));
        peer.sent.clear();
        c.deliver(RpcEvent.MESSAGE_CREATE, TEXT, data);
        assertThat(peer.sent).isEmpty();
    }

    @Test
    void eventsNeedTheirScopes() {
        authenticated("rpc.voice.read");
        assertError(send("SUBSCRIBE", Map.of("channel_id", Long.toString(TEXT)), "MESSAGE_CREATE"), "SUBSCRIBE",
                RpcError.INVALID_PERMISSIONS);
        assertError(send("SUBSCRIBE", Map.of(), "NOTIFICATION_CREATE"), "SUBSCRIBE", RpcError.INVALID_PERMISSIONS);
        assertThat(ok(send("GET_VOICE_SETTINGS", Map.of(), null)).at("/input/device_id").asText()).isEqualTo("default");
        assertError(send("SET_VOICE_SETTINGS", Map.of("mute", true), null), "SET_VOICE_SETTINGS", RpcError.INVALID_PERMISSIONS);

        RpcConnection second = new RpcConnection(9, RpcConnection.Transport.IPC, peer, account, Runnable::run, now::get,
                RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
        second.handshake("1", Long.toString(APP), null, null);
        account.grant("messages", APP, PERSON, "messages.read", "rpc.notifications.read");
        second.receive("{\"cmd\":\"AUTHENTICATE\",\"args\":{\"access_token\":\"messages\"},\"nonce\":\"a\"}");
        second.receive("{\"cmd\":\"SUBSCRIBE\",\"evt\":\"MESSAGE_CREATE\",\"args\":{\"channel_id\":\"" + TEXT + "\"},\"nonce\":\"b\"}");
        second.receive("{\"cmd\":\"SUBSCRIBE\",\"evt\":\"NOTIFICATION_CREATE\",\"nonce\":\"c\"}");
        assertThat(peer.sent.subList(peer.sent.size() - 2, peer.sent.size())).allSatisfy(s -> assertThat(s.get("evt").isNull()).isTrue());
    }

    @Test
    void selectingVoiceMovesThePersonOnlyWhenForced() {
        authenticated("rpc");
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(TEXT)), null), "SELECT_VOICE_CHANNEL",
                RpcError.INVALID_CHANNEL);
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", "42"), null), "SELECT_VOICE_CHANNEL", RpcError.INVALID_CHANNEL);
        assertThat(ok(send("GET_SELECTED_VOICE_CHANNEL", Map.of(), null)).isNull()).isTrue();
        assertThat(ok(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(VOICE)), null)).get("id").asText())
                .isEqualTo(Long.toString(VOICE));
        assertThat(account.voiceChannel).isEqualTo(VOICE);
        assertThat(ok(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(VOICE)), null)).get("id").asText())
                .as("the channel it is in: nothing to force").isEqualTo(Long.toString(VOICE));
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(OTHER_VOICE)), null), "SELECT_VOICE_CHANNEL",
                RpcError.SELECT_VOICE_FORCE_REQUIRED);
        assertThat(account.voiceChannel).isEqualTo(VOICE);
        ok(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(OTHER_VOICE), "force", true), null));
        assertThat(account.voiceChannel).isEqualTo(OTHER_VOICE);
        assertThat(ok(send("GET_SELECTED_VOICE_CHANNEL", Map.of(), null)).get("id").asText()).isEqualTo(Long.toString(OTHER_VOICE));
        JsonNode left = send("SELECT_VOICE_CHANNEL", java.util.Collections.singletonMap("channel_id", null), null);
        assertThat(ok(left).isNull()).isTrue();
        assertThat(account.voiceChannel).isNull();

        account.joinHangs = true;
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(VOICE), "timeout", 0.2), null),
                "SELECT_VOICE_CHANNEL", RpcError.SELECT_CHANNEL_TIMED_OUT);
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(VOICE), "timeout", -1), null),
                "SELECT_VOICE_CHANNEL", RpcError.INVALID_PAYLOAD);
    }

    @Test
    void selectingATextChannelIsKeptByTheAgent() {
        authenticated("rpc");
        assertThat(ok(send("SELECT_TEXT_CHANNEL", Map.of("channel_id", Long.toString(TEXT)), null)).get("id").asText())
                .isEqualTo(Long.toString(TEXT));
        assertThat(account.selectedText).isEqualTo(TEXT);
        assertError(send("SELECT_TEXT_CHANNEL", Map.of("channel_id", Long.toString(VOICE)), null), "SELECT_TEXT_CHANNEL",
                RpcError.INVALID_CHANNEL);
        assertThat(ok(send("SELECT_TEXT_CHANNEL", java.util.Collections.singletonMap("channel_id", null), null)).isNull()).isTrue();
        assertThat(account.selectedText).isNull();
    }

    @Test
    void voiceSettingsChangeWhollyOrNotAtAll() {
        authenticated("rpc");
        JsonNode set = ok(send("SET_VOICE_SETTINGS", Map.of("mute", true, "output", Map.of("volume", 150),
                "mode", Map.of("type", "PUSH_TO_TALK", "shortcut", List.of(Map.of("type", 0, "code", 65, "name", "A")))), null));
        assertThat(set.get("mute").asBoolean()).isTrue();
        assertThat(set.at("/output/volume").asDouble()).isEqualTo(150);
        assertThat(set.at("/mode/type").asText()).isEqualTo("PUSH_TO_TALK");
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("deaf", true, "mute", "yes"), Map.of("input", Map.of("volume", 101)),
                Map.of("deaf", true, "input", Map.of("device_id", "usb")), Map.of("mode", Map.of("type", "LOUD")),
                Map.of("mode", Map.of("threshold", 5)), Map.of("volume", 3))) {
            assertError(send("SET_VOICE_SETTINGS", bad, null), "SET_VOICE_SETTINGS", RpcError.INVALID_PAYLOAD);
        }
        JsonNode after = ok(send("GET_VOICE_SETTINGS", Map.of(), null));
        assertThat(after.get("deaf").asBoolean()).as("a refused update changed nothing").isFalse();
        assertThat(after.get("mute").asBoolean()).isTrue();
    }

    @Test
    void richPresenceIsTheApplicationsAndEndsWithTheConnection() {
        ready();
        assertError(send("SET_ACTIVITY", Map.of("activity", Map.of("state", "x")), null), "SET_ACTIVITY", RpcError.INVALID_PAYLOAD);
        assertError(send("SET_ACTIVITY", Map.of("pid", "42", "activity", Map.of("state", "x")), null), "SET_ACTIVITY",
                RpcError.INVALID_PAYLOAD);
        assertError(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("type", 1, "state", "x")), null), "SET_ACTIVITY",
                RpcError.INVALID_PAYLOAD);
        assertError(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("details", "d".repeat(600))), null), "SET_ACTIVITY",
                RpcError.INVALID_PAYLOAD);
        assertError(send("SET_ACTIVITY", Map.of("pid", 42, "activity", "playing"), null), "SET_ACTIVITY", RpcError.INVALID_PAYLOAD);
        assertThat(account.activities).isEmpty();

        JsonNode shown = ok(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("name", "Spoofed", "details", "Ranked",
                "state", "Move 12", "timestamps", Map.of("start", 1_765_000_000_000L), "assets", Map.of("large_image", "board"),
                "buttons", List.of(Map.of("label", "Watch", "url", "https://chess.example/w")), "instance", false)), null));
        assertThat(shown.get("name").asText()).as("the application's name, not the program's").isEqualTo("Chess");
        assertThat(shown.get("application_id").asText()).isEqualTo(Long.toString(APP));
        assertThat(shown.get("created_at").asLong()).isEqualTo(now.get());
        assertThat(shown.at("/timestamps/start").isNumber()).isTrue();
        assertThat(shown.at("/buttons/0").asText()).isEqualTo("Watch");
        assertThat(account.activities.get(1L).details()).isEqualTo("Ranked");

        assertThat(ok(send("SET_ACTIVITY", Map.of("pid", 42), null)).isNull()).as("no activity clears it").isTrue();
        assertThat(account.activities).isEmpty();
        ok(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("state", "again")), null));
        c.transportClosed();
        assertThat(account.activities).as("the program's presence leaves with it").isEmpty();
    }

    @Test
    void aFloodIsClosedWith4002() {
        ready();
        for (int i = 0; i < 25 && peer.closed == null; i++) {
            c.receive("{\"cmd\":\"GET_GUILDS\",\"nonce\":\"f" + i + "\"}");
        }
        assertThat(peer.closed).isEqualTo(RpcCloseCode.RATE_LIMITED);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void theLimitIsPerWindow() {
        ready();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                c.receive("{\"cmd\":\"GET_GUILDS\",\"nonce\":\"w" + round + "-" + i + "\"}");
            }
            now.addAndGet(1_000);
        }
        assertThat(peer.closed).isNull();
    }

    @Test
    void aRevokedTokenClosesWith4003() {
        authenticated("rpc");
        c.grantEnded(OTHER_APP);
        assertThat(peer.closed).isNull();
        c.grantEnded(APP);
        assertThat(peer.closed).as("the token still works: another grant of the app ended").isNull();
        account.tokens.remove("tok");
        c.grantEnded(APP);
        assertThat(peer.closed).isEqualTo(RpcCloseCode.TOKEN_REVOKED);
    }

    @Test
    void monitoringCountsEveryAnswer() {
        ready();
        send("GET_GUILDS", Map.of(), null);
        send("NOPE", Map.of(), null);
        send("SET_ACTIVITY", Map.of("pid", 1), null);
        assertThat(answered).containsExactly("GET_GUILDS:4006", "?:4002", "SET_ACTIVITY:ok");
    }

    @Test
    void aWebPageNeedsThePersonsConsentBeforeReady() {
        account.applications.put(503L, new RpcApplication(503, "Quiz", List.of("https://quiz.example")));
        Recorder p = new Recorder();
        RpcConnection page = new RpcConnection(4, RpcConnection.Transport.WEBSOCKET, p, account, Runnable::run, now::get,
                RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
        page.handshake("1", "503", "json", "https://quiz.example");
        assertThat(p.closed).as("a listed origin the person did not allow").isEqualTo(RpcCloseCode.INVALID_ORIGIN);
        assertThat(p.sent).as("no READY, so no name").isEmpty();

        account.admitted.add("https://quiz.example");
        Recorder q = new Recorder();
        RpcConnection allowed = new RpcConnection(5, RpcConnection.Transport.WEBSOCKET, q, account, Runnable::run, now::get,
                RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
        allowed.handshake("1", "503", "json", "https://quiz.example");
        assertThat(q.last().get("evt").asText()).isEqualTo("READY");
    }

    @Test
    void authorisationCommandsAreFewAMinute() {
        ready();
        for (int i = 0; i < 5; i++) {
            assertError(send("AUTHENTICATE", Map.of("access_token", "guess-" + i), null), "AUTHENTICATE", RpcError.INVALID_TOKEN);
        }
        c.receive("{\"cmd\":\"AUTHENTICATE\",\"args\":{\"access_token\":\"guess-6\"},\"nonce\":\"x\"}");
        assertThat(peer.closed).isEqualTo(RpcCloseCode.RATE_LIMITED);
    }

    @Test
    void oneAuthorizeWaitsForThePersonAtATime() {
        ready();
        java.util.concurrent.CompletableFuture<String> person = new java.util.concurrent.CompletableFuture<>();
        FakeAccount slow = new FakeAccount() {
            @Override
            public java.util.concurrent.CompletableFuture<String> authorize(RpcApplication application, List<String> scopes) {
                return person;
            }
        };
        Recorder p = new Recorder();
        RpcConnection conn = new RpcConnection(6, RpcConnection.Transport.IPC, p, slow, Runnable::run, now::get,
                RpcConnection.Limits.DEFAULT, new RpcConnection.Listener() {});
        conn.handshake("1", Long.toString(APP), null, null);
        conn.receive("{\"cmd\":\"AUTHORIZE\",\"args\":{\"client_id\":\"500\",\"scopes\":[\"rpc\"]},\"nonce\":\"a\"}");
        conn.receive("{\"cmd\":\"AUTHORIZE\",\"args\":{\"client_id\":\"500\",\"scopes\":[\"rpc\"]},\"nonce\":\"b\"}");
        assertThat(p.last().get("nonce").asText()).isEqualTo("b");
        assertThat(p.last().at("/data/code").asInt()).isEqualTo(4000);
        person.complete("the-code");
        assertThat(p.last().at("/data/code").asText()).isEqualTo("the-code");
        conn.receive("{\"cmd\":\"AUTHORIZE\",\"args\":{\"client_id\":\"500\",\"scopes\":[\"rpc\"]},\"nonce\":\"c\"}");
        assertThat(p.last().at("/data/code").asText()).as("the next may ask again").isEqualTo("the-code");
    }

    @Test
    void anotherTokenKeepsOnlyTheSubscriptionsItAllows() {
        authenticated("rpc", "messages.read");
        ok(send("SUBSCRIBE", Map.of("channel_id", Long.toString(TEXT)), "MESSAGE_CREATE"));
        account.grant("voice-only", APP, PERSON, "rpc.voice.read");
        ok(send("AUTHENTICATE", Map.of("access_token", "voice-only"), null));
        assertThat(c.subscriptions()).isEmpty();
        peer.sent.clear();
        c.deliver(RpcEvent.MESSAGE_CREATE, TEXT, JsonNodeFactory.instance.objectNode());
        assertThat(peer.sent).isEmpty();
    }

    @Test
    void anExpiredTokenAllowsNothingMore() {
        account.expiresAt = now.get() + 60_000;
        authenticated("rpc");
        ok(send("SUBSCRIBE", Map.of(), "GUILD_CREATE"));
        now.addAndGet(60_000);
        assertError(send("GET_GUILDS", Map.of(), null), "GET_GUILDS", RpcError.INVALID_PERMISSIONS);
        peer.sent.clear();
        c.deliver(RpcEvent.GUILD_CREATE, null, JsonNodeFactory.instance.objectNode());
        assertThat(peer.sent).as("its subscriptions go quiet").isEmpty();
    }

    @Test
    void aSelectionThatTimesOutLeavesThePersonWhereTheyWere() {
        authenticated("rpc");
        account.voiceChannel = OTHER_VOICE;
        account.joinHangs = true;
        assertError(send("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(VOICE), "timeout", 0.2, "force", true), null),
                "SELECT_VOICE_CHANNEL", RpcError.SELECT_CHANNEL_TIMED_OUT);
        assertThat(account.leaves).as("the channel they were in is not taken from them").isZero();
        assertThat(account.voiceChannel).isEqualTo(OTHER_VOICE);
        assertThat(account.pendingJoin.isDone()).as("the account's own wait is not this command's to fail").isFalse();
    }

    @Test
    void timestampsInSecondsBecomeMilliseconds() {
        ready();
        JsonNode seconds = ok(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("timestamps", Map.of("start", 1_765_000_000,
                "end", 1_765_003_600))), null));
        assertThat(seconds.at("/timestamps/start").asLong()).isEqualTo(1_765_000_000_000L);
        assertThat(seconds.at("/timestamps/end").asLong()).isEqualTo(1_765_003_600_000L);
        JsonNode millis = ok(send("SET_ACTIVITY", Map.of("pid", 42, "activity", Map.of("timestamps", Map.of("start", 1_765_000_000_123L))),
                null));
        assertThat(millis.at("/timestamps/start").asLong()).isEqualTo(1_765_000_000_123L);
    }
}
