package dev.gatehouse.rest.routes;

import dev.gatehouse.core.Platform;
import dev.gatehouse.rest.http.ApiResponse;
import dev.gatehouse.rest.http.RouteTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /voice/regions}: the regions a voice channel's {@code rtc_region} may name. A node
 * serves voice itself, so there is one region, the optimal one; libraries list it when asked. And
 * a member's voice state: {@code GET /guilds/{id}/voice-states/@me} and {@code /{user.id}}, and
 * {@code PATCH} of them for a stage's speakers and listeners.
 */
final class VoiceRoutes {

    static final String REGION = "gatehouse";

    private final Platform platform;

    VoiceRoutes(Platform platform) {
        this.platform = platform;
    }

    void register(RouteTable t) {
        t.get("/voice/regions").to(req -> ApiResponse.ok(List.of(region())));
        t.get("/guilds/{guild.id}/voice-states/@me").to(req -> ApiResponse.ok(
                platform.voice().get(req.principal(), req.snowflake("guild.id"), req.principal().userId())));
        t.get("/guilds/{guild.id}/voice-states/{user.id}").to(req -> ApiResponse.ok(
                platform.voice().get(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"))));
        t.patch("/guilds/{guild.id}/voice-states/@me").to(req -> {
            platform.voice().updateStage(req.principal(), req.snowflake("guild.id"), req.principal().userId(), req.form());
            return ApiResponse.noContent();
        });
        t.patch("/guilds/{guild.id}/voice-states/{user.id}").to(req -> {
            platform.voice().updateStage(req.principal(), req.snowflake("guild.id"), req.snowflake("user.id"), req.form());
            return ApiResponse.noContent();
        });
    }

    static Map<String, Object> region() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", REGION);
        r.put("name", "Gatehouse");
        r.put("optimal", true);
        r.put("deprecated", false);
        r.put("custom", false);
        return r;
    }
}
