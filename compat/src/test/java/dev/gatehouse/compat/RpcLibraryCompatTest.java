package dev.gatehouse.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.rpc.agent.Approver;
import dev.gatehouse.rpc.agent.RpcAgent;
import dev.gatehouse.rpc.agent.RpcConfig;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.rpc.transport.WsServer;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unmodified RPC client libraries against the agent: npm {@code discord-rpc} 4.0.1 over IPC and
 * WebSocket, {@code @xhayper/discord-rpc} 1.5.1 over IPC (its only transport). Rich Presence is
 * checked where it lands, in a bot's PRESENCE_UPDATE; the OAuth2 flow (AUTHORIZE, the library's
 * own token exchange with the server, AUTHENTICATE) and a message subscription run end to end.
 * Both libraries default their API base to Discord's host but let it be set on the instance, which
 * the script does.
 */
class RpcLibraryCompatTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "https://chess.example";
    static final Duration WAIT = Duration.ofSeconds(30);
    static TestServer server;
    static ApiClient api;
    static Account person;
    static Account friend;
    static Account bot;
    static String secret;
    static long text;
    static Path ipcDir;
    static RpcAgent agent;
    /** The bot's one gateway session for the class: a bot's identifies are paced, one per five seconds. */
    static GatewayTestClient watcher;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        api = server.api();
        person = api.register("rpcperson");
        friend = api.register("rpcfriend");
        Account developer = api.register("rpcdev");
        long guild = api.createGuild(person, "Chess Club").get("id").asLong();
        text = api.firstTextChannel(guild, person.token());
        String invite = api.post("/channels/" + text + "/invites", person.token(), Map.of()).json().get("code").asText();
        assertThat(api.post("/invites/" + invite, friend.token(), null).status()).isEqualTo(200);
        bot = api.createBot(developer, "Chess");
        assertThat(api.patch("/applications/" + bot.id(), developer.token(), Map.of("flags", 1 << 12, "rpc_origins", List.of(ORIGIN)))
                .status()).isEqualTo(200);
        secret = api.post("/applications/" + bot.id() + "/reset", developer.token(), null).json().get("secret").asText();
        assertThat(api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", person.token(),
                Map.of("guild_id", Long.toString(guild), "authorize", true)).status()).isEqualTo(200);

        ipcDir = Files.createTempDirectory("rpc-compat");
        // discord-rpc's WebSocket looks on 6463 to 6472 only, as on a desktop
        agent = RpcAgent.start(new RpcConfig(URI.create(server.baseUrl()), person.token(), ipcDir, "127.0.0.1",
                WsServer.DEFAULT_BASE_PORT, RpcConnection.Limits.DEFAULT), Approver.allowing(id -> id == bot.id()));
        watcher = watcher();
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    /** One run of {@code js/rpc-program.js}: its JSON lines, and its stdin to end it. */
    static final class Program implements AutoCloseable {
        final Process process;
        final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();

        Program(String library, String transport, Map<String, String> extra) {
            ProcessBuilder pb = new ProcessBuilder("node", "rpc-program.js").directory(NodeBot.SCRIPTS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Map<String, String> env = new HashMap<>(extra);
            env.put("LIBRARY", library);
            env.put("TRANSPORT", transport);
            env.put("CLIENT_ID", Long.toString(bot.id()));
            env.put("XDG_RUNTIME_DIR", ipcDir.toString());
            // discord-rpc appends the route to its endpoint; @discordjs/rest (xhayper) adds /v10 itself
            env.put("API_BASE", server.baseUrl() + (library.equals("discord-rpc") ? "/api/v10" : "/api"));
            pb.environment().putAll(env);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start node", e);
            }
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("{")) {
                            lines.add(JSON.readTree(line));
                        } else {
                            System.out.println("[rpc-program] " + line);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        JsonNode await(String event) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                JsonNode n = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (n == null) {
                    throw new AssertionError("the program did not report " + event);
                }
                if (n.path("event").asText().equals("failed")) {
                    throw new AssertionError("the program failed: " + n);
                }
                if (n.path("event").asText().equals(event)) {
                    return n;
                }
            }
        }

        void say(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static GatewayTestClient watcher() {
        GatewayTestClient g = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")), "v=10&encoding=json");
        g.next(Duration.ofSeconds(5));
        g.identify(CompatWorld.rawToken(bot), 1L | 1L << 8);
        g.nextDispatch("READY", Duration.ofSeconds(5));
        return g;
    }

    static JsonNode presenceOf(GatewayTestClient watcher, long userId) {
        while (true) {
            JsonNode d = watcher.nextDispatch("PRESENCE_UPDATE", WAIT).get("d");
            if (d.at("/user/id").asText().equals(Long.toString(userId))) {
                return d;
            }
        }
    }

    void richPresence(String library, String transport) throws Exception {
        try (Program program = new Program(library, transport, Map.of("ORIGIN", ORIGIN))) {
            JsonNode ready = program.await("ready");
            assertThat(ready.at("/user/id").asText()).isEqualTo(Long.toString(person.id()));
            program.await("activity");

            JsonNode activity = presenceOf(watcher, person.id()).at("/activities/0");
            assertThat(activity.get("application_id").asText()).isEqualTo(Long.toString(bot.id()));
            assertThat(activity.get("name").asText()).isEqualTo("Chess");
            assertThat(activity.get("details").asText()).isEqualTo("Ranked match");
            assertThat(activity.get("state").asText()).isEqualTo("Move 12");
            assertThat(activity.at("/timestamps/start").asLong()).isEqualTo(1_765_000_000_000L);
            assertThat(activity.at("/assets/large_image").asText()).isEqualTo("board");
            assertThat(activity.at("/buttons/0").asText()).isEqualTo("Watch");

            program.say("clear");
            program.await("cleared");
            assertThat(presenceOf(watcher, person.id()).get("activities")).isEmpty();
        }
    }

    void authorizeAndSubscribe(String library) throws Exception {
        Map<String, String> env = Map.of("CLIENT_SECRET", secret, "SCOPES", "rpc,identify,messages.read", "CHANNEL_ID", Long.toString(text));
        try (Program program = new Program(library, "ipc", env)) {
            assertThat(program.await("ready").at("/user/id").asText()).isEqualTo(Long.toString(person.id()));
            assertThat(program.await("guilds").get("ids")).isNotEmpty();
            program.await("subscribed");
            assertThat(api.post("/channels/" + text + "/messages", friend.token(), Map.of("content", "check, " + library)).status())
                    .isEqualTo(200);
            JsonNode message = program.await("message");
            assertThat(message.get("channel_id").asText()).isEqualTo(Long.toString(text));
            assertThat(message.get("content").asText()).isEqualTo("check, " + library);
        }
    }

    @Test
    void discordRpcShowsRichPresenceOverIpc() throws Exception {
        richPresence("discord-rpc", "ipc");
    }

    @Test
    void discordRpcShowsRichPresenceOverWebSocket() throws Exception {
        richPresence("discord-rpc", "websocket");
    }

    @Test
    void xhayperShowsRichPresenceOverIpc() throws Exception {
        richPresence("xhayper", "ipc");
    }

    @Test
    void discordRpcAuthorizesAuthenticatesAndSubscribes() throws Exception {
        authorizeAndSubscribe("discord-rpc");
    }

    @Test
    void xhayperAuthorizesAuthenticatesAndSubscribes() throws Exception {
        authorizeAndSubscribe("xhayper");
    }
}
