package dev.gatehouse.compat;

import static dev.gatehouse.compat.BotEvent.Kind.MESSAGE_CREATE;
import static dev.gatehouse.compat.BotEvent.Kind.MESSAGE_DELETE;
import static dev.gatehouse.compat.BotEvent.Kind.MESSAGE_UPDATE;
import static dev.gatehouse.compat.BotEvent.Kind.READY;
import static dev.gatehouse.compat.BotEvent.Kind.RESUMED;
import static dev.gatehouse.compat.CompatWorld.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.compat.BotUnderTest.GuildCache;
import dev.gatehouse.server.testing.ApiClient.Account;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The scenarios every bot library must pass against Gatehouse, written once: each library's test
 * class only says how to log its bots in. Two bots per library: one asks for MESSAGE_CONTENT (and
 * is granted it), one does not ask.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a library that never gets ready must not hang the build
abstract class LibraryCompatSuite {

    protected CompatWorld world;
    protected BotUnderTest bot;
    protected BotUnderTest plain;

    /** Logs the bot in with the library and waits until the library says it is ready. */
    protected abstract BotUnderTest login(CompatWorld world, Account bot, boolean messageContent);

    @BeforeAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void start() {
        world = CompatWorld.start();
        bot = login(world, world.contentBot, true);
        plain = login(world, world.plainBot, false);
    }

    @AfterAll
    void stop() {
        if (bot != null) {
            bot.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void ready_with_guild_channels_roles_and_members_cached() {
        GuildCache guild = bot.guild(world.guildId);
        assertThat(guild.name()).isEqualTo("Compat");
        assertThat(guild.channelIds()).contains(world.generalId, world.secondChannelId);
        assertThat(guild.roleIds()).contains(world.guildId, world.roleId); // @everyone has the guild's id
        assertThat(guild.memberIds()).contains(world.owner.id(), world.alice.id(), world.contentBot.id(), world.plainBot.id());
        assertThat(bot.events().count(READY)).isEqualTo(1);
    }

    @Test
    void sends_a_message_through_rest_and_sees_it_on_the_gateway() {
        String content = "hello from " + bot.library();
        long id = bot.send(world.secondChannelId, content);
        JsonNode stored = CompatWorld.ok(world.api.get("/channels/" + world.secondChannelId + "/messages/" + id, world.owner.token()));
        assertThat(stored.get("content").asText()).isEqualTo(content);
        assertThat(stored.at("/author/id").asLong()).isEqualTo(world.contentBot.id());
        assertThat(bot.events().await(MESSAGE_CREATE, id, WAIT).content()).isEqualTo(content);
    }

    @Test
    void receives_another_users_message_with_content_only_under_the_intent() {
        long id = world.post(world.alice, world.generalId, "the quick brown fox");
        assertThat(bot.events().await(MESSAGE_CREATE, id, WAIT).content()).isEqualTo("the quick brown fox");
        assertThat(plain.events().await(MESSAGE_CREATE, id, WAIT).content()).isNullOrEmpty();
    }

    @Test
    void requests_members_over_the_gateway() {
        assertThat(plain.requestMembers(world.guildId, world.alice.username(), 10)).containsExactly(world.alice.id());
        assertThat(plain.requestMembers(world.guildId, "", 0))
                .containsExactlyInAnyOrder(world.owner.id(), world.alice.id(), world.contentBot.id(), world.plainBot.id());
    }

    @Test
    void edits_and_deletes_and_sees_the_events() {
        long own = bot.send(world.secondChannelId, "draft");
        bot.edit(world.secondChannelId, own, "final");
        assertThat(bot.events().await(e -> e.kind() == MESSAGE_UPDATE && e.id() == own && "final".equals(e.content()), WAIT,
                "the edit of " + own).content()).isEqualTo("final");
        bot.delete(world.secondChannelId, own);
        bot.events().await(MESSAGE_DELETE, own, WAIT);

        long theirs = world.post(world.alice, world.secondChannelId, "tpyo");
        world.edit(world.alice, world.secondChannelId, theirs, "typo");
        bot.events().await(e -> e.kind() == MESSAGE_UPDATE && e.id() == theirs && "typo".equals(e.content()), WAIT,
                "alice's edit of " + theirs);
        CompatWorld.ok(world.api.delete("/channels/" + world.secondChannelId + "/messages/" + theirs, world.alice.token()));
        bot.events().await(MESSAGE_DELETE, theirs, WAIT);
    }

    @Test
    void resumes_after_an_abrupt_tcp_drop_with_every_gap_message_once() {
        resumesAfter(CompatWorld.Drop.ABRUPT_TCP);
    }

    @Test
    void resumes_after_close_4000_with_every_gap_message_once() {
        resumesAfter(CompatWorld.Drop.CLOSE_4000);
    }

    @Test
    void resumes_after_op_7_with_every_gap_message_once() {
        resumesAfter(CompatWorld.Drop.OP_7);
    }

    private void resumesAfter(CompatWorld.Drop how) {
        long readies = bot.events().count(READY);
        long resumes = bot.events().count(RESUMED);
        List<Long> gap = world.gap(world.contentBot, how, 4, "during " + how);
        bot.events().awaitCount(RESUMED, resumes + 1, WAIT);
        // a message after the resume: once it is in, everything before it must be too
        long after = world.post(world.alice, world.secondChannelId, "after " + how);
        bot.events().await(MESSAGE_CREATE, after, WAIT);

        List<Long> received = bot.events().all().stream()
                .filter(e -> e.kind() == MESSAGE_CREATE && (gap.contains(e.id()) || e.id() == after))
                .map(BotEvent::id).toList();
        assertThat(received).as("gap messages, then the one after, each exactly once and in order")
                .containsExactlyElementsOf(concat(gap, after));
        assertThat(bot.events().count(READY)).as("resumed, not identified again").isEqualTo(readies);
    }

    private static List<Long> concat(List<Long> ids, long last) {
        var all = new java.util.ArrayList<>(ids);
        all.add(last);
        return all;
    }
}
