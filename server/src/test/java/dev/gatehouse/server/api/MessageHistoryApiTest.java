package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MessagingFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading messages: paging with before / after / around, single messages, READ_MESSAGE_HISTORY. */
class MessageHistoryApiTest extends ServerPerClass {

    static MessagingFixture fx;
    static MessagingFixture.Guild g;
    /** Ten messages in the general channel, oldest first. */
    static List<Long> m = new ArrayList<>();

    @BeforeAll
    static void start() {
        fx = new MessagingFixture(server);
        g = fx.guild();
        for (int i = 0; i < 10; i++) {
            m.add(fx.send(g.general(), i % 2 == 0 ? g.owner() : g.member(), "message " + i).get("id").asLong());
        }
    }

    private static List<Long> expect(int... indexes) {
        List<Long> ids = new ArrayList<>();
        for (int i : indexes) {
            ids.add(m.get(i));
        }
        return ids;
    }

    @Test
    void newestFirstWithDefaultAndExplicitLimits() {
        assertThat(fx.ids(g.general(), g.member(), "")).isEqualTo(expect(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        assertThat(fx.ids(g.general(), g.member(), "?limit=3")).isEqualTo(expect(9, 8, 7));
        var first = api.get("/channels/" + g.general() + "/messages?limit=1", g.member().token()).json().get(0);
        assertThat(first.get("content").asText()).isEqualTo("message 9");
        assertThat(first.at("/author/id").asLong()).isEqualTo(g.member().id());
    }

    @Test
    void beforeAndAfterPage() {
        assertThat(fx.ids(g.general(), g.member(), "?before=" + m.get(5) + "&limit=3")).isEqualTo(expect(4, 3, 2));
        assertThat(fx.ids(g.general(), g.member(), "?before=" + m.get(1))).isEqualTo(expect(0));
        assertThat(fx.ids(g.general(), g.member(), "?before=" + m.get(0))).isEmpty();
        // after: the oldest `limit` messages after the id, still newest first
        assertThat(fx.ids(g.general(), g.member(), "?after=" + m.get(5) + "&limit=3")).isEqualTo(expect(8, 7, 6));
        assertThat(fx.ids(g.general(), g.member(), "?after=" + m.get(7))).isEqualTo(expect(9, 8));
        assertThat(fx.ids(g.general(), g.member(), "?after=0&limit=2")).isEqualTo(expect(1, 0));
    }

    @Test
    void aroundIsCentredOnTheMessage() {
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(5) + "&limit=5")).isEqualTo(expect(7, 6, 5, 4, 3));
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(5) + "&limit=4")).isEqualTo(expect(7, 6, 5, 4));
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(5) + "&limit=1")).isEqualTo(expect(5));
        // at either end the other side fills the page
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(0) + "&limit=5")).isEqualTo(expect(4, 3, 2, 1, 0));
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(9) + "&limit=3")).isEqualTo(expect(9, 8, 7));
        // around wins over before and after, as only one of them applies
        assertThat(fx.ids(g.general(), g.member(), "?around=" + m.get(5) + "&before=" + m.get(2) + "&limit=3"))
                .isEqualTo(expect(6, 5, 4));
    }

    @Test
    void badQueriesAre50035() {
        String base = "/channels/" + g.general() + "/messages";
        for (String q : new String[] {"?limit=0", "?limit=101", "?limit=x", "?before=abc", "?around=-1"}) {
            var r = api.get(base + q, g.member().token());
            assertError(r, 400, 50035);
        }
        assertThat(fx.ids(g.general(), g.member(), "?limit=100")).hasSize(10);
    }

    @Test
    void singleMessagesAndUnknownIds() {
        String base = "/channels/" + g.general() + "/messages/";
        var one = api.get(base + m.get(3), g.member().token());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("content").asText()).isEqualTo("message 3");
        assertError(api.get(base + "123456789", g.member().token()), 404, 10008);
        var elsewhere = fx.send(g.voice(), g.owner(), "voice chat");
        // the id of a message of another channel is unknown in this one
        assertError(api.get(base + elsewhere.get("id").asText(), g.member().token()), 404, 10008);
        assertError(api.get("/channels/" + g.category() + "/messages", g.member().token()), 400, 50024);
        assertError(api.get("/channels/" + g.general() + "/messages/" + m.get(1), api.register("nobody").token()), 403, 50001);
    }

    @Test
    void withoutReadMessageHistoryTheListIsEmpty() {
        var other = fx.guild();
        long id = fx.send(other.general(), other.owner(), "history").get("id").asLong();
        fx.deny(other.general(), other.member().id(), Permission.READ_MESSAGE_HISTORY);
        var list = api.get("/channels/" + other.general() + "/messages", other.member().token());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).isEmpty();
        assertError(api.get("/channels/" + other.general() + "/messages/" + id, other.member().token()), 403, 50013);
        fx.deny(other.general(), other.member().id(), Permission.VIEW_CHANNEL);
        assertError(api.get("/channels/" + other.general() + "/messages", other.member().token()), 403, 50001);
        assertThat(fx.ids(other.general(), other.owner(), "")).containsExactly(id);
    }
}
