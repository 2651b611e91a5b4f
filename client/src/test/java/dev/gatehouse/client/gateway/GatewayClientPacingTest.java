package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.RequestGuildMembers;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A busy application against a real server that enforces the send limits: the SDK paces it, so it
 * is never closed for them. The server counts 120 frames per 2 s here instead of per 60 s (and op 8
 * per second), so that 500 frames take seconds, not minutes; the client is told the same limits.
 */
class GatewayClientPacingTest {

    static final long WINDOW_MS = 2_000;
    static final SendLimits LIMITS = SendLimits.defaults().withConnection(new SendLimits.Limit(120, WINDOW_MS), 10)
            .withMemberRequests(new SendLimits.Limit(3, 1_000));

    static TestServer server;
    static SdkGuild guild;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withGateway(GatewayConfig.defaults().toBuilder()
                .frameWindowMs(WINDOW_MS).memberRequestWindowMs(1_000).build()));
        guild = new SdkGuild(server, "Pacing");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    ClientConfig fluxer(Account bot, SendLimits limits) {
        URI gateway = URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/gateway");
        // fluxer: the stricter dialect, where op 8 beyond its limit closes 4008 too
        return ClientConfig.of(gateway, bot.token(), SdkGuild.INTENTS).withDialect(Dialect.FLUXER).withSendLimits(limits);
    }

    /** Op 14 for the guild's member list: no limit of its own, so only the connection's budget paces it. */
    static ObjectNode lazyRequest() {
        ObjectNode d = Json.mapper().createObjectNode().put("guild_id", Long.toString(guild.guildId));
        d.putObject("channels").putArray(Long.toString(guild.channelId)).addArray().add(0).add(99);
        return d;
    }

    @Test
    void fiveHundredFramesSentAsFastAsPossibleAllGoOutAndTheClientIsNeverClosed() throws Exception {
        RecordingListener seen = new RecordingListener();
        try (GatewayClient client = GatewayClient.start(fluxer(guild.bot("busy"), LIMITS), seen)) {
            SdkGuild.await(() -> seen.types.contains("GUILD_CREATE"), "READY and GUILD_CREATE");
            long start = System.nanoTime();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sent.add(client.send(Opcode.LAZY_REQUEST.code(), lazyRequest()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 110 a window for the application: the last of 500 goes in the fifth window
            assertThat(elapsedMs).as("paced").isGreaterThanOrEqualTo(4 * WINDOW_MS);
            // the op 8 helper on the same connection: the answer's chunks, matched by the nonce it chose
            List<JsonNode> chunks = client.requestGuildMembers(RequestGuildMembers.everyone(guild.guildId, null))
                    .get(20, TimeUnit.SECONDS);
            assertThat(chunks).isNotEmpty();
            assertThat(chunks.get(0).path("nonce").asText()).isNotEmpty();
            assertThat(chunks.stream().mapToInt(c -> c.path("members").size()).sum()).as("owner and bot").isEqualTo(2);
            // one more server window after the burst: had the client broken the limit, it would be closed by now
            SdkGuild.sleep(WINDOW_MS);
            assertThat(seen.closedCodes).as("one connection throughout").isEmpty();
            assertThat(client.state()).isEqualTo(GatewayClientCore.State.READY);
        }
    }

    @Test
    void memberRequestsBeyondTheirLimitWaitInsteadOfClosingTheConnection() throws Exception {
        RecordingListener seen = new RecordingListener();
        try (GatewayClient client = GatewayClient.start(fluxer(guild.bot("members"), LIMITS), seen)) {
            SdkGuild.await(() -> seen.types.contains("GUILD_CREATE"), "READY and GUILD_CREATE");
            List<CompletableFuture<List<JsonNode>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(client.requestGuildMembers(RequestGuildMembers.byId(guild.guildId, List.of(guild.owner.id()), null)));
            }
            for (CompletableFuture<List<JsonNode>> answer : answers) {
                JsonNode chunk = answer.get(20, TimeUnit.SECONDS).get(0);
                assertThat(chunk.at("/members/0/user/id").asLong()).isEqualTo(guild.owner.id());
            }
            assertThat(seen.closedCodes).isEmpty();
        }
    }

    /** The control: the same burst with limits far above the server's is closed 4008, so the test above can fail. */
    @Test
    void theSameBurstUnpacedIsClosedForItsRate() {
        SendLimits unpaced = SendLimits.defaults().withConnection(new SendLimits.Limit(100_000, WINDOW_MS), 10);
        RecordingListener seen = new RecordingListener();
        try (GatewayClient client = GatewayClient.start(fluxer(guild.bot("unpaced"), unpaced), seen)) {
            SdkGuild.await(() -> seen.types.contains("GUILD_CREATE"), "READY and GUILD_CREATE");
            for (int i = 0; i < 500; i++) {
                client.send(Opcode.LAZY_REQUEST.code(), lazyRequest());
            }
            SdkGuild.await(() -> seen.closedCodes.contains(CloseCode.RATE_LIMITED.code()), "the server closing 4008");
        }
    }
}
