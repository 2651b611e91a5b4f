package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.cli.Main;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestDatabases;
import dev.gatehouse.store.DatabaseConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gatehouse admin} against the database of a running server, every change checked through
 * that server's HTTP API.
 */
class AdminCommandTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    static DatabaseConfig database;
    static GatehouseServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws InterruptedException {
        database = TestDatabases.fresh();
        server = GatehouseServer.start(ServerConfig.defaults(database).withHost("127.0.0.1").withPort(0).withRateLimits(false));
        api = new ApiClient("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        if (database.schema() != null) {
            TestDatabases.drop(database);
        }
    }

    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + " / stderr: " + err, e);
            }
        }

        Run ok() {
            assertThat(code).as("exit code; stderr: " + err).isZero();
            assertThat(err).isEmpty();
            return this;
        }

        /** Refused: exit 2, one line on stderr, nothing on stdout, no stack trace. */
        Run refused() {
            assertThat(code).as("exit code; stdout: " + out).isEqualTo(2);
            assertThat(out).isEmpty();
            assertThat(err.lines().count()).as(err).isEqualTo(1);
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
            return this;
        }
    }

    /** Runs {@code gatehouse admin <args>} in this JVM on the server's database. */
    static Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.add("--database-url=" + database.url());
        all.add("--database-user=" + database.user());
        all.add("--database-password=" + database.password());
        if (database.schema() != null) {
            all.add("--database-schema=" + database.schema());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static String name(String prefix) {
        return prefix + NAMES.incrementAndGet();
    }

    /** A person made by the admin command: id and token. */
    static ApiClient.Account person(String prefix) {
        String username = name(prefix);
        JsonNode r = admin("create-user", "--username", username, "--password", "password-" + username, "--json").ok().json();
        return new ApiClient.Account(r.get("user_id").asLong(), r.get("token").asText(), username);
    }

    static ApiClient.Account bot(ApiClient.Account owner, String name) {
        JsonNode r = admin("create-bot", "--owner", owner.username(), "--name", name, "--json").ok().json();
        return new ApiClient.Account(r.get("application_id").asLong(), "Bot " + r.get("token").asText(), name);
    }

    @Test
    void createUserPrintsATokenTheApiAccepts() {
        String username = name("ada");
        Run run = admin("create-user", "--username", username, "--password", "correct-horse", "--email", username + "@example.org").ok();
        assertThat(run.out()).startsWith("created user " + username + " (id ");
        String token = run.out().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow().substring(7);

        var me = api.get("/users/@me", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo(username);
        assertThat(me.json().get("email").asText()).isEqualTo(username + "@example.org");
        assertThat(me.json().get("bot").asBoolean()).isFalse();
        // the password given works for a login through the API
        var login = api.post("/auth/login", null, Map.of("login", username, "password", "correct-horse"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("user_id").asText()).isEqualTo(me.json().get("id").asText());

        JsonNode json = admin("create-user", "--username", name("bea"), "--password", "correct-horse", "--json").ok().json();
        assertThat(json.get("user_id").isTextual()).isTrue();
        assertThat(api.get("/users/@me", json.get("token").asText()).json().get("id").asText()).isEqualTo(json.get("user_id").asText());
    }

    @Test
    void createUserValidatesAsTheApiDoesAndWritesNothingWhenRefused() {
        Run bad = admin("create-user", "--username", "x", "--password", "short", "--email", "not-an-email").refused();
        assertThat(bad.err()).contains("invalid input")
                .contains("--username: Must be between 2 and 32 in length.")
                .contains("--password: Must be between 8 and 128 in length.")
                .contains("--email: Not a well formed email address.");

        Run chars = admin("create-user", "--username", "no spaces", "--password", "long-enough-1").refused();
        assertThat(chars.err()).contains("--username: Username can only contain letters");
        assertThat(api.post("/auth/login", null, Map.of("login", "no spaces", "password", "long-enough-1")).status()).isEqualTo(400);

        ApiClient.Account taken = person("taken");
        Run again = admin("create-user", "--username", taken.username().toUpperCase(), "--password", "another-password").refused();
        assertThat(again.err()).contains("--username: Username is unavailable");
        // the first account is untouched: its password still logs in, the refused one does not
        assertThat(api.post("/auth/login", null, Map.of("login", taken.username(), "password", "password-" + taken.username())).status())
                .isEqualTo(200);
        assertThat(api.post("/auth/login", null, Map.of("login", taken.username(), "password", "another-password")).status())
                .isEqualTo(400);

        Run missing = admin("create-user", "--username", name("nopass"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--password=<password>'");
    }

    @Test
    void createBotPrintsTheBotTokenOnce() {
        ApiClient.Account owner = person("owner");
        Run run = admin("create-bot", "--owner", Long.toString(owner.id()), "--name", "Helper", "--description", "does chores").ok();
        assertThat(run.out()).contains("created bot application Helper").contains("owned by " + owner.username());
        String token = run.out().lines().filter(l -> l.startsWith("bot token: ")).findFirst().orElseThrow().substring(11);

        var me = api.get("/users/@me", "Bot " + token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("bot").asBoolean()).isTrue();
        assertThat(me.json().get("username").asText()).isEqualTo("Helper");
        long appId = me.json().get("id").asLong();
        var app = api.get("/applications/" + appId, owner.token());
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.json().get("owner").get("id").asLong()).isEqualTo(owner.id());
        assertThat(app.json().get("description").asText()).isEqualTo("does chores");

        JsonNode json = admin("create-bot", "--owner", owner.username(), "--name", "Second", "--json").ok().json();
        assertThat(json.get("application_id").asText()).isEqualTo(json.get("bot_user_id").asText());
        assertThat(json.get("owner_id").asLong()).isEqualTo(owner.id());
        assertThat(api.get("/applications/@me", "Bot " + json.get("token").asText()).json().get("name").asText()).isEqualTo("Second");
    }

    @Test
    void createBotRefusesUnknownOwnersBotOwnersAndBadNames() {
        assertThat(admin("create-bot", "--owner", "nobody_at_all", "--name", "Helper").refused().err())
                .contains("no user with id or username 'nobody_at_all'");
        assertThat(admin("create-bot", "--owner", "123456789", "--name", "Helper").refused().err())
                .contains("no user with id or username '123456789'");
        ApiClient.Account owner = person("botowner");
        ApiClient.Account bot = bot(owner, "Minion");
        assertThat(admin("create-bot", "--owner", Long.toString(bot.id()), "--name", "Grandchild").refused().err())
                .contains("the owner must be a person");
        assertThat(admin("create-bot", "--owner", owner.username(), "--name", "x").refused().err())
                .contains("--name: Must be between 2 and 32 in length.");
    }

    @Test
    void createGuildPrintsTheGuildAndItsChannels() {
        ApiClient.Account owner = person("guildowner");
        Run text = admin("create-guild", "--owner", owner.username(), "--name", "Ops Guild").ok();
        assertThat(text.out()).contains("created guild Ops Guild (id ").contains("channels:").contains(" text ").contains("general");

        JsonNode json = admin("create-guild", "--owner", Long.toString(owner.id()), "--name", "Second Guild", "--json").ok().json();
        long guildId = json.get("guild_id").asLong();
        assertThat(json.get("owner_id").asLong()).isEqualTo(owner.id());
        assertThat(json.get("channels")).hasSize(4);
        assertThat(json.get("channels")).anySatisfy(c -> {
            assertThat(c.get("name").asText()).isEqualTo("general");
            assertThat(c.get("type").asInt()).isZero();
        });

        var guild = api.get("/guilds/" + guildId, owner.token());
        assertThat(guild.status()).isEqualTo(200);
        assertThat(guild.json().get("name").asText()).isEqualTo("Second Guild");
        assertThat(guild.json().get("owner_id").asLong()).isEqualTo(owner.id());

        assertThat(admin("create-guild", "--owner", owner.username(), "--name", "x").refused().err())
                .contains("--name: Must be between 2 and 100 in length.");
        assertThat(admin("create-guild", "--owner", "ghost_owner", "--name", "Nobody's").refused().err())
                .contains("no user with id or username 'ghost_owner'");
    }

    @Test
    void addMemberLetsABotIntoAGuildOnce() {
        ApiClient.Account owner = person("host");
        ApiClient.Account bot = bot(owner, "Greeter");
        long guildId = admin("create-guild", "--owner", owner.username(), "--name", "Bot Home", "--json").ok().json().get("guild_id").asLong();

        var before = api.get("/guilds/" + guildId, bot.token());
        assertThat(before.status()).isEqualTo(403);
        assertThat(before.json().get("code").asInt()).isEqualTo(50001);

        Run added = admin("add-member", "--guild", Long.toString(guildId), "--user", Long.toString(bot.id())).ok();
        assertThat(added.out()).contains("added bot Greeter");
        assertThat(api.get("/guilds/" + guildId, bot.token()).status()).isEqualTo(200);

        JsonNode again = admin("add-member", "--guild", Long.toString(guildId), "--user", Long.toString(bot.id()), "--json").ok().json();
        assertThat(again.get("added").asBoolean()).isFalse();

        ApiClient.Account person = person("joiner");
        assertThat(admin("add-member", "--guild", Long.toString(guildId), "--user", person.username(), "--json").ok().json()
                .get("added").asBoolean()).isTrue();
        assertThat(api.get("/guilds/" + guildId, person.token()).status()).isEqualTo(200);

        assertThat(admin("add-member", "--guild", "1", "--user", person.username()).refused().err()).contains("Unknown Guild (10004)");
        assertThat(admin("add-member", "--guild", Long.toString(guildId), "--user", "ghost_member").refused().err())
                .contains("no user with id or username 'ghost_member'");
        Run notAnId = admin("add-member", "--guild", "abc", "--user", person.username());
        assertThat(notAnId.code()).isEqualTo(2);
        assertThat(notAnId.err()).contains("'abc' is not a long");
    }

    /** The admin process's events are logged with its changes, and the server reads them from the log. */
    @Test
    void aConnectedBotHearsOfTheGuildAnAdminCommandAddedItTo() {
        ApiClient.Account owner = person("live");
        ApiClient.Account bot = bot(owner, "Listener");
        long guildId = admin("create-guild", "--owner", owner.username(), "--name", "Live", "--json").ok().json().get("guild_id").asLong();
        try (GatewayTestClient c = GatewayTestClient.connect(URI.create("ws://127.0.0.1:" + server.port()), "v=10")) {
            assertThat(c.next(WAIT).get("op").intValue()).isEqualTo(10);
            c.identify(bot.token(), 1 | 1 << 9);
            assertThat(c.nextDispatch("READY", WAIT).at("/d/guilds").size()).isZero();
            admin("add-member", "--guild", Long.toString(guildId), "--user", Long.toString(bot.id())).ok();
            JsonNode created = c.nextDispatch("GUILD_CREATE", WAIT);
            assertThat(created.at("/d/id").asLong()).isEqualTo(guildId);
            assertThat(created.at("/d/name").asText()).isEqualTo("Live");
            // from then on the guild's events reach the bot, whichever process makes them
            long channel = api.firstTextChannel(guildId, owner.token());
            assertThat(api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", "welcome")).status())
                    .isEqualTo(200);
            assertThat(c.nextDispatch("MESSAGE_CREATE", WAIT).at("/d/channel_id").asLong()).isEqualTo(channel);
        }
    }

    @Test
    void setIntentsSetsExactlyTheNamedFlags() {
        ApiClient.Account owner = person("intents");
        ApiClient.Account bot = bot(owner, "Watcher");
        String app = Long.toString(bot.id());

        JsonNode both = admin("set-intents", "--application", app, "--presence", "--message-content", "--json").ok().json();
        assertThat(both.get("flags").asInt()).isEqualTo((1 << 12) | (1 << 18));
        assertThat(both.get("intents").toString()).isEqualTo("[\"GATEWAY_PRESENCE\",\"GATEWAY_MESSAGE_CONTENT\"]");
        assertThat(api.get("/applications/" + app, owner.token()).json().get("flags").asInt()).isEqualTo((1 << 12) | (1 << 18));

        Run members = admin("set-intents", "--application", app, "--guild-members").ok();
        assertThat(members.out()).contains("privileged intents GATEWAY_GUILD_MEMBERS");
        assertThat(api.get("/applications/@me", bot.token()).json().get("flags").asInt()).isEqualTo(1 << 14);

        assertThat(admin("set-intents", "--application", app, "--json").ok().json().get("flags").asInt()).isZero();
        assertThat(api.get("/applications/" + app, owner.token()).json().get("flags").asInt()).isZero();

        assertThat(admin("set-intents", "--application", "42", "--presence").refused().err()).contains("no application with id 42");
        // a person's id is not an application's
        assertThat(admin("set-intents", "--application", Long.toString(owner.id())).refused().err()).contains("no application with id");
    }

    @Test
    void resetTokenRevokesEveryTokenAndPrintsTheNewOne() {
        ApiClient.Account person = person("resetme");
        String loginToken = api.post("/auth/login", null, Map.of("login", person.username(), "password", "password-" + person.username()))
                .json().get("token").asText();
        assertThat(api.get("/users/@me", loginToken).status()).isEqualTo(200);

        JsonNode reset = admin("reset-token", "--user", person.username(), "--json").ok().json();
        assertThat(reset.get("user_id").asLong()).isEqualTo(person.id());
        assertThat(reset.get("bot").asBoolean()).isFalse();
        for (String old : List.of(person.token(), loginToken)) {
            var r = api.get("/users/@me", old);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("code").asInt()).isEqualTo(50014);
        }
        assertThat(api.get("/users/@me", reset.get("token").asText()).status()).isEqualTo(200);

        ApiClient.Account bot = bot(person("botmaker"), "Resettable");
        Run text = admin("reset-token", "--application", Long.toString(bot.id())).ok();
        assertThat(text.out()).contains("revoked every token of bot Resettable");
        String header = text.out().lines().filter(l -> l.contains("Authorization: ")).findFirst().orElseThrow()
                .replaceFirst(".*Authorization: ", "");
        assertThat(header).startsWith("Bot ");
        assertThat(api.get("/users/@me", bot.token()).status()).isEqualTo(401);
        assertThat(api.get("/users/@me", header).status()).isEqualTo(200);

        assertThat(admin("reset-token", "--user", "ghost_reset").refused().err()).contains("no user with id or username 'ghost_reset'");
        assertThat(admin("reset-token", "--application", "7").refused().err()).contains("no application with id 7");
        Run both = admin("reset-token", "--user", person.username(), "--application", Long.toString(bot.id()));
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        // the refused run changed nothing
        assertThat(api.get("/users/@me", reset.get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCodeOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("admin", "create-user", "--username", "nobody", "--password", "long-enough",
                "--database-url=jdbc:postgresql://127.0.0.1:1/none", "--database-user=x", "--database-password=y");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).startsWith("gatehouse admin create-user: cannot open the database: ");
    }

    /**
     * The embedded H2 file database of a running server, changed by an admin command in another
     * JVM (as ./gatehouse admin runs): AUTO_SERVER lets both in, and the API sees the change.
     */
    @Test
    void adminInAnotherProcessChangesARunningServersFileDatabase(@TempDir Path dataDir) throws Exception {
        try (GatehouseServer running = GatehouseServer.start(ServerConfig.defaults(DatabaseConfig.embedded(dataDir.toString()))
                .withHost("127.0.0.1").withPort(0).withRateLimits(false))) {
            ApiClient client = new ApiClient("http://127.0.0.1:" + running.port());

            JsonNode user = Json.mapper().readTree(spawnAdmin(dataDir, "create-user", "--username", "crossproc",
                    "--password", "cross-process-pw", "--json"));
            var me = client.get("/users/@me", user.get("token").asText());
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("username").asText()).isEqualTo("crossproc");

            JsonNode guild = Json.mapper().readTree(spawnAdmin(dataDir, "create-guild", "--owner", "crossproc", "--name", "Shared", "--json"));
            var seen = client.get("/guilds/" + guild.get("guild_id").asText(), user.get("token").asText());
            assertThat(seen.status()).isEqualTo(200);
            assertThat(seen.json().get("name").asText()).isEqualTo("Shared");
        }
    }

    /** Runs {@code gatehouse admin} in a new JVM on the H2 database under {@code dataDir}; returns its stdout. */
    private static String spawnAdmin(Path dataDir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, Main.class.getName(), "admin"));
        command.addAll(List.of(args));
        command.add("--data-dir=" + dataDir);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        Process p = pb.start();
        p.getOutputStream().close();
        var stdout = p.getInputStream().readAllBytes();
        var stderr = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(stdout, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("stdout: " + out + "\nstderr: " + new String(stderr, StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
