package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.session.ConnectionIO;
import dev.gatehouse.gateway.session.GatewayConnection;
import dev.gatehouse.gateway.session.GatewaySession;
import dev.gatehouse.gateway.session.SessionIdentity;
import dev.gatehouse.gateway.session.SessionSink;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.Resume;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client core and the server's real session core ({@link GatewayConnection},
 * {@link GatewaySession}) wired together in memory, on one simulated clock. Frames travel through
 * a FIFO, so neither side re-enters the other; the server side answers identify and resume the way
 * the gateway's session starter does, without a database.
 */
final class InMemoryGateway implements ClientTransport {

    static final GatewayConfig CONFIG = GatewayConfig.defaults();
    static final long ALL_INTENTS = (1L << 26) - 1;

    long now = 1_000_000;
    final Deque<Runnable> wire = new ArrayDeque<>();
    final Map<String, GatewaySession> sessions = new HashMap<>();
    final List<Link> links = new ArrayList<>();
    GatewayClientCore client;
    Link current;
    GatewaySession live;
    int identifies;
    int resumes;
    private long messageIds;

    /** One WebSocket: the server's connection and its sink, and whether the client still holds it. */
    final class Link implements ConnectionIO, SessionSink {
        final GatewayConnection server;
        final List<String> queued = new ArrayList<>();
        boolean open = true;

        Link(Dialect dialect) {
            server = new GatewayConnection(dialect, CONFIG, this, this, ALL_INTENTS, now);
        }

        private void toClient(String frame) {
            wire.add(() -> {
                if (open && current == this) {
                    client.received(json(frame), now);
                }
            });
        }

        // ---- ConnectionIO: the server connection's side of the socket

        @Override
        public void send(String frame) {
            toClient(frame);
        }

        @Override
        public void close(int code, String reason) {
            wire.add(() -> {
                if (open) {
                    open = false;
                    client.closed(code, reason, now);
                }
            });
        }

        @Override
        public void identify(Identify id) {
            wire.add(() -> {
                identifies++;
                String sessionId = "s" + (sessions.size() + 1);
                GatewaySession s = new GatewaySession(sessionId, new SessionIdentity(42, true, id.intents() < 0
                        ? Dialect.FLUXER : Dialect.DISCORD, id.intents(), Set.of(), 0, id.shardId(), id.shardCount(), 50),
                        CONFIG, this, now);
                sessions.put(sessionId, s);
                server.identified(s, now);
                s.dispatchNow("READY", ("{\"session_id\":\"" + sessionId + "\",\"resume_gateway_url\":\"ws://memory/gateway\"}")
                        .getBytes(StandardCharsets.UTF_8));
                s.goLive(now);
                live = s;
            });
        }

        @Override
        public void resume(Resume r) {
            wire.add(() -> {
                resumes++;
                // the server's own rules decide what the outcome becomes on the wire
                server.resumeWith(sessions.get(r.sessionId()), now);
            });
        }

        @Override
        public void request(GatewaySession session, Opcode op, JsonNode d) {}

        // ---- SessionSink: dispatches of the session attached here

        @Override
        public void write(long seq, String type, byte[] body) {
            queued.add("{\"op\":0,\"s\":" + seq + ",\"t\":\"" + type + "\",\"d\":" + new String(body, StandardCharsets.UTF_8) + "}");
        }

        @Override
        public void flush() {
            queued.forEach(this::toClient);
            queued.clear();
        }

        @Override
        public void close(CloseCode code, String reason) {
            wire.add(() -> server.close(code, reason));
        }

        @Override
        public void wakeAt(long at) {
            // the simulated clock asks every connection for its deadline at each step
        }

        /** The network fails: neither side gets a close frame. */
        void drop() {
            wire.add(() -> {
                if (open) {
                    open = false;
                    server.lost(now);
                    client.closed(1006, "", now);
                }
            });
        }
    }

    // ---- ClientTransport: the client's side

    @Override
    public void connect(String url) {
        Dialect dialect = url.contains("v=1&") ? Dialect.FLUXER : Dialect.DISCORD;
        wire.add(() -> {
            Link link = new Link(dialect);
            links.add(link);
            current = link;
            client.opened(now);
            link.server.open();
        });
    }

    @Override
    public boolean send(String payload) {
        Link link = current;
        wire.add(() -> {
            if (link.open) {
                link.server.receive(payload.getBytes(StandardCharsets.UTF_8), now);
            }
        });
        return true;
    }

    @Override
    public void close(int code, String reason) {
        Link link = current;
        wire.add(() -> {
            if (link.open) {
                link.open = false;
                link.server.closedByClient(code, now);
                client.closed(code, reason, now);
            }
        });
    }

    // ---- the simulation

    /** A message for the live session, as the fan-out would hand it; returns its id. */
    long publish() {
        long id = ++messageIds;
        if (live != null && live.dispatch("MESSAGE_CREATE", ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), null, now)) {
            live.flush();
        }
        return id;
    }

    /** Runs the clock forward in 10 ms steps, delivering frames and firing both sides' timers. */
    void run(long millis) {
        long until = now + millis;
        while (now < until) {
            drain();
            if (client.nextDeadline(now) <= now) {
                client.tick(now);
            }
            for (Link l : links) {
                if (l.server.nextDeadline() <= now) {
                    l.server.tick(now);
                }
            }
            for (GatewaySession s : sessions.values()) {
                if (s.expireIfDue(now)) {
                    continue;
                } else if (!s.isAttached() && s.nextDeadline() <= now) {
                    s.tick(now);
                }
            }
            drain();
            now += 10;
        }
    }

    /** Delivers everything on the wire (and what that causes) without moving the clock. */
    void drain() {
        for (int guard = 0; !wire.isEmpty(); guard++) {
            if (guard > 1_000_000) {
                throw new AssertionError("the two cores never stop talking");
            }
            wire.poll().run();
        }
    }

    static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
