package dev.gatehouse.rpc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent against a real server: a person's agent, a developer's application with a bot in the
 * person's guild, a friend who posts. Programs speak to the agent over both transports.
 */
class RpcAgentTest {

    static final String ORIGIN = "https://chess.example";
    static final long PRESENCE_INTENTS = 1L | 1L << 8 | 1L << 7;
    static TestServer server;
    static ApiClient api;
    static Account person;
    static Account friend;
    static Account developer;
    static Account bot;
    static String secret;
    static long guild;
    static long text;
    static long voice;
    static RpcAgent agent;
    static Path ipcDir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        api = server.api();
        ApiClient.Response registered = api.post("/auth/register", null, Map.of("username", "rpc_person", "password", "password-rpc-person",
                "email", "rpc_person@example.org"));
        person = new Account(registered.json().get("user_id").asLong(), registered.json().get("token").asText(), "rpc_person");
        friend = api.register("friend");
        developer = api.register("dev");
        guild = api.createGuild(person, "Club").get("id").asLong();
        text = api.firstTextChannel(guild, person.token());
        voice = api.post("/guilds/" + guild + "/channels", person.token(), Map.of("name", "Lounge", "type", 2)).json().get("id").asLong();
        String invite = api.post("/channels/" + text + "/invites", person.token(), Map.of()).json().get("code").asText();
        assertThat(api.post("/invites/" + invite, friend.token(), null).status()).isEqualTo(200);

