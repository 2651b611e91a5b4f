package dev.gatehouse.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.testing.ApiClient.Account;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A JavaScript library's bot, run by Node.js from {@code compat/js} (installed by the build from
 * its lockfile). Speaks the line protocol of {@code js/harness.js}: commands on stdin, events and
 * replies on stdout; the library's own logs pass through on stderr.
 */
final class NodeBot implements BotUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCRIPTS = Path.of(System.getProperty("gatehouse.compat.js", "js")).toAbsolutePath();

    private final Process process;
    private final Writer stdin;
    private final BotEvents events = new BotEvents();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<String> started = new CompletableFuture<>();

    /**
     * Starts {@code script} for the bot and waits until its library reports ready.
     *
     * @param env extra environment for the script (its own options, such as COMPRESS)
     */
    NodeBot(String script, CompatWorld world, Account bot, boolean messageContent, Map<String, String> env) {
        this(script, world.server.baseUrl() + "/api", bot, withContent(env, messageContent));
    }

    private static Map<String, String> withContent(Map<String, String> env, boolean messageContent) {
        Map<String, String> vars = new HashMap<>(env);
        vars.put("MESSAGE_CONTENT", messageContent ? "1" : "0");
        return vars;
    }

    /** Starts {@code script} for the bot against the API at {@code apiBase} and waits until it reports ready. */
    NodeBot(String script, String apiBase, Account bot, Map<String, String> env) {
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
            throw new IllegalStateException(SCRIPTS + "/node_modules is missing: the build installs it (compat/js/install.sh)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(SCRIPTS.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> vars = new HashMap<>(env);
        vars.put("GATEHOUSE_API", apiBase);
        vars.put("BOT_TOKEN", CompatWorld.rawToken(bot));
        pb.environment().putAll(vars);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node (is Node.js 20+ on the PATH?)", e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("node-" + script).start(this::readStdout);
        try {
            started.get(CompatWorld.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not become ready (exit " + (process.isAlive() ? "none yet" : process.exitValue())
                    + "); see its output above", e);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(line);
                } catch (IOException e) {
                    System.err.println("[node stdout] " + line);
                    continue;
                }
                if (msg.has("reply")) {
                    CompletableFuture<JsonNode> f = pending.remove(msg.get("reply").intValue());
                    if (f != null) {
                        if (msg.get("ok").booleanValue()) {
                            f.complete(msg.get("result"));
                        } else {
                            f.completeExceptionally(new AssertionError("library call failed: " + msg.get("error").asText()));
                        }
                    }
                } else if ("started".equals(msg.path("event").asText())) {
                    started.complete(msg.get("library").asText());
                } else {
                    events.add(new BotEvent(BotEvent.Kind.valueOf(msg.get("event").asText()), msg.path("id").asLong(0),
                            msg.hasNonNull("content") ? msg.get("content").asText() : null));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        pending.values().forEach(f -> f.completeExceptionally(new AssertionError("the bot process ended")));
        started.completeExceptionally(new AssertionError("the bot process ended before ready"));
    }

    /** A command of the script's own (beyond the {@link BotUnderTest} ones); its result. */
    JsonNode command(String cmd, Map<String, Object> args) {
        return call(cmd, args);
    }

    private JsonNode call(String cmd, Map<String, Object> args) {
        int id = ids.incrementAndGet();
        Map<String, Object> request = new LinkedHashMap<>(args);
        request.put("id", id);
        request.put("cmd", cmd);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (stdin) {
                stdin.write(JSON.writeValueAsString(request) + "\n");
                stdin.flush();
            }
            return reply.get(CompatWorld.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw (AssertionError) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(cmd + " got no reply", e);
        }
    }

    @Override
    public String library() {
        return started.join();
    }

    @Override
    public BotEvents events() {
        return events;
    }

    @Override
    public GuildCache guild(long guildId) {
        JsonNode g = call("guild", Map.of("guild", Long.toString(guildId)));
        return new GuildCache(g.get("name").asText(), ids(g.get("channels")), ids(g.get("roles")), ids(g.get("members")));
    }

    private static Set<Long> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).collect(Collectors.toSet());
    }

    @Override
    public long send(long channelId, String content) {
        return call("send", Map.of("channel", Long.toString(channelId), "content", content)).asLong();
    }

    @Override
    public void edit(long channelId, long messageId, String content) {
        call("edit", Map.of("channel", Long.toString(channelId), "message", Long.toString(messageId), "content", content));
    }

    @Override
    public void delete(long channelId, long messageId) {
        call("delete", Map.of("channel", Long.toString(channelId), "message", Long.toString(messageId)));
    }

    @Override
    public Set<Long> requestMembers(long guildId, String prefix, int limit) {
        return ids(call("members", Map.of("guild", Long.toString(guildId), "query", prefix, "limit", limit)));
    }

    @Override
    public void close() {
        try {
            stdin.close(); // the harness exits when its stdin closes
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
