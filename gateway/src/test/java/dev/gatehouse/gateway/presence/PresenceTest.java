package dev.gatehouse.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Activity;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Op 3 parsing and presence across a user's sessions. */
class PresenceTest {

    static PresenceUpdate parse(String json) throws Exception {
        return PresenceUpdate.parse(Json.mapper().readTree(json));
    }

    @Test
    void parsesStatusAndActivities() throws Exception {
        PresenceUpdate p = parse("{\"since\":null,\"status\":\"idle\",\"afk\":true,\"activities\":[{\"name\":\"x\",\"type\":2,\"state\":\"s\"}]}");
        assertThat(p.status()).isEqualTo("idle");
        assertThat(p.activities()).hasSize(1);
        assertThat(p.activities().get(0)).isEqualTo(new Activity("x", 2, "s", null));
        assertThat(parse("{\"status\":\"invisible\"}").visibleStatus()).isEqualTo("offline");
    }

    @Test
    void malformedPresencesAreDecodeErrors() {
        String[] bad = {"5", "{\"status\":\"busy\"}", "{\"status\":1}", "{\"activities\":{}}", "{\"activities\":[{}]}",
            "{\"activities\":[{\"name\":\"" + "x".repeat(129) + "\"}]}", "{\"activities\":[{\"name\":\"x\",\"type\":9}]}",
            "{\"activities\":[" + "{\"name\":\"x\"},".repeat(8) + "{\"name\":\"x\"}]}", "{\"afk\":\"no\"}", "{\"since\":-1}"};
        for (String json : bad) {
            assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(ProtocolViolation.class);
        }
    }

    @Test
    void theLatestSessionUpdateWinsAndTheLastEndGoesOffline() {
        PresenceRegistry r = new PresenceRegistry();
        assertThat(r.sessionStarted(1, "a", PresenceUpdate.ONLINE, "desktop")).get().extracting(PresenceView::status).isEqualTo("online");
        assertThat(r.sessionStarted(1, "b", PresenceUpdate.ONLINE, "web")).as("same status, other platform").isPresent();
        PresenceUpdate dnd = new PresenceUpdate("dnd", List.of(), false);
        assertThat(r.update(1, "a", dnd)).get().extracting(PresenceView::status).isEqualTo("dnd");
        assertThat(r.update(1, "a", dnd)).as("no change, nothing to publish").isEmpty();
        assertThat(r.sessionEnded(1, "a")).get().extracting(PresenceView::status).isEqualTo("online");
        assertThat(r.get(1)).isPresent();
        assertThat(r.sessionEnded(1, "b")).get().extracting(PresenceView::status).isEqualTo("offline");
        assertThat(r.get(1)).isEmpty();
    }

    @Test
    void whenTheSessionThatSetThePresenceLastEndsTheNextLatestShows() {
        PresenceRegistry r = new PresenceRegistry();
        PresenceUpdate idle = new PresenceUpdate("idle", List.of(), false);
        PresenceUpdate dnd = new PresenceUpdate("dnd", List.of(), false);
        r.sessionStarted(1, "a", PresenceUpdate.ONLINE, "web");
        r.sessionStarted(1, "b", idle, "web");
        r.sessionStarted(1, "c", dnd, "web");
        r.update(1, "a", PresenceUpdate.ONLINE); // a is the latest again
        assertThat(r.sessionEnded(1, "b")).as("not the latest: nothing changes").isEmpty();
        assertThat(r.sessionEnded(1, "a")).get().extracting(PresenceView::status).isEqualTo("dnd");
        assertThat(r.ofSession(1, "c")).get().extracting(SessionPresence::update).isEqualTo(dnd);
        assertThat(r.ofSession(1, "a")).isEmpty();
    }

    @Test
    void invisibleIsOfflineToOthersAndUnknownSessionsChangeNothing() {
        PresenceRegistry r = new PresenceRegistry();
        assertThat(r.sessionStarted(2, "a", new PresenceUpdate("invisible", List.of(), false), "web")).isEmpty();
        assertThat(r.get(2)).isEmpty();
        assertThat(r.update(2, "nope", PresenceUpdate.ONLINE)).isEmpty();
        assertThat(r.update(2, "a", PresenceUpdate.ONLINE)).get().extracting(PresenceView::status).isEqualTo("online");
    }

    @Test
    void presenceViewsCoalescePerUserAndGuild() {
        PresenceView a = PresenceView.of(1, 10L, "online", List.of(), "web");
        assertThat(a.coalesceKey()).isEqualTo(a.inGuild(10).coalesceKey()).isNotEqualTo(a.inGuild(11).coalesceKey());
        assertThat(Json.string(a)).contains("\"client_status\":{\"web\":\"online\"}").contains("\"guild_id\":\"10\"");
    }

    @Test
    void changesOfOneUserReachTheListenerInTheOrderTheyHappened() throws Exception {
        List<PresenceView> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        PresenceRegistry r = new PresenceRegistry(told::add);
        r.sessionStarted(1, "a", PresenceUpdate.ONLINE, "desktop");
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int n = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    r.update(1, "a", new PresenceUpdate((i + n) % 2 == 0 ? "dnd" : "idle", List.of(), false));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        // the last change told is what the registry shows: no older view was published after a newer one
        assertThat(told.getLast().status()).isEqualTo(r.get(1).orElseThrow().status());
        for (int i = 1; i < told.size(); i++) {
            assertThat(told.get(i)).as("each change differs from the one before it").isNotEqualTo(told.get(i - 1));
        }
    }
}
