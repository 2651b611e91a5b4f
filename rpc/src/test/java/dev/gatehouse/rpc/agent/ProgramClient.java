package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What a local program does over either transport: send commands, read answers and events, see the close. */
abstract class ProgramClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    protected final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    protected final List<JsonNode> held = new ArrayList<>();
    private final AtomicLong nonces = new AtomicLong();
    protected volatile Integer closeCode;

    /** Sends one message's text as the transport carries it. */
    abstract void sendText(String text);

    String command(String cmd, Object args, String evt) {
        String nonce = "nonce-" + nonces.incrementAndGet();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cmd", cmd);
        m.set("args", Json.mapper().valueToTree(args));
        if (evt != null) {
            m.put("evt", evt);
        }
        m.put("nonce", nonce);
        sendText(Json.string(m));
        return nonce;
    }

    /** Sends a command and waits for its answer. */
    JsonNode call(String cmd, Object args, String evt) {
        String nonce = command(cmd, args, evt);
        return next(m -> nonce.equals(m.path("nonce").asText()), "answer to " + cmd);
    }

    JsonNode dispatch(String evt) {
        return next(m -> m.path("cmd").asText().equals("DISPATCH") && m.path("evt").asText().equals(evt), "dispatch " + evt);
    }

    /** The first message (held back or new) that matches; the others are kept for later. */
    JsonNode next(java.util.function.Predicate<JsonNode> match, String what) {
        for (JsonNode h : held) {
            if (match.test(h)) {
                held.remove(h);
                return h;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m;
            try {
                m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (m == null) {
                throw new AssertionError("no " + what + " (close " + closeCode + ", held " + held + ")");
            }
            if (match.test(m)) {
                return m;
            }
            held.add(m);
        }
    }

    /** Nothing that matches comes within {@code wait}. */
    boolean quietFor(java.util.function.Predicate<JsonNode> match, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m;
            try {
                m = messages.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (m != null) {
                if (match.test(m)) {
                    return false;
                }
                held.add(m);
            }
        }
        return true;
    }

    /** The close code the agent sent (IPC: its CLOSE frame's; WebSocket: the close frame's). */
    int awaitClose() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (closeCode == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        if (closeCode == null) {
            throw new AssertionError("not closed");
        }
        return closeCode;
    }
}
