package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.protocol.RpcCommand;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcEvent;
import dev.gatehouse.rpc.protocol.RpcException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One program's RPC connection, free of I/O: the transport feeds it the handshake and each message
 * ({@link #handshake}, {@link #receive}) and writes what it sends through {@link RpcPeer}; the
 * agent feeds it events ({@link #deliver}). Every call must come from the agent's one thread
 * ({@code executor}), where answers from the {@link Account} are brought back too, so the
 * connection needs no locks.
 *
 * <p>A connection moves from the handshake (version 1, JSON, a known client id, an allowed origin;
 * close codes 4004, 4005, 4000, 4001) to READY, then answers each command with
 * {@code {cmd, data, evt: null, nonce}} or {@code {cmd, evt: "ERROR", data: {code, message}, nonce}}.
 * Messages sent before READY wait for it (at most {@value #MAX_EARLY_MESSAGES}); more than
 * {@code limits.messages()} messages in {@code limits.windowMillis()} close it with 4002.
 */
public final class RpcConnection {

    public static final String VERSION = "1";
    static final int MAX_EARLY_MESSAGES = 16;
    static final int MAX_SUBSCRIPTIONS = 256;
    static final int MAX_SCOPES = 32;
    static final long DEFAULT_SELECT_TIMEOUT_SECONDS = 10;
    static final long MAX_TIMEOUT_SECONDS = 60;
    static final int RECHECKS = 3;
    static final long SECONDS_BELOW = 100_000_000_000L;
    static final long RECHECK_DELAY_MILLIS = 5_000;
    /** Activity types a program may show: playing, listening, watching, competing, as Discord allows over RPC. */
    static final Set<Integer> ACTIVITY_TYPES = Set.of(0, 2, 3, 5);

    /** The connection's transport, for monitoring. */
    public enum Transport { IPC, WEBSOCKET }

    /** What monitoring counts; called on the agent's thread. */
    public interface Listener {
        /** A command was answered; {@code error} null on success. {@code command} is null when the name was unknown. */
        default void answered(RpcCommand command, RpcError error) {}

        default void ready(RpcConnection connection) {}

        default void closed(RpcConnection connection, RpcCloseCode code) {}
    }

    /**
     * How many messages a program may send per window before it is closed with 4002, how many
     * AUTHORIZE and AUTHENTICATE commands a minute (each asks the person or the server), and how
     * long an IPC program may stay silent before its handshake (then 4000).
     */
    public record Limits(int messages, long windowMillis, int authPerMinute, long handshakeMillis) {
        public static final Limits DEFAULT = new Limits(120, 10_000, 5, 10_000);

        public Limits(int messages, long windowMillis) {
            this(messages, windowMillis, DEFAULT.authPerMinute(), DEFAULT.handshakeMillis());
        }
    }

    public Limits limits() {
        return limits;
    }

    /** A subscription: an event, and the guild or channel it is about (null for events about neither). */
    public record Subscription(RpcEvent event, Long key) {}

    private enum State { NEW, HANDSHAKING, READY, CLOSED }

    private final long id;
    private final Transport transport;
    private final RpcPeer peer;
    private final Account account;
    private final Executor executor;
    private final LongSupplier clock;
    private final Limits limits;
    private final Listener listener;

    private State state = State.NEW;
    private RpcApplication application;
    private RpcGrant grant;
    private final Set<Subscription> subscriptions = new HashSet<>();
    private final ArrayDeque<String> early = new ArrayDeque<>();
    private final FixedWindow messages;
    private final FixedWindow authorisations;
    private boolean authorizing;
    private boolean showsActivity;

    public RpcConnection(long id, Transport transport, RpcPeer peer, Account account, Executor executor, LongSupplier clock,
            Limits limits, Listener listener) {
        this.id = id;
        this.transport = transport;
        this.peer = peer;
        this.account = account;
        this.executor = executor;
        this.clock = clock;
        this.limits = limits;
        this.listener = listener;
        this.messages = new FixedWindow(limits.messages(), limits.windowMillis());
        this.authorisations = new FixedWindow(limits.authPerMinute(), 60_000);
    }

    public long id() {
        return id;
    }

    public Transport transport() {
        return transport;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** The application the program connected as, once the handshake checked out. */
    public Optional<RpcApplication> application() {
        return Optional.ofNullable(application);
    }

    public Optional<RpcGrant> grant() {
        return Optional.ofNullable(grant);
    }

    public Set<Subscription> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    /**
     * The handshake: IPC's HANDSHAKE frame {@code {v, client_id}}, or the WebSocket's query
     * {@code ?v=1&client_id=...&encoding=json} and its {@code Origin} header. {@code encoding} and
     * {@code origin} are null when not given; a program that is not a browser sends no origin.
     */
    public void handshake(String version, String clientId, String encoding, String origin) {
        if (state != State.NEW) {
            return;
        }
        state = State.HANDSHAKING;
        if (!VERSION.equals(version)) {
            close(RpcCloseCode.INVALID_VERSION, "Invalid Version: " + abbreviate(version));
            return;
        }
        if (encoding != null && !encoding.equals("json")) {
            close(RpcCloseCode.INVALID_ENCODING, "Invalid Encoding: only json is spoken here");
            return;
        }
        long appId = snowflake(clientId);
        if (appId <= 0) {
            close(RpcCloseCode.INVALID_CLIENT_ID, "Invalid Client ID");
            return;
        }
        account.application(appId).whenCompleteAsync((found, error) -> {
            if (state != State.HANDSHAKING) {
                return;
            }
            if (error != null || found.isEmpty()) {
                close(RpcCloseCode.INVALID_CLIENT_ID, "Invalid Client ID");
                return;
            }
            RpcApplication app = found.get();
            if (origin == null) {
                ready(app);
                return;
            }
            if (!app.rpcOrigins().contains(origin)) {
                close(RpcCloseCode.INVALID_ORIGIN, "Invalid Origin");
                return;
            }
            // a web page: anyone may register an application with any origin, so the person decides
            account.admitOrigin(app, origin).whenCompleteAsync((allowed, refused) -> {
                if (state != State.HANDSHAKING) {
                    return;
                }
                if (refused != null || !allowed) {
                    close(RpcCloseCode.INVALID_ORIGIN, "The person did not allow " + origin);
                    return;
                }
                ready(app);
            }, executor);
        }, executor);
    }

    private void ready(RpcApplication app) {
        application = app;
        state = State.READY;
        peer.send(readyDispatch());
        listener.ready(this);
        while (!early.isEmpty() && state == State.READY) {
            process(early.poll());
        }
    }

    /** Whether the handshake arrived (the transport closes connections that send none in time). */
    public boolean handshakeReceived() {
        return state != State.NEW;
    }

    /** One message from the program (an IPC FRAME's body, a WebSocket text frame). */
    public void receive(String text) {
        if (state == State.CLOSED || !admit()) {
            return;
        }
        switch (state) {
            case NEW -> close(RpcCloseCode.INVALID_CLIENT_ID, "Handshake first");
            case HANDSHAKING -> {
                if (early.size() >= MAX_EARLY_MESSAGES) {
                    close(RpcCloseCode.RATE_LIMITED, "Too many messages before READY");
                } else {
                    early.add(text);
                }
            }
            default -> process(text);
        }
    }

    /** A transport-level ping: counts against the rate limit like a message. */
    public boolean ping() {
        return state != State.CLOSED && admit();
    }

    private boolean admit() {
        if (!messages.tryHit(clock.getAsLong())) {
            close(RpcCloseCode.RATE_LIMITED, "You are being rate limited");
            return false;
        }
        return true;
    }

    private void process(String text) {
        JsonNode message;
        try {
            message = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException e) {
            error(null, null, new RpcException(RpcError.INVALID_PAYLOAD, "Payload is not JSON"));
            listener.answered(null, RpcError.INVALID_PAYLOAD);
            return;
        }
        if (message == null || !message.isObject()) {
            error(null, null, new RpcException(RpcError.INVALID_PAYLOAD, "Payload must be an object"));
            listener.answered(null, RpcError.INVALID_PAYLOAD);
            return;
        }
        JsonNode nonceNode = message.get("nonce");
        String nonce = nonceNode != null && nonceNode.isTextual() ? nonceNode.textValue() : null;
        JsonNode cmdNode = message.get("cmd");
        String cmdName = cmdNode != null && cmdNode.isTextual() ? cmdNode.textValue() : null;
        RpcCommand command = RpcCommand.of(cmdName);
        if (command == null || command == RpcCommand.DISPATCH) {
            error(cmdName, nonce, new RpcException(RpcError.INVALID_COMMAND, "Invalid command: " + abbreviate(cmdName)));
            listener.answered(null, RpcError.INVALID_COMMAND);
            return;
        }
        JsonNode args = message.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            answer(command, nonce, CompletableFuture.failedFuture(new RpcException(RpcError.INVALID_PAYLOAD, "args must be an object")));
            return;
        }
        ObjectNode a = args == null || args.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) args;
        JsonNode evt = message.get("evt");
        if ((command == RpcCommand.AUTHORIZE || command == RpcCommand.AUTHENTICATE) && !admitAuth()) {
            return;
        }
        CompletableFuture<JsonNode> result;
        try {
            if (!ScopePolicy.allows(scopes(), ScopePolicy.required(command))) {
                throw new RpcException(RpcError.INVALID_PERMISSIONS, grant == null
                        ? "Not authenticated or invalid scope" : "The token's scopes do not allow " + command);
            }
            result = run(command, a, evt != null && evt.isTextual() ? evt.textValue() : null);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        answer(command, nonce, result);
    }

    /** The scopes of the token the program authenticated with, none once it expired. */
    private Set<String> scopes() {
        return grant == null || clock.getAsLong() >= grant.expiresAt() ? Set.of() : grant.scopes();
    }

    /** AUTHORIZE and AUTHENTICATE ask the person or the server: a few a minute, or 4002. */
    private boolean admitAuth() {
        if (!authorisations.tryHit(clock.getAsLong())) {
            close(RpcCloseCode.RATE_LIMITED, "Too many AUTHORIZE and AUTHENTICATE commands");
            return false;
        }
        return true;
    }

    private void answer(RpcCommand command, String nonce, CompletableFuture<JsonNode> result) {
        result.whenCompleteAsync((data, error) -> {
            if (state != State.READY) {
                return;
            }
            if (error == null) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("cmd", command.name());
                out.set("data", data == null ? NullNode.getInstance() : data);
                out.putNull("evt");
                out.put("nonce", nonce);
                peer.send(out);
                listener.answered(command, null);
            } else {
                RpcException e = asRpc(error);
                error(command.name(), nonce, e);
                listener.answered(command, e.error());
            }
        }, executor);
    }

    private void error(String cmd, String nonce, RpcException e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("cmd", cmd);
        ObjectNode data = out.putObject("data");
        data.put("code", e.error().code());
        data.put("message", e.getMessage());
        out.put("evt", RpcEvent.ERROR.name());
        out.put("nonce", nonce);
        peer.send(out);
    }

    /** What failed inside a future: the cause a CompletionException wraps. */
    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static RpcException asRpc(Throwable error) {
        Throwable cause = cause(error);
        if (cause instanceof RpcException rpc) {
            return rpc;
        }
        return new RpcException(RpcError.UNKNOWN_ERROR, "An unknown error occurred");
    }

    private CompletableFuture<JsonNode> run(RpcCommand command, ObjectNode args, String evt) {
        return switch (command) {
            case AUTHORIZE -> authorize(args);
            case AUTHENTICATE -> authenticate(args);
            case GET_GUILDS -> account.guilds().thenApply(guilds -> object().set("guilds", guilds));
            case GET_GUILD -> withTimeout(account.guild(requiredId(args, "guild_id")), args, RpcError.GET_GUILD_TIMED_OUT)
                    .thenApply(g -> g.orElseThrow(() -> new RpcException(RpcError.INVALID_GUILD)));
            case GET_CHANNELS -> account.channels(requiredId(args, "guild_id"))
                    .thenApply(c -> object().set("channels", c.orElseThrow(() -> new RpcException(RpcError.INVALID_GUILD))));
            case GET_CHANNEL -> channel(requiredId(args, "channel_id")).thenApply(c -> c);
            case SUBSCRIBE -> subscribe(args, evt);
            case UNSUBSCRIBE -> unsubscribe(args, evt);
            case SELECT_VOICE_CHANNEL -> selectVoiceChannel(args);
            case GET_SELECTED_VOICE_CHANNEL -> account.voiceChannel().map(this::channelOrNull)
                    .orElse(CompletableFuture.completedFuture(null));
            case SELECT_TEXT_CHANNEL -> selectTextChannel(args);
            case GET_VOICE_SETTINGS -> CompletableFuture.completedFuture(account.voiceSettings());
            case SET_VOICE_SETTINGS -> CompletableFuture.completedFuture(account.updateVoiceSettings(args));
            case SET_ACTIVITY -> CompletableFuture.completedFuture(setActivity(args));
            case DISPATCH -> throw new RpcException(RpcError.INVALID_COMMAND);
        };
    }

    private CompletableFuture<JsonNode> authorize(ObjectNode args) {
        JsonNode clientId = args.get("client_id");
        if (clientId == null || !clientId.isTextual() || snowflake(clientId.textValue()) != application.id()) {
            throw new RpcException(RpcError.INVALID_CLIENT_ID, "client_id must be the client id of the handshake");
        }
        JsonNode scopes = args.get("scopes");
        if (scopes == null || !scopes.isArray() || scopes.isEmpty() || scopes.size() > MAX_SCOPES) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "scopes must be a non-empty array of scopes");
        }
        List<String> asked = new ArrayList<>();
        for (JsonNode s : scopes) {
            if (!s.isTextual() || s.textValue().isEmpty() || s.textValue().length() > 64) {
                throw new RpcException(RpcError.INVALID_PAYLOAD, "scopes must be strings");
            }
            asked.add(s.textValue());
        }
        if (authorizing) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "An AUTHORIZE is already waiting for the person");
        }
        authorizing = true;
        return account.authorize(application, asked).whenCompleteAsync((code, e) -> authorizing = false, executor)
                .thenApply(code -> object().put("code", code));
    }

    private CompletableFuture<JsonNode> authenticate(ObjectNode args) {
        JsonNode token = args.get("access_token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty() || token.textValue().length() > 512) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "access_token is required");
        }
        return account.grant(token.textValue()).thenApplyAsync(found -> {
            RpcGrant g = found.orElseThrow(() -> new RpcException(RpcError.INVALID_TOKEN, "Invalid access token"));
            if (g.applicationId() != application.id()) {
                throw new RpcException(RpcError.INVALID_TOKEN, "The token belongs to another application");
            }
            String person = account.user().path("id").asText();
            if (!g.described().path("user").path("id").asText().equals(person)) {
                throw new RpcException(RpcError.INVALID_TOKEN, "The token was granted by someone else");
            }
            grant = g;
            // subscriptions made under an earlier token stay only where this one allows them
            subscriptions.removeIf(sub -> !ScopePolicy.allows(scopes(), ScopePolicy.required(sub.event())));
            return g.described();
        }, executor);
    }

    private CompletableFuture<JsonNode> subscribe(ObjectNode args, String evt) {
        RpcEvent event = event(evt);
        if (!ScopePolicy.allows(scopes(), ScopePolicy.required(event))) {
            throw new RpcException(RpcError.INVALID_PERMISSIONS, "The token's scopes do not allow " + event);
        }
        Long key = event.key() == RpcEvent.Key.NONE ? null : requiredId(args, event.key().field());
        CompletableFuture<Void> exists = switch (event.key()) {
            case NONE -> CompletableFuture.completedFuture(null);
            case GUILD -> account.guild(key).thenAccept(g -> g.orElseThrow(() -> new RpcException(RpcError.INVALID_GUILD)));
            case CHANNEL -> account.channel(key).thenAccept(c -> c.orElseThrow(() -> new RpcException(RpcError.INVALID_CHANNEL)));
        };
        return exists.thenApplyAsync(x -> {
            Subscription s = new Subscription(event, key);
            if (!subscriptions.contains(s) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
                throw new RpcException(RpcError.INVALID_PAYLOAD, "At most " + MAX_SUBSCRIPTIONS + " subscriptions");
            }
            subscriptions.add(s);
            return object().put("evt", event.name());
        }, executor);
    }

    private CompletableFuture<JsonNode> unsubscribe(ObjectNode args, String evt) {
        RpcEvent event = event(evt);
        Long key = event.key() == RpcEvent.Key.NONE ? null : requiredId(args, event.key().field());
        subscriptions.remove(new Subscription(event, key));
        return CompletableFuture.completedFuture(object().put("evt", event.name()));
    }

    private static RpcEvent event(String evt) {
        RpcEvent event = RpcEvent.subscribable(evt);
        if (event == null) {
            throw new RpcException(RpcError.INVALID_EVENT, "Invalid event: " + abbreviate(evt));
        }
        return event;
    }

    private CompletableFuture<JsonNode> selectVoiceChannel(ObjectNode args) {
        Long channelId = optionalId(args, "channel_id");
        if (channelId == null) {
            return account.leaveVoice().thenApply(x -> null);
        }
        boolean force = args.path("force").asBoolean(false);
        return account.channel(channelId).thenComposeAsync(found -> {
            ObjectNode channel = found.orElseThrow(() -> new RpcException(RpcError.INVALID_CHANNEL));
            int type = channel.path("type").asInt(-1);
            if ((type != 2 && type != 13) || !channel.hasNonNull("guild_id")) {
                throw new RpcException(RpcError.INVALID_CHANNEL, "Not a voice channel");
            }
            Optional<Long> current = account.voiceChannel();
            if (current.isPresent() && current.get().equals(channelId)) {
                return CompletableFuture.<JsonNode>completedFuture(channel);
            }
            if (current.isPresent() && !force) {
                throw new RpcException(RpcError.SELECT_VOICE_FORCE_REQUIRED, "Already in a voice channel; use force");
            }
            long guildId = channel.get("guild_id").asLong();
            return withTimeout(account.joinVoice(guildId, channelId), args, RpcError.SELECT_CHANNEL_TIMED_OUT)
                    .thenCompose(x -> channel(channelId));
        }, executor);
    }

    private CompletableFuture<JsonNode> selectTextChannel(ObjectNode args) {
        Long channelId = optionalId(args, "channel_id");
        if (channelId == null) {
            account.selectTextChannel(null);
            return CompletableFuture.completedFuture(null);
        }
        return withTimeout(account.channel(channelId), args, RpcError.SELECT_CHANNEL_TIMED_OUT).thenApplyAsync(found -> {
            ObjectNode channel = found.orElseThrow(() -> new RpcException(RpcError.INVALID_CHANNEL));
            int type = channel.path("type").asInt(-1);
            if (type == 2 || type == 4 || type == 13) {
                throw new RpcException(RpcError.INVALID_CHANNEL, "Not a text channel");
            }
            account.selectTextChannel(channelId);
            return channel;
        }, executor);
    }

    private JsonNode setActivity(ObjectNode args) {
        JsonNode pid = args.get("pid");
        if (pid == null || !pid.canConvertToInt() || !pid.isIntegralNumber() || pid.intValue() <= 0) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "pid must be the program's process id");
        }
        JsonNode given = args.get("activity");
        if (given == null || given.isNull()) {
            showsActivity = false;
            account.setActivity(id, null);
            return null;
        }
        if (!given.isObject()) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "activity must be an object");
        }
        ObjectNode named = ((ObjectNode) given).deepCopy();
        named.put("name", application.name()); // Rich Presence shows the application's name, whatever the program says
        named.remove("application_id");
        inMilliseconds(named.get("timestamps"));
        Activity activity;
        try {
            activity = Activity.parse(named);
        } catch (ProtocolViolation e) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "activity: " + e.getMessage());
        }
        if (!ACTIVITY_TYPES.contains(activity.type())) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, "activity.type must be 0, 2, 3 or 5");
        }
        Activity shown = activity.forApplication(application.id(), application.name(), clock.getAsLong());
        showsActivity = true;
        account.setActivity(id, shown);
        return Json.mapper().valueToTree(shown);
    }

    /**
     * Timestamps as the gateway carries them, in milliseconds. Many Rich Presence libraries send
     * seconds (pypresence, most game SDK wrappers), as Discord's client accepts: a value below
     * 10^11 cannot be milliseconds of a time anyone means (it is early 1973), so it is seconds.
     */
    static void inMilliseconds(JsonNode timestamps) {
        if (timestamps instanceof ObjectNode t) {
            for (String field : new String[] {"start", "end"}) {
                JsonNode v = t.get(field);
                if (v != null && v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0 && v.longValue() < SECONDS_BELOW) {
                    t.put(field, v.longValue() * 1000);
                }
            }
        }
    }

    private CompletableFuture<JsonNode> channel(long channelId) {
        return account.channel(channelId).thenApply(c -> c.orElseThrow(() -> new RpcException(RpcError.INVALID_CHANNEL)));
    }

    private CompletableFuture<JsonNode> channelOrNull(long channelId) {
        return account.channel(channelId).thenApply(c -> c.orElse(null));
    }

    /** The command's own {@code timeout} (seconds, at most a minute), else ten seconds, then {@code error}. */
    private static <T> CompletableFuture<T> withTimeout(CompletableFuture<T> work, ObjectNode args, RpcError error) {
        long seconds = DEFAULT_SELECT_TIMEOUT_SECONDS;
        JsonNode t = args.get("timeout");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.asDouble() <= 0) {
                throw new RpcException(RpcError.INVALID_PAYLOAD, "timeout must be a positive number of seconds");
            }
            seconds = Math.min(MAX_TIMEOUT_SECONDS, (long) Math.ceil(t.asDouble()));
        }
        // on a copy: the account's own future is not this command's to fail
        return work.copy().orTimeout(seconds, TimeUnit.SECONDS).exceptionally(e -> {
            if (cause(e) instanceof TimeoutException) {
                throw new RpcException(error);
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        });
    }

    /** An event the agent saw; sent when the program subscribed to it (for that guild or channel). */
    public void deliver(RpcEvent event, Long key, ObjectNode data) {
        if (state != State.READY || !subscriptions.contains(new Subscription(event, key))
                || !ScopePolicy.allows(scopes(), ScopePolicy.required(event))) {
            return; // not asked for, or the token that allowed it expired
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("cmd", RpcCommand.DISPATCH.name());
        out.set("data", data);
        out.put("evt", event.name());
        out.putNull("nonce");
        peer.send(out);
    }

    /**
     * The server ended one of the person's grants of {@code applicationId}: if it was this
     * connection's, the connection closes with 4003. The server names the application only, so the
     * token is checked again.
     */
    public void grantEnded(long applicationId) {
        RpcGrant g = grant;
        if (g == null || g.applicationId() != applicationId || state == State.CLOSED) {
            return;
        }
        recheck(g, 0);
    }

    /** Checks the grant with the server; when the server cannot say, tries again a few times. */
    private void recheck(RpcGrant g, int attempt) {
        account.grant(g.accessToken()).whenCompleteAsync((still, error) -> {
            if (grant != g || state == State.CLOSED) {
                return;
            }
            if (error == null && still.isEmpty()) {
                close(RpcCloseCode.TOKEN_REVOKED, "Token Revoked");
            } else if (error != null && attempt < RECHECKS) {
                CompletableFuture.delayedExecutor(RECHECK_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> executor.execute(() -> recheck(g, attempt + 1)));
            }
        }, executor);
    }

    /** Closes the connection from the server's side. */
    public void close(RpcCloseCode code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        peer.close(code, reason);
        ended(code);
    }

    /** The transport is gone (the program hung up, or the close finished): what it showed goes away. */
    public void transportClosed() {
        ended(null);
    }

    private void ended(RpcCloseCode code) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasReady = state == State.READY;
        state = State.CLOSED;
        subscriptions.clear();
        early.clear();
        if (showsActivity) {
            showsActivity = false;
            account.setActivity(id, null);
        }
        if (wasReady || code != null) {
            listener.closed(this, code == null ? RpcCloseCode.NORMAL : code);
        }
    }

    private ObjectNode readyDispatch() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("cmd", RpcCommand.DISPATCH.name());
        ObjectNode data = out.putObject("data");
        data.put("v", 1);
        data.set("config", account.config());
        data.set("user", account.user());
        out.put("evt", RpcEvent.READY.name());
        out.putNull("nonce");
        return out;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A snowflake argument, required: 4000 when missing or malformed. */
    private static long requiredId(ObjectNode args, String field) {
        Long id = optionalId(args, field);
        if (id == null) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, field + " is required");
        }
        return id;
    }

    private static Long optionalId(ObjectNode args, String field) {
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        long id = v.isTextual() ? snowflake(v.textValue()) : v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : -1;
        if (id <= 0) {
            throw new RpcException(RpcError.INVALID_PAYLOAD, field + " must be a snowflake");
        }
        return id;
    }

    static long snowflake(String s) {
        if (s == null || s.isEmpty() || s.length() > 20) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
