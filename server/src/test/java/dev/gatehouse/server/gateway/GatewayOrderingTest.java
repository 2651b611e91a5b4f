package dev.gatehouse.server.gateway;

import static dev.gatehouse.server.gateway.GatewayWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One ordering per guild from commit to socket: deletions judged on the state before them,
 * permission changes and messages in commit order, identify joining a guild's order without a gap,
 * joins that happen once. Each interleaving that used to lose or double an event is forced with a
 * latch inside the publishing section, not left to timing; each test ends on a marker every
 * client must see, so "did not receive X" is checked against a dispatch that came after X.
 */
class GatewayOrderingTest extends WorldPerClass {

    static final long GUILDS = 1;
    static final long GUILD_MEMBERS = 1 << 1;
    static final long GUILD_MESSAGES = 1 << 9;
    static final long VIEW_CHANNEL = 1 << 10;

    /** The ids of CHANNEL_DELETE dispatches until the GUILD_UPDATE that renames the guild to "marker". */
    static List<Long> deletedUntilGuildUpdate(GatewayTestClient c) {
        List<Long> deleted = new ArrayList<>();
        while (true) {
            JsonNode d = c.nextDispatchOf(List.of("CHANNEL_DELETE", "GUILD_UPDATE"), WAIT);
            assertThat(d).as("a CHANNEL_DELETE or the GUILD_UPDATE marker").isNotNull();
            if (d.get("t").asText().equals("GUILD_UPDATE")) {
                if (d.at("/d/name").asText().equals("marker")) {
                    return deleted;
                }
                continue; // deleting the system channel updates the guild too
            }
            deleted.add(d.at("/d/id").asLong());
        }
    }

    /** Children first, then categories: every channel of the guild, in the order they are deleted. */
    static List<Long> channelsInDeletionOrder(ApiClient api, long guildId, String token) {
        List<Long> children = new ArrayList<>();
        List<Long> categories = new ArrayList<>();
        for (JsonNode c : api.get("/guilds/" + guildId + "/channels", token).json()) {
            (c.get("type").intValue() == 4 ? categories : children).add(c.get("id").asLong());
        }
        children.addAll(categories);
        return children;
    }

    static void deleteAllAndRename(ApiClient api, Account owner, long guildId, List<Long> channels) {
        for (long id : channels) {
            var r = api.delete("/channels/" + id, owner.token());
            assertThat(r.status()).as("delete %s: %s", id, r).isEqualTo(200);
        }
        assertThat(api.patch("/guilds/" + guildId, owner.token(), Map.of("name", "marker")).status()).isEqualTo(200);
    }

