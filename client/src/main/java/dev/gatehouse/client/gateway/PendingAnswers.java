package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The requests whose answers come back as dispatches: op 8's GUILD_MEMBERS_CHUNKs, collected by
 * nonce until the last chunk, and op 4's VOICE_SERVER_UPDATE, by guild. Listens on the client's
 * thread, like every listener; the helpers register on that thread too.
 *
 * <p>An answer outlives a resume (the server replays what it sent meanwhile) but not the session:
 * when the session ends, or the client stops, what is still waiting fails.
 */
final class PendingAnswers implements GatewayListener {

    /** Chunks of one op 8 request. */
    private static final class Chunks {
        final CompletableFuture<List<JsonNode>> done = new CompletableFuture<>();
        final List<JsonNode> received = new ArrayList<>();
    }

    private final Map<String, Chunks> members = new HashMap<>();
    private final Map<Long, CompletableFuture<JsonNode>> voiceServers = new HashMap<>();
    private long nonces;

    /** A nonce for a new member request, unique on this client and at most 32 bytes as the protocol asks. */
    String nextNonce() {
        return "gh-" + Long.toString(++nonces, 36);
    }

    /** The answer to the request with this nonce; failed at once if another request waits with the same nonce. */
    CompletableFuture<List<JsonNode>> members(String nonce) {
        if (members.containsKey(nonce)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a request with nonce " + nonce
                    + " is still waiting for its answer"));
        }
        Chunks c = new Chunks();
        members.put(nonce, c);
        c.done.whenComplete((r, e) -> members.remove(nonce, c));
        return c.done;
    }

    CompletableFuture<JsonNode> voiceServer(long guildId) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        CompletableFuture<JsonNode> earlier = voiceServers.put(guildId, answer);
        if (earlier != null) {
            earlier.cancel(false); // a newer join of the same guild supersedes it
        }
        answer.whenComplete((r, e) -> voiceServers.remove(guildId, answer));
        return answer;
    }

    /** A leave: the join still waiting for its VOICE_SERVER_UPDATE will not get one. */
    void cancelVoice(long guildId) {
        CompletableFuture<JsonNode> waiting = voiceServers.get(guildId);
        if (waiting != null) {
            waiting.completeExceptionally(new IllegalStateException("left the voice channel before the server answered"));
        }
    }

    @Override
    public void onDispatch(String type, JsonNode d, long seq) {
        switch (type) {
            case "GUILD_MEMBERS_CHUNK" -> {
                Chunks c = members.get(d.path("nonce").asText(""));
                if (c != null) {
                    c.received.add(d);
                    if (d.path("chunk_index").asInt() + 1 >= d.path("chunk_count").asInt(1)) {
                        c.done.complete(List.copyOf(c.received));
                    }
                }
            }
            case "RATE_LIMITED" -> {
                Chunks c = members.get(d.at("/meta/nonce").asText(""));
                if (c != null) {
                    c.done.completeExceptionally(new GatewayRateLimitedException(d.path("opcode").asInt(),
                            d.path("retry_after").asDouble()));
                }
            }
            case "VOICE_SERVER_UPDATE" -> {
                CompletableFuture<JsonNode> answer = voiceServers.get(d.path("guild_id").asLong());
                if (answer != null) {
                    answer.complete(d);
                }
            }
            default -> { }
        }
    }

    @Override
    public void onSessionEnded() {
        failAll(new IllegalStateException("the session ended before the server answered"));
    }

    @Override
    public void onStopped(int code, String reason) {
        failAll(new IllegalStateException("the client stopped (" + code + ")"));
    }

    private void failAll(Exception why) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        members.values().forEach(c -> all.add(c.done));
        all.addAll(voiceServers.values());
        all.forEach(answer -> answer.completeExceptionally(why));
    }
}
