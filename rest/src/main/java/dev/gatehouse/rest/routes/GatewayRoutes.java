package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.service.SessionStartLimiter;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /gateway} (open) and {@code GET /gateway/bot} (bots only). A person's token on the bot
 * route gets what Discord gives it, 401 Unauthorized: libraries read that as "wrong kind of token"
 * rather than as a permission problem in some guild.
 */
final class GatewayRoutes {

    private final Platform platform;
    private final GatewayInfo gateway;

    GatewayRoutes(Platform platform, GatewayInfo gateway) {
        this.platform = platform;
        this.gateway = gateway;
    }

    void register(RouteTable t) {
        t.get("/gateway").open().to(req -> ApiResponse.ok(Map.of("url", gateway.url(req.secure()))));
        t.get("/gateway/bot").to(req -> ApiResponse.ok(bot(req.principal(), req.secure())));
    }

    /**
     * The shard count follows the guilds the bot is in now, and the session-start budget is the one
     * the gateway's Identify spends, read from the store.
     */
    private Map<String, Object> bot(Principal who, boolean overTls) {
        if (!who.isBot()) {
            throw new ApiException(ErrorCode.UNAUTHORIZED);
        }
        int guilds = platform.context().store().read(tx -> tx.guilds().countOwnedOrJoined(who.userId()));
        SessionStartLimiter.Budget budget = platform.sessionStarts().budget(who.userId());
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("total", budget.total());
        limit.put("remaining", budget.remaining());
        limit.put("reset_after", (int) Math.min(Integer.MAX_VALUE, budget.resetAfter())); // a number: longs go out as strings
        limit.put("max_concurrency", budget.maxConcurrency());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", gateway.url(overTls));
        body.put("shards", shards(guilds, platform.context().limits().recommendedGuildsPerShard()));
        body.put("session_start_limit", limit);
        return body;
    }

    static int shards(int guilds, int perShard) {
        return Math.max(1, (guilds + perShard - 1) / perShard);
    }
}