    static void addBot(ApiClient api, Account owner, Account bot, long guildId) {
        var added = api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", owner.token(),
                Map.of("guild_id", Long.toString(guildId), "permissions", "0", "authorize", true));
        assertThat(added.status()).as("authorize %s", added).isIn(200, 201, 204);
    }

    static GatewayTestClient identified(TestServer server, Account who, long intents) {
        GatewayTestClient c = GatewayTestClient.connect(URI.create(server.baseUrl().replaceFirst("^http", "ws")), "v=10");
        assertThat(c.next(WAIT).get("op").intValue()).isEqualTo(10);
        c.identify(who.token(), intents);
        c.nextDispatch("READY", WAIT);
        return c;
    }

    @Test
    void deletingEveryChannelOfAQuietGuildReachesTheBotForEachChannel() {
        long guild = world.api.createGuild(world.owner, "Quiet").get("id").asLong();
        Account bot = world.api.createBot(world.owner, "janitor");
        addBot(world.api, world.owner, bot, guild);
        List<Long> channels = channelsInDeletionOrder(world.api, guild, world.owner.token());
        assertThat(channels).as("text, voice and both categories").hasSize(4);
        try (GatewayTestClient c = world.identified(bot, "v=10", GUILDS)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            deleteAllAndRename(world.api, world.owner, guild, channels);
            assertThat(deletedUntilGuildUpdate(c)).containsExactlyElementsOf(channels);
        }
    }

    @Test
    void deletionsReachTheBotAfterARestartToo() {
        TestServer first = TestServer.start(c -> c.withRateLimits(false));
        ApiClient api = first.api();
        Account owner = api.register("restarted");
        long guild = api.createGuild(owner, "Restarted").get("id").asLong();
        Account bot = api.createBot(owner, "survivor");
        addBot(api, owner, bot, guild);
        List<Long> channels = channelsInDeletionOrder(api, guild, owner.token());
        try (TestServer server = first.restart(c -> c.withRateLimits(false));
                GatewayTestClient c = identified(server, bot, GUILDS)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            deleteAllAndRename(server.api(), owner, guild, channels);
            assertThat(deletedUntilGuildUpdate(c)).containsExactlyElementsOf(channels);
        }
    }

    @Test
    void deletingTheGuildReachesEveryMemberSession() {
        long guild = world.api.createGuild(world.owner, "Doomed").get("id").asLong();
        Account member = world.api.register("doomed");
        world.join(member, guild);
        try (GatewayTestClient c = world.identified(member, "v=10", GUILDS)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            assertThat(world.api.delete("/guilds/" + guild, world.owner.token()).status()).isEqualTo(204);
            JsonNode gone = c.nextDispatch("GUILD_DELETE", WAIT);
            assertThat(gone.at("/d/id").asLong()).isEqualTo(guild);
        }
    }

    @Test
    void oneUserAcceptingOneInviteTwelveTimesAtOnceJoinsOnce() throws Exception {
        long guild = world.api.createGuild(world.owner, "Crowded").get("id").asLong();
        long channel = world.api.firstTextChannel(guild, world.owner.token());
        // the watcher first: its invite (not unique) would otherwise be the one below, with a use of its own
        Account watcherAccount = watcherOf(guild);
        String code = world.api.post("/channels/" + channel + "/invites", world.owner.token(), Map.of("max_uses", 0,
                "unique", true)).json().get("code").asText();
        Account joiner = world.api.register("eager");
        try (GatewayTestClient watcher = world.identified(watcherAccount, "v=10", GUILDS | GUILD_MEMBERS);
                ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 12; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return world.api.post("/invites/" + code, joiner.token(), null).status();
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<Integer> a : answers) {
                assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(world.api.patch("/guilds/" + guild, world.owner.token(), Map.of("name", "marker")).status()).isEqualTo(200);
            assertThat(countUntilGuildUpdate(watcher, guild, "GUILD_MEMBER_ADD")).isEqualTo(1);
            int uses = -1;
            for (JsonNode i : world.api.get("/guilds/" + guild + "/invites", world.owner.token()).json()) {
                if (i.get("code").asText().equals(code)) {
                    uses = i.get("uses").intValue();
                }
            }
            assertThat(uses).as("one use counted").isEqualTo(1);
        }
    }

    @Test
    void addingOneBotTwelveTimesAtOnceMakesOneMemberAndOneManagedRole() throws Exception {
        long guild = world.api.createGuild(world.owner, "Botted").get("id").asLong();
        Account bot = world.api.createBot(world.owner, "popular");
        try (GatewayTestClient watcher = world.identified(watcherOf(guild), "v=10", GUILDS | GUILD_MEMBERS);
                ExecutorService pool = Executors.newFixedThreadPool(12)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return world.api.post("/oauth2/authorize?client_id=" + bot.id() + "&scope=bot", world.owner.token(),
                            Map.of("guild_id", Long.toString(guild), "permissions", "8", "authorize", true)).status();
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<Integer> a : answers) {
                assertThat(a.get(30, TimeUnit.SECONDS)).isIn(200, 201, 204);
            }
            assertThat(world.api.patch("/guilds/" + guild, world.owner.token(), Map.of("name", "marker")).status()).isEqualTo(200);
            assertThat(countUntilGuildUpdate(watcher, guild, "GUILD_MEMBER_ADD")).isEqualTo(1);
            long managed = 0;
            for (JsonNode role : world.api.get("/guilds/" + guild + "/roles", world.owner.token()).json()) {
                managed += role.get("managed").asBoolean() ? 1 : 0;
            }
            assertThat(managed).as("one managed role, no orphans").isEqualTo(1);
        }
    }

    /** How many dispatches of the type for the guild arrived before its GUILD_UPDATE to "marker". */
    static int countUntilGuildUpdate(GatewayTestClient c, long guild, String type) {
        int count = 0;
        while (true) {
            JsonNode d = c.nextDispatchOf(List.of(type, "GUILD_UPDATE"), WAIT);
            assertThat(d).as("%s or the marker", type).isNotNull();
            if (d.at("/d/guild_id").asLong() != guild && d.at("/d/id").asLong() != guild) {
                continue;
            }
            if (d.get("t").asText().equals("GUILD_UPDATE")) {
                if (d.at("/d/name").asText().equals("marker")) {
                    return count;
                }
                continue;
            }
            count++;
        }
    }

    /** A fresh member of the guild (identify is limited to one per 5 s per user: tests do not share sessions' users). */
    static Account watcherOf(long guild) {
        Account a = world.api.register("watcher");
        world.join(a, guild);
        return a;
    }

    @Test
    void aMessageCommittedBeforeAnOverwriteHidesTheChannelIsStillDeliveredAndNothingAfter() throws Exception {
        Account reader = world.member("reader");
        long secret = world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(), Map.of("name", "race"))
                .json().get("id").asLong();
        try (GatewayTestClient c = world.identified(reader, "v=10", GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT);
                GatewayTestClient o = world.identified(world.owner, "v=10", GUILDS | GUILD_MESSAGES | GatewayWorld.MESSAGE_CONTENT);
                Held held = Held.inside(world.server, e -> e.type() == DispatchType.MESSAGE_CREATE
                        && e.data().toString().contains("probe"))) {
            CompletableFuture<JsonNode> probe = CompletableFuture.supplyAsync(() -> world.post(world.owner, secret, "probe"));
            held.awaitEntered();
            // the overwrite commits after the message: it must wait for the message's section
            CompletableFuture<Integer> hide = CompletableFuture.supplyAsync(() -> world.api.put("/channels/" + secret
                    + "/permissions/" + reader.id(), world.owner.token(), Map.of("type", 1, "allow", "0",
                    "deny", Long.toString(VIEW_CHANNEL))).status());
            assertThat(hide).as("the overwrite waits for the message's section").isNotCompleted();
            Thread.sleep(300);
            assertThat(hide).isNotCompleted();
            held.release();
            probe.get(10, TimeUnit.SECONDS);
            assertThat(hide.get(10, TimeUnit.SECONDS)).isEqualTo(204);
            world.post(world.owner, secret, "hidden");
            String marker = world.post(world.owner, world.channelId, "visible marker").get("id").asText();
            // the overwrite's own CHANNEL_UPDATE goes to those who can see the channel after it
            assertThat(seenUntil(c, marker)).containsExactly("probe");
            assertThat(seenUntil(o, marker)).as("the owner sees the change after the message")
                    .containsExactly("probe", "CHANNEL_UPDATE", "hidden");
        }
    }

    /**
     * Every kind of change to a guild commits inside the guild's section: while another change holds
     * it, none of them is visible in the store, so none can commit out of the order its event goes out
     * in. (An overwrite deletion once committed outside it.)
     */
    @Test
    void noChangeToAGuildCommitsWhileAnotherHoldsItsSection() throws Exception {
        Account target = world.member("target");
        String owner = world.owner.token();
        long channel = world.api.post("/guilds/" + world.guildId + "/channels", owner, Map.of("name", "held")).json()
                .get("id").asLong();
        long role = world.api.post("/guilds/" + world.guildId + "/roles", owner, Map.of("name", "held")).json()
                .get("id").asLong();
        assertThat(world.api.put("/channels/" + channel + "/permissions/" + role, owner,
                Map.of("type", 0, "allow", "0", "deny", Long.toString(VIEW_CHANNEL))).status()).isEqualTo(204);
        String before = state(channel, role, target);
        try (Held held = Held.inside(world.server, e -> e.type() == DispatchType.MESSAGE_CREATE
                && e.data().toString().contains("holder"))) {
            CompletableFuture<JsonNode> holder = CompletableFuture.supplyAsync(() -> world.post(world.owner, channel, "holder"));
            held.awaitEntered();
            List<CompletableFuture<Integer>> changes = List.of(
                    CompletableFuture.supplyAsync(() -> world.api.delete("/channels/" + channel + "/permissions/" + role, owner)
                            .status()),
                    CompletableFuture.supplyAsync(() -> world.api.put("/channels/" + channel + "/permissions/" + target.id(),
                            owner, Map.of("type", 1, "allow", "0", "deny", Long.toString(VIEW_CHANNEL))).status()),
                    CompletableFuture.supplyAsync(() -> world.api.patch("/channels/" + channel, owner,
                            Map.of("name", "renamed")).status()),
                    CompletableFuture.supplyAsync(() -> world.api.patch("/guilds/" + world.guildId + "/roles/" + role, owner,
                            Map.of("name", "renamed")).status()),
                    CompletableFuture.supplyAsync(() -> world.api.put("/guilds/" + world.guildId + "/members/" + target.id()
                            + "/roles/" + role, owner, null).status()));
            // all five wait at the section (a change that wrongly commits first waits there too, to publish)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (world.server.server().bus().order().waiting(world.guildId) < changes.size()) {
                assertThat(System.nanoTime()).as("five changes waiting at the section").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(state(channel, role, target)).as("nothing committed while the section is held").isEqualTo(before);
            held.release();
            holder.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> change : changes) {
                assertThat(change.get(10, TimeUnit.SECONDS)).isBetween(200, 204);
            }
        }
        assertThat(state(channel, role, target)).as("and everything after").isNotEqualTo(before);
    }

    /** What the held-section test's changes touch, read without any section. */
    private static String state(long channel, long role, Account target) {
        String owner = world.owner.token();
        JsonNode c = world.api.get("/channels/" + channel, owner).json();
        JsonNode roles = world.api.get("/guilds/" + world.guildId + "/roles", owner).json();
        String roleName = "";
        for (JsonNode r : roles) {
            if (r.get("id").asLong() == role) {
                roleName = r.get("name").asText();
            }
        }
        JsonNode member = world.api.get("/guilds/" + world.guildId + "/members/" + target.id(), owner).json();
        return c.get("name").asText() + " " + c.get("permission_overwrites").toString() + " " + roleName + " "
                + member.get("roles").toString();
    }

    /** Message contents and CHANNEL_UPDATEs, in order, until the marker message. */
    static List<String> seenUntil(GatewayTestClient c, String marker) {
        List<String> seen = new ArrayList<>();
        while (true) {
            JsonNode d = c.nextDispatchOf(List.of("MESSAGE_CREATE", "CHANNEL_UPDATE"), WAIT);
            assertThat(d).as("the marker").isNotNull();
            if (d.at("/d/id").asText().equals(marker)) {
                return seen;
            }
            seen.add(d.get("t").asText().equals("MESSAGE_CREATE") ? d.at("/d/content").asText() : "CHANNEL_UPDATE");
        }
    }

    @Test
    void aSessionIdentifyingWhileItsUserJoinsGetsTheGuildOnce() throws Exception {
        long guild = world.api.createGuild(world.owner, "Racing").get("id").asLong();
        long channel = world.api.firstTextChannel(guild, world.owner.token());
        Account joiner = world.api.register("racer");
        String code = world.api.post("/channels/" + channel + "/invites", world.owner.token(), Map.of()).json().get("code").asText();
        try (Held held = Held.inside(world.server, e -> e.type() == DispatchType.GUILD_MEMBER_ADD && e.guildId() == guild)) {
            CompletableFuture<Integer> join = CompletableFuture.supplyAsync(() ->
                    world.api.post("/invites/" + code, joiner.token(), null).status());
            held.awaitEntered();
            // the join committed but its events are not out: identify reads a guild list with the
            // guild in it and must wait for the join's section before it snapshots the guild
            GatewayTestClient c = world.connect("v=10");
            c.next(WAIT);
            c.identify(joiner.token(), GUILDS | GUILD_MESSAGES);
            assertThat(c.nextDispatchOf(List.of("READY"), Duration.ofMillis(500)))
                    .as("READY waits until the session follows every guild it lists").isNull();
            held.release();
            JsonNode ready = c.nextDispatch("READY", WAIT);
            assertThat(join.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(ready.at("/d/guilds").findValuesAsText("id")).contains(Long.toString(guild));
            assertThat(c.nextDispatch("GUILD_CREATE", WAIT).at("/d/id").asLong()).isEqualTo(guild);
            String marker = world.post(world.owner, channel, "after the join").get("id").asText();
            int creates = 1;
            while (true) {
                JsonNode d = c.nextDispatchOf(List.of("GUILD_CREATE", "MESSAGE_CREATE"), WAIT);
                assertThat(d).as("the marker in the joined guild").isNotNull();
                if (d.get("t").asText().equals("MESSAGE_CREATE")) {
                    assertThat(d.at("/d/id").asText()).isEqualTo(marker);
                    break;
                }
                creates += d.at("/d/id").asLong() == guild ? 1 : 0;
            }
            assertThat(creates).as("GUILD_CREATE of the joined guild").isEqualTo(1);
            c.close();
        }
    }

    @Test
    void identifiesRacingJoinsNeverLoseOrDoubleTheGuild() throws Exception {
        long guild = world.api.createGuild(world.owner, "Busy").get("id").asLong();
        long channel = world.api.firstTextChannel(guild, world.owner.token());
        String code = world.api.post("/channels/" + channel + "/invites", world.owner.token(), Map.of("max_uses", 0))
                .json().get("code").asText();
        for (int round = 0; round < 8; round++) {
            Account joiner = world.api.register("racer");
            GatewayTestClient c = world.connect("v=10");
            c.next(WAIT);
            CompletableFuture<Integer> join = CompletableFuture.supplyAsync(() ->
                    world.api.post("/invites/" + code, joiner.token(), null).status());
            Thread.sleep(round);
            c.identify(joiner.token(), GUILDS | GUILD_MESSAGES);
            c.nextDispatch("READY", WAIT);
            assertThat(join.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            // the guild's GUILD_CREATE (from identify's snapshot or from the join itself) comes
            // first: events of the guild before it are not the session's
            JsonNode created = c.nextDispatch("GUILD_CREATE", WAIT);
            assertThat(created.at("/d/id").asLong()).as("round %s", round).isEqualTo(guild);
            String marker = world.post(world.owner, channel, "round " + round).get("id").asText();
            int creates = 1;
            while (true) {
                JsonNode d = c.nextDispatchOf(List.of("GUILD_CREATE", "MESSAGE_CREATE"), WAIT);
                assertThat(d).as("round %s: the marker", round).isNotNull();
                if (d.get("t").asText().equals("MESSAGE_CREATE") && d.at("/d/id").asText().equals(marker)) {
                    break;
                }
                creates += d.get("t").asText().equals("GUILD_CREATE") && d.at("/d/id").asLong() == guild ? 1 : 0;
            }
            assertThat(creates).as("round %s: GUILD_CREATE of the joined guild", round).isEqualTo(1);
            c.close();
        }
    }

    @Test
    void aKickedMemberGetsNoMoreMemberListUpdates() {
        Account watcher = world.member("watcher");
        try (GatewayTestClient c = world.identified(watcher, "v=1&encoding=json", 0)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            c.send(Map.of("op", 14, "d", Map.of("guild_id", Long.toString(world.guildId),
                    "channels", Map.of(Long.toString(world.channelId), List.of(List.of(0, 99))))));
            c.nextDispatch("GUILD_MEMBER_LIST_UPDATE", WAIT);
            world.member("before");
            assertThat(c.nextDispatch("GUILD_MEMBER_LIST_UPDATE", WAIT).at("/d/ops/0/op").asText())
                    .as("the list follows joins while the watcher is a member").isNotEmpty();
            assertThat(world.api.delete("/guilds/" + world.guildId + "/members/" + watcher.id(), world.owner.token()).status())
                    .isEqualTo(204);
            c.nextDispatch("GUILD_DELETE", WAIT);
            world.member("after");
            // the marker: the watcher's own profile change, published after the join above
            assertThat(world.api.patch("/users/@me", watcher.token(), Map.of("global_name", "Marker")).status()).isEqualTo(200);
            JsonNode next = c.nextDispatchOf(List.of("GUILD_MEMBER_LIST_UPDATE", "USER_UPDATE"), WAIT);
            assertThat(next.get("t").asText()).isEqualTo("USER_UPDATE");
        }
    }

    @Test
    void aMemberWhoLosesSightOfTheChannelGetsNoMoreOfItsMemberList() {
        Account watcher = world.member("hidden");
        long channel = world.api.post("/guilds/" + world.guildId + "/channels", world.owner.token(), Map.of("name", "listed"))
                .json().get("id").asLong();
        try (GatewayTestClient c = world.identified(watcher, "v=1&encoding=json", 0)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            c.send(Map.of("op", 14, "d", Map.of("guild_id", Long.toString(world.guildId),
                    "channels", Map.of(Long.toString(channel), List.of(List.of(0, 99))))));
            c.nextDispatch("GUILD_MEMBER_LIST_UPDATE", WAIT);
            assertThat(world.api.put("/channels/" + channel + "/permissions/" + watcher.id(), world.owner.token(),
                    Map.of("type", 1, "allow", "0", "deny", Long.toString(VIEW_CHANNEL))).status()).isEqualTo(204);
            world.member("unseen");
            assertThat(world.api.patch("/users/@me", watcher.token(), Map.of("global_name", "Marker")).status()).isEqualTo(200);
            JsonNode next = c.nextDispatchOf(List.of("GUILD_MEMBER_LIST_UPDATE", "USER_UPDATE"), WAIT);
            assertThat(next.get("t").asText()).as("no list update after the overwrite hid the channel").isEqualTo("USER_UPDATE");
        }
    }

    @Test
    void aFluxerPresenceBatchGoesOutWithoutWaitingForAHeartbeat() {
        Account watcher = world.member("batched");
        Account other = world.member("online");
        try (GatewayTestClient c = world.identified(watcher, "v=1&encoding=json", 0)) {
            c.nextDispatch("GUILD_CREATE", WAIT);
            try (GatewayTestClient o = world.identified(other, "v=10", GUILDS)) {
                // the batch is due within a second; the next heartbeat request would be 37 s away
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                long from = 0;
                while (from != other.id() && System.nanoTime() < deadline) {
                    JsonNode presence = c.nextDispatch("PRESENCE_UPDATE", Duration.ofSeconds(5));
                    from = presence.at("/d/user/id").asLong();
                }
                assertThat(from).as("the other user's presence, within 5 s").isEqualTo(other.id());
            }
        }
    }

    @Test
    void aSessionEndedByABadResumeClosesTheConnectionThatStillHeldIt() {
        Account user = world.member("held");
        try (GatewayTestClient a = world.connect("v=1&encoding=json"); GatewayTestClient b = world.connect("v=1&encoding=json")) {
            a.next(WAIT);
            a.identify(user.token(), 0);
            String sessionId = a.nextDispatch("READY", WAIT).at("/d/session_id").asText();
            b.next(WAIT);
            b.resume(user.token(), sessionId, 1_000_000);
            assertThat(b.awaitClose(WAIT).code()).isEqualTo(4007);
            assertThat(a.awaitClose(WAIT).code()).as("the other connection is not left READY and silent").isEqualTo(4007);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Holds the publishing thread inside the section of the first event matching a predicate (a
     * bus listener subscribed after the gateway's, so the gateway already handled the event).
     */
    static final class Held implements AutoCloseable {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AutoCloseable subscription;

        private Held(TestServer server, Predicate<GatewayEvent> which) {
            this.subscription = server.server().bus().subscribe(e -> {
                if (entered.getCount() > 0 && which.test(e)) {
                    entered.countDown();
                    await(released);
                }
            });
        }

        static Held inside(TestServer server, Predicate<GatewayEvent> which) {
            return new Held(server, which);
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the held event was published").isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() throws Exception {
            released.countDown();
            subscription.close();
        }
    }
}