        bot = api.createBot(developer, "Chess");
        assertThat(api.patch("/applications/" + bot.id(), developer.token(), Map.of("flags", 1 << 12, "rpc_origins", List.of(ORIGIN)))
                .status()).isEqualTo(200);
        secret = api.post("/applications/" + bot.id() + "/reset", developer.token(), null).json().get("secret").asText();
        assertThat(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", person.token(),
                Map.of("guild_id", Long.toString(guild), "authorize", true)).status()).isEqualTo(200);

        ipcDir = Files.createTempDirectory("rpc-ipc");
        RpcConfig config = new RpcConfig(URI.create(server.baseUrl()), person.token(), ipcDir, "127.0.0.1", 0,
                new RpcConnection.Limits(40, 2_000, 5, 1_000));
        agent = RpcAgent.start(config, Approver.allowing(id -> id == bot.id()));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    static IpcProgram ipc() {
        IpcProgram p = IpcProgram.handshake(agent.ipcPath().orElseThrow(), "1", Long.toString(bot.id()));
        JsonNode ready = p.dispatch("READY");
        assertThat(ready.at("/data/user/id").asText()).isEqualTo(Long.toString(person.id()));
        assertThat(ready.at("/data/user").has("email")).as("no program learns the email unasked").isFalse();
        return p;
    }

    static GatewayTestClient botGateway() {
        GatewayTestClient g = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")), "v=10&encoding=json");
        g.next(Duration.ofSeconds(5)); // hello
        g.identify(bot.token().substring(4), PRESENCE_INTENTS);
        g.nextDispatch("READY", Duration.ofSeconds(5));
        return g;
    }

    /** AUTHORIZE over RPC, the code exchanged at the token endpoint as the application's backend does, then AUTHENTICATE. */
    static String authenticate(ProgramClient p, List<String> scopes) throws Exception {
        JsonNode code = p.call("AUTHORIZE", Map.of("client_id", Long.toString(bot.id()), "scopes", scopes), null);
        assertThat(code.get("evt").isNull()).as(code.toString()).isTrue();
        String form = Map.of("grant_type", "authorization_code", "code", code.at("/data/code").asText(), "client_id", Long.toString(bot.id()),
                        "client_secret", secret).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v10/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String token = dev.gatehouse.protocol.Json.mapper().readTree(r.body()).get("access_token").asText();
        JsonNode auth = p.call("AUTHENTICATE", Map.of("access_token", token), null);
        assertThat(auth.get("evt").isNull()).as(auth.toString()).isTrue();
        assertThat(auth.at("/data/user/id").asText()).isEqualTo(Long.toString(person.id()));
        assertThat(auth.at("/data/application/id").asText()).isEqualTo(Long.toString(bot.id()));
        return token;
    }

    @Test
    void aProgramsRichPresenceReachesTheGuildAndLeavesWithIt() {
        try (GatewayTestClient watcher = botGateway(); IpcProgram program = ipc()) {
            JsonNode set = program.call("SET_ACTIVITY", Map.of("pid", 4242, "activity", Map.of(
                    "details", "Ranked match", "state", "Move 12", "timestamps", Map.of("start", 1_765_000_000_000L),
                    "assets", Map.of("large_image", "board", "large_text", "The board"),
                    "buttons", List.of(Map.of("label", "Watch", "url", "https://chess.example/watch")))), null);
            assertThat(set.get("evt").isNull()).as(set.toString()).isTrue();

            JsonNode presence = presenceOf(watcher, person.id());
            JsonNode activity = presence.at("/activities/0");
            assertThat(activity.get("application_id").asText()).isEqualTo(Long.toString(bot.id()));
            assertThat(activity.get("name").asText()).isEqualTo("Chess");
            assertThat(activity.get("details").asText()).isEqualTo("Ranked match");
            assertThat(activity.at("/timestamps/start").asLong()).isEqualTo(1_765_000_000_000L);
            assertThat(activity.at("/assets/large_text").asText()).isEqualTo("The board");
            assertThat(activity.at("/buttons/0").asText()).isEqualTo("Watch");

            program.close();
            JsonNode cleared = presenceOf(watcher, person.id());
            assertThat(cleared.get("activities")).as("the program is gone, so is its presence").isEmpty();
        }
    }

    static JsonNode presenceOf(GatewayTestClient watcher, long userId) {
        while (true) {
            JsonNode d = watcher.nextDispatch("PRESENCE_UPDATE", Duration.ofSeconds(10)).get("d");
            if (d.at("/user/id").asText().equals(Long.toString(userId))) {
                return d;
            }
        }
    }

    @Test
    void anAuthenticatedProgramReadsAndGetsTheMessagesOfItsChannel() throws Exception {
        try (IpcProgram program = ipc()) {
            assertThat(program.call("GET_GUILDS", Map.of(), null).at("/data/code").asInt()).as("no token yet").isEqualTo(4006);
            authenticate(program, List.of("rpc", "identify", "messages.read"));

            JsonNode guilds = program.call("GET_GUILDS", Map.of(), null).get("data").get("guilds");
            assertThat(guilds).extracting(g -> g.get("id").asText()).contains(Long.toString(guild));
            JsonNode channels = program.call("GET_CHANNELS", Map.of("guild_id", Long.toString(guild)), null).at("/data/channels");
            assertThat(channels).extracting(c -> c.get("id").asText()).contains(Long.toString(text), Long.toString(voice));
            assertThat(program.call("GET_GUILD", Map.of("guild_id", "12345"), null).at("/data/code").asInt()).isEqualTo(4003);
            assertThat(program.call("GET_CHANNEL", Map.of("channel_id", "12345"), null).at("/data/code").asInt()).isEqualTo(4005);

            JsonNode sub = program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(text)), "MESSAGE_CREATE");
            assertThat(sub.at("/data/evt").asText()).isEqualTo("MESSAGE_CREATE");
            assertThat(api.post("/channels/" + text + "/messages", friend.token(), Map.of("content", "your move")).status()).isEqualTo(200);
            JsonNode event = program.dispatch("MESSAGE_CREATE");
            assertThat(event.at("/data/channel_id").asText()).isEqualTo(Long.toString(text));
            assertThat(event.at("/data/message/content").asText()).isEqualTo("your move");
            assertThat(event.at("/data/message/author/id").asText()).isEqualTo(Long.toString(friend.id()));

            JsonNode channel = program.call("GET_CHANNEL", Map.of("channel_id", Long.toString(text)), null).get("data");
            assertThat(channel.at("/messages/0/content").asText()).isEqualTo("your move");
        }
    }

    @Test
    void thePersonsSessionBecomesTheEventsProgramsSubscribedTo() throws Exception {
        try (IpcProgram program = ipc()) {
            authenticate(program, List.of("rpc", "messages.read", "rpc.notifications.read"));
            for (String evt : List.of("GUILD_CREATE", "CHANNEL_CREATE", "NOTIFICATION_CREATE", "VOICE_CHANNEL_SELECT")) {
                assertThat(program.call("SUBSCRIBE", Map.of(), evt).get("evt").isNull()).as(evt).isTrue();
            }
            program.call("SUBSCRIBE", Map.of("guild_id", Long.toString(guild)), "GUILD_STATUS");
            for (String evt : List.of("MESSAGE_UPDATE", "MESSAGE_DELETE")) {
                program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(text)), evt);
            }
            for (String evt : List.of("VOICE_STATE_CREATE", "VOICE_STATE_UPDATE", "VOICE_STATE_DELETE")) {
                program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(voice)), evt);
            }

            assertThat(api.patch("/guilds/" + guild, person.token(), Map.of("name", "Club Renamed")).status()).isEqualTo(200);
            JsonNode status = program.dispatch("GUILD_STATUS");
            assertThat(status.at("/data/guild/name").asText()).isEqualTo("Club Renamed");
            assertThat(status.at("/data/online").asInt()).as("the person's own session, at least").isPositive();
            api.patch("/guilds/" + guild, person.token(), Map.of("name", "Club"));

            api.post("/guilds/" + guild + "/channels", person.token(), Map.of("name", "openings"));
            assertThat(program.dispatch("CHANNEL_CREATE").at("/data/name").asText()).isEqualTo("openings");

            long other = api.createGuild(developer, "Dev Corner").get("id").asLong();
            String invite = api.post("/channels/" + api.firstTextChannel(other, developer.token()) + "/invites", developer.token(), Map.of())
                    .json().get("code").asText();
            api.post("/invites/" + invite, person.token(), null);
            JsonNode joined = program.dispatch("GUILD_CREATE");
            assertThat(joined.at("/data/id").asText()).isEqualTo(Long.toString(other));
            assertThat(joined.at("/data/name").asText()).isEqualTo("Dev Corner");

            JsonNode posted = api.post("/channels/" + text + "/messages", friend.token(), Map.of("content", "<@" + person.id() + "> your turn"))
                    .json();
            JsonNode notification = program.dispatch("NOTIFICATION_CREATE");
            assertThat(notification.at("/data/body").asText()).isEqualTo("<@" + person.id() + "> your turn");
            assertThat(notification.at("/data/title").asText()).isEqualTo(friend.username());
            assertThat(notification.at("/data/channel_id").asText()).isEqualTo(Long.toString(text));
            api.post("/channels/" + text + "/messages", person.token(), Map.of("content", "<@" + person.id() + "> note to self"));
            String messageId = posted.get("id").asText();
            api.patch("/channels/" + text + "/messages/" + messageId, friend.token(), Map.of("content", "your turn!"));
            assertThat(program.dispatch("MESSAGE_UPDATE").at("/data/message/content").asText()).isEqualTo("your turn!");
            api.delete("/channels/" + text + "/messages/" + messageId, friend.token());
            assertThat(program.dispatch("MESSAGE_DELETE").at("/data/message/id").asText()).isEqualTo(messageId);
            assertThat(program.quietFor(m -> m.path("evt").asText().equals("NOTIFICATION_CREATE"), Duration.ofMillis(300)))
                    .as("no notification for the person's own message").isTrue();

            try (GatewayTestClient friendGateway = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")),
                    "v=10&encoding=json")) {
                friendGateway.next(Duration.ofSeconds(5));
                friendGateway.identify(friend.token(), 1L | 1L << 7);
                friendGateway.nextDispatch("READY", Duration.ofSeconds(5));
                Map<String, Object> join = new java.util.HashMap<>(Map.of("guild_id", Long.toString(guild), "channel_id", Long.toString(voice),
                        "self_mute", false, "self_deaf", false));
                friendGateway.send(Map.of("op", 4, "d", join));
                assertThat(program.dispatch("VOICE_STATE_CREATE").at("/data/user/id").asText()).isEqualTo(Long.toString(friend.id()));
                join.put("self_mute", true);
                friendGateway.send(Map.of("op", 4, "d", join));
                JsonNode muted = program.dispatch("VOICE_STATE_UPDATE");
                assertThat(muted.at("/data/voice_state/self_mute").asBoolean()).isTrue();
                join.put("channel_id", null);
                friendGateway.send(Map.of("op", 4, "d", join));
                assertThat(program.dispatch("VOICE_STATE_DELETE").at("/data/user/id").asText()).isEqualTo(Long.toString(friend.id()));
            }
            assertThat(program.quietFor(m -> m.path("evt").asText().equals("VOICE_CHANNEL_SELECT"), Duration.ofMillis(200)))
                    .as("someone else's voice is not the person's selection").isTrue();
        }
    }

    @Test
    void revokingTheTokenClosesTheProgramWith4003() throws Exception {
        try (IpcProgram program = ipc(); WsProgram other = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id(), ORIGIN)) {
            other.dispatch("READY");
            String token = authenticate(program, List.of("rpc"));
            authenticate(other, List.of("rpc"));
            String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&client_id=" + bot.id() + "&client_secret=" + secret;
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl() + "/api/v10/oauth2/token/revoke"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(program.awaitClose()).isEqualTo(4003);
            assertThat(other.call("GET_GUILDS", Map.of(), null).get("evt").isNull()).as("its own token still works").isTrue();
        }
    }

    @Test
    void selectingAVoiceChannelJoinsThePerson() throws Exception {
        try (IpcProgram program = ipc()) {
            authenticate(program, List.of("rpc"));
            program.call("SUBSCRIBE", Map.of(), "VOICE_CHANNEL_SELECT");
            program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(voice)), "VOICE_STATE_CREATE");
            JsonNode joined = program.call("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(voice)), null);
            assertThat(joined.at("/data/id").asText()).as(joined.toString()).isEqualTo(Long.toString(voice));
            assertThat(program.dispatch("VOICE_CHANNEL_SELECT").at("/data/channel_id").asText()).isEqualTo(Long.toString(voice));
            assertThat(program.dispatch("VOICE_STATE_CREATE").at("/data/user/id").asText()).isEqualTo(Long.toString(person.id()));
            assertThat(program.call("GET_SELECTED_VOICE_CHANNEL", Map.of(), null).at("/data/voice_states/0/user/id").asText())
                    .isEqualTo(Long.toString(person.id()));
            assertThat(program.call("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(text)), null).at("/data/code").asInt())
                    .isEqualTo(4005);
            JsonNode left = program.call("SELECT_VOICE_CHANNEL", java.util.Collections.singletonMap("channel_id", null), null);
            assertThat(left.get("evt").isNull()).isTrue();
            assertThat(program.dispatch("VOICE_CHANNEL_SELECT").at("/data/channel_id").isNull()).isTrue();
        }
    }

    @Test
    void whoSpeaksInThePersonsChannelReachesSubscribedPrograms() throws Exception {
        try (IpcProgram program = ipc()) {
            authenticate(program, List.of("rpc"));
            program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(voice)), "SPEAKING_START");
            program.call("SUBSCRIBE", Map.of("channel_id", Long.toString(voice)), "SPEAKING_STOP");
            JsonNode joined = program.call("SELECT_VOICE_CHANNEL", Map.of("channel_id", Long.toString(voice), "force", true), null);
            assertThat(joined.get("evt").isNull()).as(joined.toString()).isTrue();

            // the friend joins the same channel with an ordinary voice connection and speaks
            try (GatewayTestClient friendGateway = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")),
                    "v=10&encoding=json")) {
                friendGateway.next(Duration.ofSeconds(5));
                friendGateway.identify(friend.token(), 1L | 1L << 7);
                String sessionId = friendGateway.nextDispatch("READY", Duration.ofSeconds(5)).at("/d/session_id").asText();
                friendGateway.send(Map.of("op", 4, "d", Map.of("guild_id", Long.toString(guild), "channel_id", Long.toString(voice),
                        "self_mute", false, "self_deaf", false)));
                JsonNode server = friendGateway.nextDispatch("VOICE_SERVER_UPDATE", Duration.ofSeconds(5)).get("d");
                BlockingQueueSocket friendVoice = new BlockingQueueSocket(URI.create("ws://" + server.get("endpoint").asText() + "/?v=8"));
                friendVoice.send("{\"op\":0,\"d\":{\"server_id\":\"" + guild + "\",\"user_id\":\"" + friend.id() + "\",\"session_id\":\""
                        + sessionId + "\",\"token\":\"" + server.get("token").asText() + "\",\"max_dave_protocol_version\":0}}");
                friendVoice.awaitOp(2);
                friendVoice.send("{\"op\":5,\"d\":{\"speaking\":1,\"delay\":0,\"ssrc\":0}}");
                JsonNode start = program.dispatch("SPEAKING_START");
                assertThat(start.at("/data/user_id").asText()).isEqualTo(Long.toString(friend.id()));
                friendVoice.send("{\"op\":5,\"d\":{\"speaking\":0,\"delay\":0,\"ssrc\":0}}");
                assertThat(program.dispatch("SPEAKING_STOP").at("/data/user_id").asText()).isEqualTo(Long.toString(friend.id()));
                friendVoice.close();
            }
            program.call("SELECT_VOICE_CHANNEL", java.util.Collections.singletonMap("channel_id", null), null);
        }
    }

    /** A bare voice gateway client (the JDK's WebSocket): what a friend's desktop client sends. */
    static final class BlockingQueueSocket implements AutoCloseable {
        final java.util.concurrent.BlockingQueue<JsonNode> in = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.net.http.WebSocket ws;

        BlockingQueueSocket(URI uri) throws Exception {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new java.net.http.WebSocket.Listener() {
                final StringBuilder partial = new StringBuilder();

                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        try {
                            in.add(dev.gatehouse.protocol.Json.mapper().readTree(partial.toString()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        partial.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        JsonNode awaitOp(int op) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                JsonNode m = in.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (m != null && m.path("op").asInt() == op) {
                    return m;
                }
            }
            throw new AssertionError("no voice op " + op);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    @Test
    void theWebSocketChecksItsHandshake() {
        record Case(String query, String origin, int code) {}
        for (Case k : List.of(
                new Case("v=1&client_id=" + bot.id() + "&encoding=json", "https://evil.example", 4001),
                new Case("v=2&client_id=" + bot.id(), ORIGIN, 4004),
                new Case("client_id=" + bot.id(), ORIGIN, 4004),
                new Case("v=1&client_id=" + bot.id() + "&encoding=etf", ORIGIN, 4005),
                new Case("v=1&client_id=1234", null, 4000),
                new Case("v=1", null, 4000))) {
            try (WsProgram p = new WsProgram(agent.wsPort(), k.query(), k.origin())) {
                assertThat(p.awaitClose()).as(k.toString()).isEqualTo(k.code());
            }
        }
        for (String origin : new String[] {ORIGIN, null}) {
            try (WsProgram p = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id() + "&encoding=json", origin)) {
                assertThat(p.dispatch("READY").at("/data/config/api_endpoint").asText()).endsWith("/api");
                assertThat(p.call("SET_ACTIVITY", Map.of("pid", 1), null).get("evt").isNull()).isTrue();
            }
        }
    }

    @Test
    void badInputOnTheWebSocketGetsItsCodeAndTheAgentCarriesOn() throws Exception {
        try (WsProgram p = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id(), ORIGIN)) {
            p.dispatch("READY");
            p.sendText("{\"cmd\":");
            assertThat(p.next(m -> m.path("evt").asText().equals("ERROR"), "error").at("/data/code").asInt()).isEqualTo(4000);
            p.sendBinary(new byte[] {1, 2, 3});
            assertThat(p.awaitClose()).isEqualTo(1003);
        }
        try (WsProgram p = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id(), ORIGIN)) {
            p.dispatch("READY");
            p.sendText("{\"cmd\":\"SET_ACTIVITY\",\"nonce\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(p.awaitClose()).isEqualTo(1009);
        }
        try (WsProgram p = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id(), ORIGIN)) {
            p.dispatch("READY");
            for (int i = 0; i < 60 && p.closeCode == null; i++) {
                p.sendText("{\"cmd\":\"GET_VOICE_SETTINGS\",\"nonce\":\"" + i + "\"}");
            }
            assertThat(p.awaitClose()).isEqualTo(4002);
        }
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.wsPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("Discord's port probe").isEqualTo(404);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.wsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gatehouse_rpc_commands_total{code=\"4000\"", "gatehouse_rpc_closes_total{code=\"4002\"",
                "gatehouse_rpc_closes_total{code=\"1009\"", "gatehouse_rpc_connections{transport=\"websocket\"}");
        try (WsProgram p = new WsProgram(agent.wsPort(), "v=1&client_id=" + bot.id(), ORIGIN)) {
            p.dispatch("READY");
        }
    }

    @Test
    void badInputOnTheSocketGetsItsCodeAndTheAgentCarriesOn() {
        Path path = agent.ipcPath().orElseThrow();
        try (IpcProgram p = new IpcProgram(path)) {
            p.frame(1, "{\"cmd\":\"GET_GUILDS\",\"nonce\":\"1\"}");
            assertThat(p.awaitClose()).as("a frame before the handshake").isEqualTo(4000);
        }
        try (IpcProgram p = new IpcProgram(path)) {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(10_000_000);
            p.raw(header.flip());
            assertThat(p.awaitClose()).as("a frame announced over 64 KiB").isEqualTo(1009);
        }
        try (IpcProgram p = new IpcProgram(path)) {
            p.frame(9, "{}");
            assertThat(p.awaitClose()).as("an unknown opcode").isEqualTo(1003);
        }
        try (IpcProgram p = new IpcProgram(path)) {
            long start = System.nanoTime();
            assertThat(p.awaitClose()).as("a program that never says hello").isEqualTo(4000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(800));
        }
        try (IpcProgram p = new IpcProgram(path)) {
            p.frame(0, "not json");
            assertThat(p.awaitClose()).isEqualTo(4004);
        }
        try (IpcProgram p = IpcProgram.handshake(path, "3", Long.toString(bot.id()))) {
            assertThat(p.awaitClose()).isEqualTo(4004);
        }
        try (IpcProgram p = IpcProgram.handshake(path, "1", "77")) {
            assertThat(p.awaitClose()).isEqualTo(4000);
        }
        try (IpcProgram p = ipc()) {
            p.sendText("]]");
            assertThat(p.next(m -> m.path("evt").asText().equals("ERROR"), "error").at("/data/code").asInt()).isEqualTo(4000);
            p.frame(3, "\"ping-1\"");
            assertThat(p.next(m -> m.has("pong"), "pong").get("pong").asText()).isEqualTo("ping-1");
            for (int i = 0; i < 60 && p.closeCode == null; i++) {
                p.sendText("{\"cmd\":\"GET_VOICE_SETTINGS\",\"nonce\":\"" + i + "\"}");
            }
            assertThat(p.awaitClose()).isEqualTo(4002);
        }
        try (IpcProgram p = ipc()) {
            assertThat(p.call("SET_ACTIVITY", Map.of("pid", 7), null).get("evt").isNull()).as("the agent carries on").isTrue();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (agent.onLoop(() -> agent.hub().connections().size()) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(agent.onLoop(() -> agent.hub().connections().size())).as("nothing left behind").isZero();
    }

    @Test
    void theAgentTakesAtMost64Programs() {
        Path path = agent.ipcPath().orElseThrow();
        List<IpcProgram> programs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < RpcHub.MAX_CONNECTIONS; i++) {
                programs.add(IpcProgram.handshake(path, "1", Long.toString(bot.id())));
            }
            for (IpcProgram p : programs) {
                p.dispatch("READY");
            }
            try (IpcProgram extra = new IpcProgram(path)) {
                assertThat(extra.awaitClose()).isEqualTo(4002);
            }
        } finally {
            programs.forEach(IpcProgram::close);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (agent.onLoop(() -> agent.hub().connections().size()) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        try (IpcProgram again = ipc()) {
            assertThat(again.call("SET_ACTIVITY", Map.of("pid", 9), null).get("evt").isNull()).isTrue();
        }
    }

    @Test
    void theAgentStopsWhenThePersonsSessionCannotGoOn() throws Exception {
        ApiClient.Response registered = api.post("/auth/register", null, Map.of("username", "short_lived", "password", "password-short-lived"));
        Account shortLived = new Account(registered.json().get("user_id").asLong(), registered.json().get("token").asText(), "short_lived");
        Path dir = Files.createTempDirectory("rpc-stop");
        RpcAgent own = RpcAgent.start(new RpcConfig(URI.create(server.baseUrl()), shortLived.token(), dir, "127.0.0.1", -1,
                RpcConnection.Limits.DEFAULT), Approver.allowing(id -> false));
        try (IpcProgram p = IpcProgram.handshake(own.ipcPath().orElseThrow(), "1", Long.toString(bot.id()))) {
            p.dispatch("READY");
            // the person's tokens revoked (a reset), then the session must reconnect: its resume is refused
            server.server().platform().context().store().write(tx -> tx.tokens().deleteAllOf(shortLived.id()));
            server.server().gateway().reconnect(shortLived.id(), "test").join();
            assertThat(own.stopped().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4004);
            assertThat(p.awaitClose()).as("its programs are told").isEqualTo(1000);
        } finally {
            own.close();
        }
    }

    @Test
    void aSecondAgentTakesTheNextSocket() throws Exception {
        RpcConfig config = new RpcConfig(URI.create(server.baseUrl()), person.token(), ipcDir, "127.0.0.1", 0,
                RpcConnection.Limits.DEFAULT);
        try (RpcAgent second = RpcAgent.start(config, Approver.allowing(id -> false))) {
            assertThat(second.ipcPath().orElseThrow().getFileName().toString()).isEqualTo("discord-ipc-1");
            assertThat(agent.ipcPath().orElseThrow().getFileName().toString()).isEqualTo("discord-ipc-0");
            IpcProgram p = IpcProgram.handshake(second.ipcPath().orElseThrow(), "1", Long.toString(bot.id()));
            p.dispatch("READY");
            JsonNode denied = p.call("AUTHORIZE", Map.of("client_id", Long.toString(bot.id()), "scopes", List.of("rpc")), null);
            assertThat(denied.at("/data/code").asInt()).as("the person said no").isEqualTo(5000);
            p.close();
        }
        assertThat(Files.exists(ipcDir.resolve("discord-ipc-1"))).as("removed on stop").isFalse();
        assertThat(Set.of(Files.getPosixFilePermissions(ipcDir.resolve("discord-ipc-0")).toArray()).toString()).doesNotContain("OTHERS");
    }
}
