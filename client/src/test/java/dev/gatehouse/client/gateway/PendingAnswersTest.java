package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingAnswersTest {

    final PendingAnswers answers = new PendingAnswers();

    static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void memberChunksAreCollectedByNonceUntilTheLast() throws Exception {
        String nonce = answers.nextNonce();
        CompletableFuture<List<JsonNode>> mine = answers.members(nonce);
        CompletableFuture<List<JsonNode>> other = answers.members(answers.nextNonce());
        answers.onDispatch("GUILD_MEMBERS_CHUNK", json("{\"nonce\":\"" + nonce + "\",\"chunk_index\":0,\"chunk_count\":2}"), 5);
        answers.onDispatch("GUILD_MEMBERS_CHUNK", json("{\"nonce\":\"someone-else\",\"chunk_index\":0,\"chunk_count\":1}"), 6);
        assertThat(mine).isNotDone();
        answers.onDispatch("GUILD_MEMBERS_CHUNK", json("{\"nonce\":\"" + nonce + "\",\"chunk_index\":1,\"chunk_count\":2}"), 7);
        assertThat(mine.join()).extracting(c -> c.get("chunk_index").intValue()).containsExactly(0, 1);
        assertThat(other).isNotDone();
        assertThat(nonce.length()).isLessThanOrEqualTo(32);
    }

    @Test
    void aNonceStillWaitingCannotBeUsedTwice() {
        CompletableFuture<List<JsonNode>> first = answers.members("same");
        assertThat(answers.members("same")).isCompletedExceptionally();
        assertThat(first).isNotDone();
    }

    @Test
    void aRefusalForItsRateFailsTheRequest() throws Exception {
        CompletableFuture<List<JsonNode>> request = answers.members("n");
        answers.onDispatch("RATE_LIMITED", json("{\"opcode\":8,\"retry_after\":1.5,\"meta\":{\"guild_id\":\"5\",\"nonce\":\"n\"}}"), 3);
        assertThat(request).isCompletedExceptionally();
        assertThat(request.exceptionNow()).isInstanceOfSatisfying(GatewayRateLimitedException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1.5));
    }

    @Test
    void theEndOfTheSessionFailsWhatWaitsAndALeaveFailsTheJoin() throws Exception {
        CompletableFuture<List<JsonNode>> members = answers.members("n");
        CompletableFuture<JsonNode> join = answers.voiceServer(5);
        CompletableFuture<JsonNode> otherGuild = answers.voiceServer(6);
        answers.cancelVoice(5);
        assertThat(join).isCompletedExceptionally();
        answers.onDispatch("VOICE_SERVER_UPDATE", json("{\"guild_id\":\"6\",\"token\":\"t\",\"endpoint\":\"h:1\"}"), 4);
        assertThat(otherGuild.join().get("endpoint").asText()).isEqualTo("h:1");
        answers.onSessionEnded();
        assertThat(members).isCompletedExceptionally();
        assertThat(answers.members("n")).as("a failed request's nonce is free again").isNotDone();
    }
}
