package dev.gatehouse.rest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rest.http.Route;
import dev.gatehouse.rest.http.RouteTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The message, reaction and typing routes: how paths match and which rate-limit buckets they declare. */
class MessageRouteTableTest {

    private RouteTable table;

    @BeforeEach
    void build() {
        table = new RouteTable();
        // handlers are not run here, so the routes need no platform
        new MessageRoutes(null).register(table);
        new ReactionRoutes(null).register(table);
    }

    private Route route(String method, String path) {
        RouteTable.Match match = table.match(method, path);
        assertThat(match).as(method + " " + path).isNotNull();
        assertThat(match.route()).as(method + " " + path).isNotNull();
        return match.route();
    }

    @Test
    void discordsBuckets() {
        Route send = route("POST", "/channels/1/messages");
        assertThat(send.limit()).isEqualTo(5);
        assertThat(send.windowMillis()).isEqualTo(5_000);
        assertThat(send.majorParameter()).isEqualTo("channel.id");
        Route typing = route("POST", "/channels/1/typing");
        assertThat(typing.limit()).isEqualTo(5);
        assertThat(typing.windowMillis()).isEqualTo(5_000);
        Route bulk = route("POST", "/channels/1/messages/bulk-delete");
        assertThat(bulk.limit()).isEqualTo(1);
        assertThat(bulk.windowMillis()).isEqualTo(1_000);
        String[][] reactionWrites = {
                {"PUT", "/channels/1/messages/2/reactions/x/@me"},
                {"DELETE", "/channels/1/messages/2/reactions/x/@me"},
                {"DELETE", "/channels/1/messages/2/reactions/x/3"},
                {"DELETE", "/channels/1/messages/2/reactions/x"},
                {"DELETE", "/channels/1/messages/2/reactions"}};
        for (String[] r : reactionWrites) {
            Route route = route(r[0], r[1]);
            assertThat(route.bucket()).as(r[1]).isEqualTo("reactions");
            assertThat(route.limit()).isEqualTo(1);
            assertThat(route.windowMillis()).isEqualTo(250);
        }
        assertThat(route("GET", "/channels/1/messages/2/reactions/x").bucket()).isNotEqualTo("reactions");
    }

    @Test
    void literalSegmentsWinOverParameters() {
        RouteTable.Match own = table.match("PUT", "/channels/1/messages/2/reactions/\uD83D\uDC4D/@me");
        assertThat(own.route().template()).endsWith("/{emoji}/@me");
        assertThat(own.params()).containsEntry("emoji", "\uD83D\uDC4D").containsEntry("message.id", "2");
        RouteTable.Match other = table.match("DELETE", "/channels/1/messages/2/reactions/\uD83D\uDC4D/42");
        assertThat(other.route().template()).endsWith("/{emoji}/{user.id}");
        assertThat(other.params()).containsEntry("user.id", "42");
        assertThat(table.match("POST", "/channels/1/messages/bulk-delete").route().template()).endsWith("/bulk-delete");
        // no PUT on a user's reaction: only DELETE is allowed there
        RouteTable.Match put = table.match("PUT", "/channels/1/messages/2/reactions/x/42");
        assertThat(put.route()).isNull();
        assertThat(put.allowed()).containsExactly("DELETE");
    }
}
