package dev.gatehouse.rest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Handler NOTHING = req -> ApiResponse.noContent();

    private static RouteTable table() {
        RouteTable t = new RouteTable();
        t.get("/users/@me").to(NOTHING);
        t.patch("/users/@me").limit("users/@me", 2, 1_800_000).to(NOTHING);
        t.get("/users/{user.id}").to(NOTHING);
        t.get("/users/@me/guilds").to(NOTHING);
        t.get("/channels/{channel.id}/messages").to(NOTHING);
        t.post("/channels/{channel.id}/messages").limit("messages", 5, 5_000).to(NOTHING);
        t.get("/channels/{channel.id}/messages/{message.id}").to(NOTHING);
        t.put("/guilds/{guild.id}/members/{user.id}/roles/{role.id}").to(NOTHING);
        t.post("/auth/login").open().limit("auth", 5, 60_000).to(NOTHING);
        t.post("/auth/register").open().limit("auth", 5, 60_000).to(NOTHING);
        return t;
    }

    @Test
    void literalSegmentWinsOverParameter() {
        RouteTable t = table();
        assertThat(t.match("GET", "/users/@me").route().template()).isEqualTo("/users/@me");
        assertThat(t.match("GET", "/users/@me").params()).isEmpty();
        RouteTable.Match other = t.match("GET", "/users/123");
        assertThat(other.route().template()).isEqualTo("/users/{user.id}");
        assertThat(other.params()).isEqualTo(Map.of("user.id", "123"));
        assertThat(t.match("GET", "/users/@me/guilds").route().template()).isEqualTo("/users/@me/guilds");
    }

    @Test
    void parametersAreCapturedAtEveryDepth() {
        RouteTable.Match m = table().match("PUT", "/guilds/1/members/2/roles/3");
        assertThat(m.params()).isEqualTo(Map.of("guild.id", "1", "user.id", "2", "role.id", "3"));
        assertThat(table().match("GET", "/channels/9/messages/8").params()).isEqualTo(Map.of("channel.id", "9", "message.id", "8"));
    }

    @Test
    void slashesAreForgivingButSegmentsAreNot() {
        RouteTable t = table();
        assertThat(t.match("GET", "/users/@me/").route().template()).isEqualTo("/users/@me");
        assertThat(t.match("GET", "//users//@me").route().template()).isEqualTo("/users/@me");
        assertThat(t.match("GET", "/users")).isNull();
        assertThat(t.match("GET", "/users/1/2")).isNull();
        assertThat(t.match("GET", "/nowhere")).isNull();
        assertThat(t.match("GET", "/")).isNull();
    }

    @Test
    void wrongMethodMatchesThePathWithoutARouteAndListsTheMethods() {
        RouteTable.Match m = table().match("DELETE", "/users/@me");
        assertThat(m).isNotNull();
        assertThat(m.route()).isNull();
        assertThat(m.allowed()).containsExactly("GET", "PATCH");
        assertThat(ApiDispatcher.allow(m.allowed())).isEqualTo("GET, HEAD, PATCH");
        assertThat(ApiDispatcher.allow(table().match("GET", "/auth/login").allowed())).isEqualTo("POST");
    }

    @Test
    void headIsServedByTheGetRoute() {
        RouteTable.Match m = table().match("HEAD", "/channels/5/messages");
        assertThat(m.route().method()).isEqualTo("GET");
        assertThat(table().match("HEAD", "/auth/login").route()).isNull();
    }

    @Test
    void routesCarryTheirBucketLimitAndMajorParameter() {
        RouteTable t = table();
        Route post = t.match("POST", "/channels/5/messages").route();
        assertThat(post.bucket()).isEqualTo("messages");
        assertThat(post.limit()).isEqualTo(5);
        assertThat(post.windowMillis()).isEqualTo(5_000);
        assertThat(post.majorParameter()).isEqualTo("channel.id");
        assertThat(post.authenticated()).isTrue();

        Route get = t.match("GET", "/channels/5/messages").route();
        assertThat(get.bucket()).as("default bucket is the route itself").isEqualTo("GET /channels/{channel.id}/messages");
        assertThat(get.limit()).isEqualTo(RouteTable.DEFAULT_LIMIT);
        assertThat(get.windowMillis()).isEqualTo(RouteTable.DEFAULT_WINDOW);

        assertThat(t.match("PUT", "/guilds/1/members/2/roles/3").route().majorParameter()).isEqualTo("guild.id");
        assertThat(t.match("GET", "/users/1").route().majorParameter()).isNull();
        Route login = t.match("POST", "/auth/login").route();
        assertThat(login.authenticated()).isFalse();
        assertThat(login.bucket()).isEqualTo(t.match("POST", "/auth/register").route().bucket());
    }

    @Test
    void clashingDefinitionsFailAtStartup() {
        RouteTable t = table();
        assertThatThrownBy(() -> t.get("/users/@me").to(NOTHING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> t.get("/channels/{id}/pins").to(NOTHING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clashes");
    }
}
