package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Voice states on the main gateway: op 4, what the guild sees, and what takes a member out of a channel. */
class VoiceStatesTest extends WorldPerClass {

    static final long GUILDS = 1;
    static final long VOICE = 1 << 7;
    static final long CONNECT = 1 << 20;
    static final long MOVE_MEMBERS = 1 << 24;

    static long voiceChannel(String name, int userLimit) {
        return world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(),
                Map.of("name", name, "type", 2, "user_limit", userLimit)).json().get("id").asLong();
    }

    static void op4(GatewayTestClient c, Long channel) {
        Map<String, Object> d = new HashMap<>();
        d.put("guild_id", Long.toString(world.guildId));
        d.put("channel_id", channel == null ? null : Long.toString(channel));
        d.put("self_mute", false);
        d.put("self_deaf", true);
        c.send(Map.of("op", 4, "d", d));
    }

    /** The next VOICE_STATE_UPDATE about {@code user}: its channel id, or "null". */
    static String nextChannelOf(GatewayTestClient c, Account user) {
        while (true) {
            JsonNode u = c.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            if (u.at("/d/user_id").asLong() == user.id()) {
                return u.at("/d/channel_id").asText("null");
            }
        }
    }

    @Test
    void joinsMovesAndLeavesAreSeenByTheGuildAndKeptForNewSessions() {
        long one = voiceChannel("v-one", 0);
        long two = voiceChannel("v-two", 0);
        Account talker = world.member("talker");
        Account watcher = world.member("watcher");
        try (GatewayTestClient w = world.identified(watcher, "v=10", GUILDS | VOICE);
                GatewayTestClient t = world.identified(talker, "v=10", GUILDS | VOICE)) {
            op4(t, one);
            assertThat(nextChannelOf(w, talker)).isEqualTo(Long.toString(one));
            assertThat(t.nextDispatch("VOICE_SERVER_UPDATE", WAIT).at("/d/guild_id").asLong()).isEqualTo(world.guildId);
            op4(t, two);
            JsonNode moved = w.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            assertThat(moved.at("/d/channel_id").asLong()).isEqualTo(two);
            assertThat(moved.at("/d/self_deaf").booleanValue()).isTrue();
            assertThat(moved.at("/d/member/user/id").asLong()).isEqualTo(talker.id());
            // a session that starts now finds the talker in its GUILD_CREATE
            try (GatewayTestClient late = world.identified(world.member("late"), "v=10", GUILDS | VOICE)) {
                JsonNode guild = late.nextDispatch("GUILD_CREATE", WAIT);
                List<String> inVoice = guild.at("/d/voice_states").findValuesAsText("user_id");
                assertThat(inVoice).contains(Long.toString(talker.id()));
            }
            String states = "/guilds/" + world.guildId + "/voice-states/";
            assertThat(world.api.get(states + "@me", talker.token()).json().get("channel_id").asLong()).isEqualTo(two);
            JsonNode seen = world.api.get(states + talker.id(), watcher.token()).json();
            assertThat(seen.get("channel_id").asLong()).isEqualTo(two);
            assertThat(seen.at("/member/user/id").asLong()).isEqualTo(talker.id());
            op4(t, null);
            assertThat(nextChannelOf(w, talker)).isEqualTo("null");
            var none = world.api.get(states + talker.id(), watcher.token());
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.json().get("code").intValue()).isEqualTo(10065);
            assertThat(world.api.get(states + "@me", world.api.register("nonmember").token()).status())
                    .as("not a member of the guild: as every guild route answers it").isEqualTo(403);
        }
    }

    @Test
    void withoutConnectOrRoomTheJoinIsRefused() {
        long locked = voiceChannel("v-locked", 0);
        long small = voiceChannel("v-small", 1);
        Account outsider = world.member("outsider");
        Account first = world.member("first");
        assertThat(world.api.put("/channels/" + locked + "/permissions/" + outsider.id(), world.owner.token(),
                Map.of("type", 1, "allow", "0", "deny", Long.toString(CONNECT))).status()).isEqualTo(204);
        try (GatewayTestClient o = world.identified(outsider, "v=1", GUILDS);
                GatewayTestClient f = world.identified(first, "v=10", GUILDS | VOICE)) {
            op4(o, locked);
            assertThat(error(o)).isEqualTo("Missing permission to connect");
            op4(f, small);
            assertThat(nextChannelOf(f, first)).isEqualTo(Long.toString(small));
            op4(o, small);
            assertThat(error(o)).as("user_limit 1, taken").isEqualTo("Channel full");
            // who may move members may join a full channel
            Account mover = world.member("mover");
            long role = world.api.post("/guilds/" + world.guildId + "/roles", world.owner.token(),
                    Map.of("name", "movers", "permissions", Long.toString(MOVE_MEMBERS))).json().get("id").asLong();
            assertThat(world.api.put("/guilds/" + world.guildId + "/members/" + mover.id() + "/roles/" + role,
                    world.owner.token(), null).status()).isEqualTo(204);
            try (GatewayTestClient m = world.identified(mover, "v=10", GUILDS | VOICE)) {
                op4(m, small);
                assertThat(nextChannelOf(f, mover)).isEqualTo(Long.toString(small));
            }

        }
    }

    @Test
    void aStageTakesEveryoneInAsAListenerUntilAllowedToSpeak() {
        long stage = world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(),
                Map.of("name", "town-hall", "type", 13)).json().get("id").asLong();
        long plain = voiceChannel("v-plain", 0);
        Account listener = world.member("audience");
        String states = "/guilds/" + world.guildId + "/voice-states/";
        try (GatewayTestClient l = world.identified(listener, "v=10", GUILDS | VOICE);
                GatewayTestClient o = world.identified(world.owner, "v=10", GUILDS | VOICE)) {
            assertThat(world.api.patch(states + "@me", listener.token(), Map.of("channel_id", Long.toString(stage),
                    "suppress", true)).json().get("code").intValue()).as("not in the stage yet").isEqualTo(10065);
            op4(l, stage);
            JsonNode joined = nextStateOf(o, listener);
            assertThat(joined.at("/d/channel_id").asLong()).isEqualTo(stage);
            assertThat(joined.at("/d/suppress").booleanValue()).as("everyone joins a stage as a listener").isTrue();
            assertThat(joined.at("/d/request_to_speak_timestamp").isNull()).isTrue();

            var unsuppressSelf = world.api.patch(states + "@me", listener.token(),
                    Map.of("channel_id", Long.toString(stage), "suppress", false));
            assertThat(unsuppressSelf.status()).as("without MUTE_MEMBERS").isEqualTo(403);
            var past = world.api.patch(states + "@me", listener.token(),
                    Map.of("channel_id", Long.toString(stage), "request_to_speak_timestamp", "2020-01-01T00:00:00Z"));
            assertThat(past.status()).isEqualTo(400);
            assertThat(past.json().at("/errors/request_to_speak_timestamp/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_TIME");
            String now = java.time.Instant.now().plusSeconds(1).toString();
            assertThat(world.api.patch(states + "@me", listener.token(), Map.of("channel_id", Long.toString(stage),
                    "request_to_speak_timestamp", now)).status()).isEqualTo(204);
            JsonNode asked = nextStateOf(o, listener);
            assertThat(java.time.Instant.parse(asked.at("/d/request_to_speak_timestamp").asText()))
                    .isEqualTo(java.time.Instant.parse(now));

            // a moderator lets the member speak
            assertThat(world.api.patch(states + listener.id(), world.owner.token(), Map.of("channel_id", Long.toString(stage),
                    "suppress", false)).status()).isEqualTo(204);
            assertThat(nextStateOf(o, listener).at("/d/suppress").booleanValue()).isFalse();
            assertThat(world.api.get(states + listener.id(), world.owner.token()).json().get("suppress").booleanValue()).isFalse();
            // and anyone may step back down
            assertThat(world.api.patch(states + "@me", listener.token(), Map.of("channel_id", Long.toString(stage),
                    "suppress", true)).status()).isEqualTo(204);
            assertThat(nextStateOf(o, listener).at("/d/suppress").booleanValue()).isTrue();

            var notAModerator = world.api.patch(states + world.owner.id(), listener.token(),
                    Map.of("channel_id", Long.toString(stage), "suppress", true));
            assertThat(notAModerator.json().get("code").intValue()).as("the owner is in no stage").isEqualTo(10065);
            op4(l, plain);
            assertThat(nextStateOf(o, listener).at("/d/suppress").booleanValue()).as("a voice channel has no listeners")
                    .isFalse();
            assertThat(world.api.patch(states + "@me", listener.token(), Map.of("channel_id", Long.toString(plain),
                    "suppress", true)).json().get("code").intValue()).isEqualTo(50024);
            assertThat(world.api.patch(states + "@me", listener.token(), Map.of("suppress", true)).status())
                    .as("channel_id is required").isEqualTo(400);
        }
    }

    /** The next VOICE_STATE_UPDATE about {@code user}. */
    static JsonNode nextStateOf(GatewayTestClient c, Account user) {
        while (true) {
            JsonNode u = c.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            if (u.at("/d/user_id").asLong() == user.id()) {
                return u;
            }
        }
    }

    /** The fluxer op 12 message. */
    static String error(GatewayTestClient c) {
        while (true) {
            JsonNode n = c.next(WAIT);
            if (n.get("op").intValue() == 12) {
                assertThat(n.at("/d/code").asText()).isEqualTo("VOICE_STATE_INVALID");
                return n.at("/d/message").asText();
            }
        }
    }

    @Test
    void aKickAChannelDeleteAndTheSessionsEndEachDisconnect() {
        long channel = voiceChannel("v-gone", 0);
        Account kicked = world.member("kicked");
        Account stayer = world.member("stayer");
        Account leaver = world.member("leaver");
        try (GatewayTestClient w = world.identified(world.member("moderator"), "v=10", GUILDS | VOICE | (1 << 1));
                GatewayTestClient k = world.identified(kicked, "v=10", GUILDS | VOICE);
                GatewayTestClient s = world.identified(stayer, "v=10", GUILDS | VOICE)) {
            GatewayTestClient l = world.identified(leaver, "v=10", GUILDS | VOICE);
            for (var c : List.of(k, s, l)) {
                op4(c, channel);
            }
            Set<Long> joined = new HashSet<>();
            while (joined.size() < 3) { // the three joins race each other
                JsonNode u = w.nextDispatch("VOICE_STATE_UPDATE", WAIT);
                assertThat(u.at("/d/channel_id").asLong()).isEqualTo(channel);
                joined.add(u.at("/d/user_id").asLong());
            }
            assertThat(joined).containsExactlyInAnyOrder(kicked.id(), stayer.id(), leaver.id());
            assertThat(world.api.delete("/guilds/" + world.guildId + "/members/" + kicked.id(), world.owner.token()).status())
                    .isEqualTo(204);
            JsonNode next = w.nextDispatchOf(List.of("VOICE_STATE_UPDATE", "GUILD_MEMBER_REMOVE"), WAIT);
            assertThat(next.get("t").asText()).as("the disconnect, then the removal").isEqualTo("VOICE_STATE_UPDATE");
            assertThat(next.at("/d/user_id").asLong()).isEqualTo(kicked.id());
            assertThat(next.at("/d/channel_id").isNull()).isTrue();
            l.close(1000); // the session ends: its voice state goes with it
            assertThat(nextChannelOf(w, leaver)).isEqualTo("null");
            assertThat(world.api.delete("/channels/" + channel, world.owner.token()).status()).isEqualTo(200);
            assertThat(nextChannelOf(w, stayer)).isEqualTo("null");
            try (GatewayTestClient late = world.identified(world.member("after"), "v=10", GUILDS | VOICE)) {
                JsonNode guild = late.nextDispatch("GUILD_CREATE", WAIT);
                assertThat(guild.at("/d/voice_states").findValuesAsText("channel_id")).doesNotContain(Long.toString(channel));
            }
            assertThat(w.nextDispatchOf(List.of("VOICE_STATE_UPDATE"), Duration.ofMillis(300))).as("nothing more").isNull();
        }
    }

    @Test
    void moderatorsMuteDeafenMoveAndDisconnectAMemberInVoice() {
        long from = voiceChannel("v-from", 0);
        long to = voiceChannel("v-to", 0);
        Account member = world.member("moderated");
        Account bystander = world.member("bystander");
        String path = "/guilds/" + world.guildId + "/members/" + member.id();
        var notInVoice = world.api.patch(path, world.owner.token(), Map.of("mute", true));
        assertThat(notInVoice.status()).isEqualTo(400);
        assertThat(notInVoice.json().get("code").intValue()).isEqualTo(40032);
        try (GatewayTestClient w = world.identified(bystander, "v=10", GUILDS | VOICE);
                GatewayTestClient m = world.identified(member, "v=10", GUILDS | VOICE)) {
            op4(m, from);
            assertThat(nextChannelOf(w, member)).isEqualTo(Long.toString(from));
            assertThat(world.api.patch(path, bystander.token(), Map.of("mute", true)).status())
                    .as("MUTE_MEMBERS needed").isEqualTo(403);
            assertThat(world.api.patch(path, world.owner.token(), Map.of("mute", true, "deaf", true)).status()).isEqualTo(200);
            JsonNode muted = w.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            assertThat(muted.at("/d/mute").booleanValue()).isTrue();
            assertThat(muted.at("/d/deaf").booleanValue()).isTrue();
            assertThat(muted.at("/d/self_deaf").booleanValue()).as("the member's own flags stay").isTrue();
            assertThat(world.api.patch(path, world.owner.token(), Map.of("channel_id", Long.toString(to))).status())
                    .isEqualTo(200);
            JsonNode moved = w.nextDispatch("VOICE_STATE_UPDATE", WAIT);
            assertThat(moved.at("/d/channel_id").asLong()).isEqualTo(to);
            assertThat(moved.at("/d/mute").booleanValue()).as("a move keeps the server mute").isTrue();
            assertThat(world.api.patch(path, world.owner.token(), Map.of("channel_id", Long.toString(world.channelId)))
                    .status()).as("not a voice channel").isEqualTo(404);
            Map<String, Object> disconnect = new HashMap<>();
            disconnect.put("channel_id", null);
            assertThat(world.api.patch(path, world.owner.token(), disconnect).status()).isEqualTo(200);
            assertThat(nextChannelOf(w, member)).isEqualTo("null");
            assertThat(world.api.patch(path, world.owner.token(), Map.of("deaf", false)).json().get("code").intValue())
                    .isEqualTo(40032);
        }
    }

    @Test
    void thereIsOneVoiceRegionAndItIsOptimal() {
        JsonNode regions = world.api.get("/voice/regions", world.owner.token()).json();
        assertThat(regions).hasSize(1);
        assertThat(regions.get(0).get("optimal").booleanValue()).isTrue();
        assertThat(world.api.get("/voice/regions", null).status()).isEqualTo(401);
    }
}
