package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.rpc.protocol.RpcEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person's voice connection, as far as the agent needs one: it identifies on the voice gateway
 * (v8) after a SELECT_VOICE_CHANNEL and keeps the heartbeat, but selects no protocol and carries no
 * audio. What it reads is who speaks: op 5 turns into SPEAKING_START and SPEAKING_STOP for the
 * channel the person is in, and op 13 (someone left) into SPEAKING_STOP if they were speaking.
 * Runs on the agent's thread; the WebSocket's callbacks hop onto it.
 *
 * <p>Voice endpoints are {@code wss://}, as on Discord. A server without TLS gives its plain port,
 * so when the person reaches the server over plain HTTP anyway, a TLS handshake that fails falls
 * back to {@code ws://} once; over HTTPS it never does (a bad certificate is not a reason to send
 * the voice token in the clear).
 */
final class VoiceWatch {

    private static final Logger log = LoggerFactory.getLogger(VoiceWatch.class);

    private final ScheduledExecutorService loop;
    private final RpcHub hub;
    private final Supplier<Optional<Long>> channel;
    private final HttpClient http;
    private final boolean plainAllowed;
    private WebSocket socket;
    private ScheduledFuture<?> heartbeat;
    private long generation;
    private long seqAck = -1;
    private final Set<Long> speaking = new HashSet<>();

    /** @param plainAllowed whether {@code ws://} may follow a failed {@code wss://}: only when the person reaches the server without TLS */
    VoiceWatch(ScheduledExecutorService loop, RpcHub hub, Supplier<Optional<Long>> channel, SSLContext tls, boolean plainAllowed) {
        this.loop = loop;
        this.plainAllowed = plainAllowed;
        this.hub = hub;
        this.channel = channel;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Connects for the VOICE_SERVER_UPDATE {@code server}; a connection already open is closed first. */
    void connect(JsonNode server, long userId, String sessionId) {
        close();
        long mine = ++generation;
        String endpoint = server.path("endpoint").asText();
        ObjectNode identify = JsonNodeFactory.instance.objectNode();
        identify.put("op", 0);
        ObjectNode d = identify.putObject("d");
        d.put("server_id", server.path("guild_id").asText());
        d.put("user_id", Long.toString(userId));
        d.put("session_id", sessionId);
        d.put("token", server.path("token").asText());
        d.put("max_dave_protocol_version", 0);
        open(URI.create("wss://" + endpoint + "/?v=8"), identify, mine)
                .exceptionallyCompose(e -> plainAllowed ? open(URI.create("ws://" + endpoint + "/?v=8"), identify, mine)
                        : CompletableFuture.failedFuture(e))
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        log.atWarn().addKeyValue("endpoint", endpoint).setCause(e).log("voice gateway unreachable: no speaking events");
                    }
                });
    }

    private CompletableFuture<WebSocket> open(URI uri, ObjectNode identify, long mine) {
        return http.newWebSocketBuilder().buildAsync(uri, new Listener(mine)).thenApply(ws -> {
            loop.execute(() -> {
                if (mine != generation) {
                    ws.abort();
                    return;
                }
                socket = ws;
                send(identify);
            });
            return ws;
        });
    }

    /** Leaves: whoever was speaking stops, as far as the programs can tell. */
    void close() {
        generation++;
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "left").exceptionally(e -> null);
            socket = null;
        }
        for (Long user : Set.copyOf(speaking)) {
            stopped(user);
        }
        seqAck = -1;
    }

    private void send(ObjectNode message) {
        if (socket != null) {
            socket.sendText(Json.string(message), true).exceptionally(e -> null);
        }
    }

    private void onMessage(JsonNode m) {
        if (m.hasNonNull("seq")) {
            seqAck = m.get("seq").asLong();
        }
        JsonNode d = m.path("d");
        switch (m.path("op").asInt(-1)) {
            case 8 -> {
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                long interval = Math.max(1_000, d.path("heartbeat_interval").asLong(13_750));
                heartbeat = loop.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
            }
            case 5 -> {
                long user = d.path("user_id").asLong();
                if (d.path("speaking").asInt(0) != 0) {
                    if (speaking.add(user)) {
                        event(RpcEvent.SPEAKING_START, user);
                    }
                } else if (speaking.contains(user)) {
                    stopped(user);
                }
            }
            case 13 -> {
                long user = d.path("user_id").asLong();
                if (speaking.contains(user)) {
                    stopped(user);
                }
            }
            default -> { }
        }
    }

    private void beat() {
        ObjectNode hb = JsonNodeFactory.instance.objectNode();
        hb.put("op", 3);
        hb.putObject("d").put("t", System.currentTimeMillis()).put("seq_ack", seqAck);
        send(hb);
    }

    private void stopped(long user) {
        speaking.remove(user);
        event(RpcEvent.SPEAKING_STOP, user);
    }

    private void event(RpcEvent event, long user) {
        channel.get().ifPresent(c -> hub.deliver(event, c, JsonNodeFactory.instance.objectNode()
                .put("user_id", Long.toString(user)).put("channel_id", Long.toString(c))));
    }

    private final class Listener implements WebSocket.Listener {
        private final long mine;
        private final StringBuilder partial = new StringBuilder();

        Listener(long mine) {
            this.mine = mine;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                loop.execute(() -> {
                    if (mine == generation) {
                        try {
                            onMessage(Json.mapper().readTree(text));
                        } catch (Exception e) {
                            log.atDebug().setCause(e).log("unreadable voice gateway message");
                        }
                    }
                });
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            // the JDK reports a broken connection here and never calls onClose
            loop.execute(() -> {
                if (mine == generation) {
                    log.atInfo().setCause(error).log("voice gateway connection failed");
                    close();
                }
            });
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            loop.execute(() -> {
                if (mine == generation) {
                    log.atInfo().addKeyValue("code", statusCode).log("voice gateway closed");
                    close();
                }
            });
            return null;
        }
    }
}
