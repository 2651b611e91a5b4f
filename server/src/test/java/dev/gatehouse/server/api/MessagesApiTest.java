package dev.gatehouse.server.api;

import static dev.gatehouse.server.api.MessagingFixture.assertError;
import static dev.gatehouse.server.api.MessagingFixture.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sending messages: body, validation, permissions, mentions, replies, DMs, MESSAGE_CREATE. */
class MessagesApiTest extends ServerPerClass {

    static MessagingFixture fx;

    @BeforeAll
    static void start() {
        fx = new MessagingFixture(server);
    }

    private static String messages(long channelId) {
        return "/channels/" + channelId + "/messages";
    }

    @Test
    void sendAnswers200AndPublishesMessageCreateWithDiscordsShape() {
        var g = fx.guild();
        server.events().clear();
        var r = api.post(messages(g.general()), g.member().token(), Map.of("content", "hello world", "nonce", "n-123"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode m = r.json();
        long id = m.get("id").asLong();
        assertThat(m.get("id").isTextual()).isTrue();
        assertThat(m.get("type").asInt()).isZero();
        assertThat(m.get("content").asText()).isEqualTo("hello world");
        assertThat(m.get("channel_id").asLong()).isEqualTo(g.general());
        assertThat(m.at("/author/id").asLong()).isEqualTo(g.member().id());
        assertThat(m.at("/author/username").asText()).isEqualTo(g.member().username());
        assertThat(m.get("nonce").asText()).isEqualTo("n-123");
        assertThat(m.get("tts").asBoolean()).isFalse();
        assertThat(m.get("mention_everyone").asBoolean()).isFalse();
        assertThat(m.get("mentions")).isEmpty();
        assertThat(m.get("mention_roles")).isEmpty();
        assertThat(m.get("embeds").isArray()).isTrue();
        assertThat(m.get("attachments").isArray()).isTrue();
        assertThat(m.get("pinned").asBoolean()).isFalse();
        assertThat(m.get("flags").asInt()).isZero();
        assertThat(m.get("edited_timestamp").isNull()).isTrue();
        assertThat(m.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
        assertThat(m.has("guild_id")).as("REST messages carry no guild_id").isFalse();
        assertThat(m.has("member")).isFalse();
        assertThat(m.has("reactions")).isFalse();

        GatewayEvent e = fx.only(DispatchType.MESSAGE_CREATE);
        assertThat(e.guildId()).isEqualTo(g.id());
        assertThat(e.channelId()).isEqualTo(g.general());
        assertThat(e.isDirected()).isFalse();
        JsonNode d = data(e);
        assertThat(d.get("id").asLong()).isEqualTo(id);
        assertThat(d.get("guild_id").asText()).isEqualTo(Long.toString(g.id()));
        assertThat(d.get("nonce").asText()).isEqualTo("n-123");
        assertThat(d.at("/author/id").asLong()).isEqualTo(g.member().id());
        assertThat(d.get("member").has("joined_at")).isTrue();
        assertThat(d.get("member").has("roles")).isTrue();
        assertThat(d.get("member").has("user")).as("member in message events omits user").isFalse();
        assertThat(d.get("member").has("guild_id")).isFalse();

        Long last = fx.store().read(tx -> tx.channels().find(g.general()).orElseThrow().lastMessageId());
        assertThat(last).isEqualTo(id);
    }

    @Test
    void nonceIsEchoedAsSentStringOrInteger() {
        var g = fx.guild();
        var integer = api.post(messages(g.general()), g.owner().token(), "{\"content\":\"x\",\"nonce\":1234567890123456789}");
        assertThat(integer.status()).isEqualTo(200);
        assertThat(integer.json().get("nonce").isIntegralNumber()).isTrue();
        assertThat(integer.json().get("nonce").asLong()).isEqualTo(1234567890123456789L);
        assertThat(integer.text()).contains("\"nonce\":1234567890123456789");
        JsonNode d = data(server.events().of(DispatchType.MESSAGE_CREATE).getLast());
        assertThat(d.get("nonce").isIntegralNumber()).isTrue();

        var string = api.post(messages(g.general()), g.owner().token(), "{\"content\":\"x\",\"nonce\":\"1234\"}");
        assertThat(string.json().get("nonce").isTextual()).isTrue();

        var none = fx.send(g.general(), g.owner(), "no nonce");
        assertThat(none.has("nonce")).isFalse();
        // GETs do not return the nonce, as on Discord
        var fetched = api.get(messages(g.general()) + "/" + integer.json().get("id").asText(), g.owner().token());
        assertThat(fetched.json().has("nonce")).isFalse();
    }

    @Test
    void badNonceIs50035AndWritesNothing() {
        var g = fx.guild();
        server.events().clear();
        var tooLong = api.post(messages(g.general()), g.owner().token(), Map.of("content", "x", "nonce", "n".repeat(26)));
        assertError(tooLong, 400, 50035);
        assertThat(tooLong.json().at("/errors/nonce/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        var object = api.post(messages(g.general()), g.owner().token(), Map.of("content", "x", "nonce", Map.of("a", 1)));
        assertError(object, 400, 50035);
        assertThat(object.json().at("/errors/nonce/_errors/0/code").asText()).isEqualTo("NONCE_TYPE_INVALID");
        var decimal = api.post(messages(g.general()), g.owner().token(), "{\"content\":\"x\",\"nonce\":1.5}");
        assertError(decimal, 400, 50035);
        assertThat(fx.ids(g.general(), g.owner(), "")).isEmpty();
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();
    }

    @Test
    void emptyMessagesAre50006() {
        var g = fx.guild();
        server.events().clear();
        for (Object body : new Object[] {Map.of(), Map.of("content", ""), Map.of("content", "   \n "), Map.of("embeds", List.of()),
                Map.of("content", "", "embeds", List.of(Map.of())), Map.of("tts", true)}) {
            assertError(api.post(messages(g.general()), g.owner().token(), body), 400, 50006);
        }
        assertThat(fx.ids(g.general(), g.owner(), "")).isEmpty();
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();
    }

    @Test
    void invalidFieldsAre50035WithEveryBadField() {
        var g = fx.guild();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", "x".repeat(2001));
        body.put("tts", "yes");
        body.put("flags", 1);
        var r = api.post(messages(g.general()), g.owner().token(), body);
        assertError(r, 400, 50035);
        assertThat(r.json().at("/errors/content/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(r.json().at("/errors/tts/_errors/0/code").asText()).isEqualTo("BOOLEAN_TYPE_CONVERT");
        assertThat(r.json().at("/errors/flags/_errors/0/code").asText()).isEqualTo("MESSAGE_FLAGS_INVALID");

        var notObject = api.post(messages(g.general()), g.owner().token(), "[1,2]");
        assertError(notObject, 400, 50035);
        var badJson = api.post(messages(g.general()), g.owner().token(), "{\"content\":");
        assertError(badJson, 400, 50109);
        var exactly2000 = api.post(messages(g.general()), g.owner().token(), Map.of("content", "é".repeat(2000)));
        assertThat(exactly2000.status()).isEqualTo(200);
        assertThat(fx.ids(g.general(), g.owner(), "")).containsExactly(exactly2000.json().get("id").asLong());
    }

    @Test
    void settableFlagsAndSuppressedEmbeds() {
        var g = fx.guild();
        var silent = fx.send(g.general(), g.owner(), Map.of("content", "shh", "flags", 1 << 12));
        assertThat(silent.get("flags").asInt()).isEqualTo(4096);
        var suppressed = fx.send(g.general(), g.owner(),
                Map.of("content", "see", "flags", 4, "embeds", List.of(Map.of("title", "hidden"))));
        assertThat(suppressed.get("flags").asInt()).isEqualTo(4);
        assertThat(suppressed.get("embeds")).as("suppressed embeds are not shown").isEmpty();
    }

    @Test
    void embedsAreValidatedAndEchoed() {
        var g = fx.guild();
        Map<String, Object> embed = new LinkedHashMap<>();
        embed.put("title", "Release");
        embed.put("description", "Notes");
        embed.put("url", "https://example.org/release");
        embed.put("color", 0x00FF00);
        embed.put("timestamp", "2024-03-01T12:00:00Z");
        embed.put("footer", Map.of("text", "footer", "icon_url", "https://example.org/f.png"));
        embed.put("image", Map.of("url", "https://example.org/i.png"));
        embed.put("thumbnail", Map.of("url", "attachment://t.png"));
        embed.put("author", Map.of("name", "Ann", "url", "https://example.org/ann"));
        embed.put("fields", List.of(Map.of("name", "a", "value", "1", "inline", true), Map.of("name", "b", "value", "2")));
        embed.put("video", Map.of("url", "https://example.org/v.mp4"));
        var m = fx.send(g.general(), g.owner(), Map.of("embeds", List.of(embed)));
        JsonNode e = m.at("/embeds/0");
        assertThat(m.get("content").asText()).isEmpty();
        assertThat(e.get("type").asText()).isEqualTo("rich");
        assertThat(e.get("title").asText()).isEqualTo("Release");
        assertThat(e.get("color").asInt()).isEqualTo(0x00FF00);
        assertThat(e.get("timestamp").asText()).isEqualTo("2024-03-01T12:00:00.000000+00:00");
        assertThat(e.at("/footer/text").asText()).isEqualTo("footer");
        assertThat(e.at("/thumbnail/url").asText()).isEqualTo("attachment://t.png");
        assertThat(e.at("/fields/0/inline").asBoolean()).isTrue();
        assertThat(e.at("/fields/1/inline").asBoolean()).isFalse();
        assertThat(e.has("video")).as("bots cannot set video").isFalse();
        JsonNode created = data(server.events().of(DispatchType.MESSAGE_CREATE).getLast());
        assertThat(created.at("/embeds/0/author/name").asText()).isEqualTo("Ann");
        var fetched = api.get(messages(g.general()) + "/" + m.get("id").asText(), g.owner().token());
        assertThat(fetched.json().get("embeds")).isEqualTo(m.get("embeds"));
    }

    @Test
    void embedLimitsAre50035() {
        var g = fx.guild();
        server.events().clear();
        List<Map<String, Object>> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(Map.of("title", "t" + i));
        }
        var tooMany = api.post(messages(g.general()), g.owner().token(), Map.of("embeds", eleven));
        assertError(tooMany, 400, 50035);
        assertThat(tooMany.json().at("/errors/embeds/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");

        List<Map<String, Object>> fields = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            fields.add(Map.of("name", "n", "value", "v"));
        }
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("title", "t".repeat(257));
        bad.put("description", "d".repeat(4097));
        bad.put("url", "not a url");
        bad.put("color", 0x1000000);
        bad.put("timestamp", "yesterday");
        bad.put("footer", Map.of("text", "f".repeat(2049)));
        bad.put("author", Map.of("url", "ftp://example.org"));
        bad.put("image", Map.of());
        bad.put("fields", fields);
        Map<String, Object> badFields = Map.of("fields", List.of(Map.of("name", "n".repeat(257), "value", "v"), Map.of("name", "n")));
        var r = api.post(messages(g.general()), g.owner().token(), Map.of("content", "x", "embeds", List.of(bad, badFields)));
        assertError(r, 400, 50035);
        JsonNode errors = r.json().at("/errors/embeds");
        assertThat(errors.at("/0/title/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/0/description/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/0/url/_errors/0/code").asText()).isEqualTo("URL_TYPE_INVALID_URL");
        assertThat(errors.at("/0/color/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(errors.at("/0/timestamp/_errors/0/code").asText()).isEqualTo("DATE_TYPE_PARSE");
        assertThat(errors.at("/0/footer/text/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/0/author/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(errors.at("/0/author/url/_errors/0/code").asText()).isEqualTo("URL_TYPE_INVALID_URL");
        assertThat(errors.at("/0/image/url/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(errors.at("/0/fields/_errors/0/code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");
        assertThat(errors.at("/1/fields/0/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/1/fields/1/value/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");

        // each embed within its own limits, together over 6,000 characters
        Map<String, Object> big = Map.of("description", "d".repeat(4000));
        var total = api.post(messages(g.general()), g.owner().token(), Map.of("embeds", List.of(big, big)));
        assertError(total, 400, 50035);
        assertThat(total.json().at("/errors/embeds/_errors/0/code").asText()).isEqualTo("MAX_EMBED_SIZE_EXCEEDED");
        var notList = api.post(messages(g.general()), g.owner().token(), Map.of("content", "x", "embeds", Map.of("title", "t")));
        assertError(notList, 400, 50035);

        assertThat(fx.ids(g.general(), g.owner(), "")).isEmpty();
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();
    }

    @Test
    void permissionsAndChannelTypes() {
        var g = fx.guild();
        Account stranger = api.register("stranger");
        server.events().clear();
        assertError(api.post(messages(g.general()), stranger.token(), Map.of("content", "hi")), 403, 50001);
        assertError(api.post(messages(123456789L), g.owner().token(), Map.of("content", "hi")), 404, 10003);
        assertError(api.post(messages(g.category()), g.owner().token(), Map.of("content", "hi")), 400, 50024);

        fx.deny(g.general(), g.member().id(), Permission.SEND_MESSAGES);
        assertError(api.post(messages(g.general()), g.member().token(), Map.of("content", "hi")), 403, 50013);
        fx.deny(g.general(), g.member().id(), Permission.VIEW_CHANNEL);
        assertError(api.post(messages(g.general()), g.member().token(), Map.of("content", "hi")), 403, 50001);
        assertThat(fx.ids(g.general(), g.owner(), "")).isEmpty();
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();

        // a voice channel's text chat takes messages
        var inVoice = fx.send(g.voice(), g.member(), "from voice chat");
        assertThat(inVoice.get("channel_id").asLong()).isEqualTo(g.voice());
        assertThat(api.post(messages(g.general()), null, Map.of("content", "hi")).status()).isEqualTo(401);
    }

    @Test
    void ttsNeedsSendTtsMessages() {
        var g = fx.guild();
        // the owner has every permission; @everyone does not get SEND_TTS_MESSAGES by default
        assertThat(fx.send(g.general(), g.owner(), Map.of("content", "speak", "tts", true)).get("tts").asBoolean()).isTrue();
        assertThat(fx.send(g.general(), g.member(), Map.of("content", "speak", "tts", true)).get("tts").asBoolean()).isFalse();
        fx.allow(g.general(), g.member().id(), Permission.SEND_TTS_MESSAGES);
        assertThat(fx.send(g.general(), g.member(), Map.of("content", "speak", "tts", true)).get("tts").asBoolean()).isTrue();
    }

    @Test
    void mentionsAreParsedCheckedAndReturnedAsUsers() {
        var g = fx.guild();
        Account outsider = api.register("outsider");
        long pingable = fx.role(g.id(), "pingable", true);
        long quiet = fx.role(g.id(), "quiet", false);
        var other = fx.guild();
        long foreignRole = fx.role(other.id(), "foreign", true);
        String content = "<@" + g.member().id() + "> <@!" + g.owner().id() + "> <@" + outsider.id() + "> <@999999999> <@"
                + g.member().id() + "> <@&" + pingable + "> <@&" + quiet + "> <@&" + foreignRole + "> @everyone";

        var byOwner = fx.send(g.general(), g.owner(), content);
        assertThat(MessagingFixture.ids(byOwner.get("mentions"))).containsExactly(g.member().id(), g.owner().id());
        assertThat(byOwner.at("/mentions/0/username").asText()).isEqualTo(g.member().username());
        assertThat(byOwner.get("mention_roles")).extracting(JsonNode::asLong).containsExactly(pingable, quiet);
        assertThat(byOwner.get("mention_roles").get(0).isTextual()).isTrue();
        assertThat(byOwner.get("mention_everyone").asBoolean()).isTrue();
        JsonNode event = data(server.events().of(DispatchType.MESSAGE_CREATE).getLast());
        assertThat(event.at("/mentions/1/id").asLong()).isEqualTo(g.owner().id());

        // without MENTION_EVERYONE: no @everyone, and roles that are not mentionable do not ping
        fx.revokeFromEveryone(g.id(), Permission.MENTION_EVERYONE);
        var byMember = fx.send(g.general(), g.member(), content);
        assertThat(byMember.get("mention_everyone").asBoolean()).isFalse();
        assertThat(byMember.get("mention_roles")).extracting(JsonNode::asLong).containsExactly(pingable);
        assertThat(MessagingFixture.ids(byMember.get("mentions"))).containsExactly(g.member().id(), g.owner().id());
        var here = fx.send(g.general(), g.owner(), "@here look");
        assertThat(here.get("mention_everyone").asBoolean()).isTrue();
    }

    @Test
    void allowedMentionsNarrowTheMentions() {
        var g = fx.guild();
        long role = fx.role(g.id(), "team", true);
        String content = "<@" + g.member().id() + "> <@" + g.owner().id() + "> <@&" + role + "> @everyone";

        var none = fx.send(g.general(), g.owner(), Map.of("content", content, "allowed_mentions", Map.of("parse", List.of())));
        assertThat(none.get("mentions")).isEmpty();
        assertThat(none.get("mention_roles")).isEmpty();
        assertThat(none.get("mention_everyone").asBoolean()).isFalse();

        var listed = fx.send(g.general(), g.owner(), Map.of("content", content,
                "allowed_mentions", Map.of("parse", List.of("everyone"), "users", List.of(Long.toString(g.member().id())))));
        assertThat(MessagingFixture.ids(listed.get("mentions"))).containsExactly(g.member().id());
        assertThat(listed.get("mention_roles")).isEmpty();
        assertThat(listed.get("mention_everyone").asBoolean()).isTrue();

        var roles = fx.send(g.general(), g.owner(), Map.of("content", content, "allowed_mentions", Map.of("parse", List.of("roles", "users"))));
        assertThat(roles.get("mention_roles")).extracting(JsonNode::asLong).containsExactly(role);
        assertThat(roles.get("mentions")).hasSize(2);
        assertThat(roles.get("mention_everyone").asBoolean()).isFalse();

        server.events().clear();
        var exclusive = api.post(messages(g.general()), g.owner().token(), Map.of("content", content,
                "allowed_mentions", Map.of("parse", List.of("users"), "users", List.of(Long.toString(g.member().id())))));
        assertError(exclusive, 400, 50035);
        assertThat(exclusive.json().at("/errors/allowed_mentions/_errors/0/code").asText())
                .isEqualTo("MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE");
        var bogus = api.post(messages(g.general()), g.owner().token(), Map.of("content", content,
                "allowed_mentions", Map.of("parse", List.of("channels"))));
        assertError(bogus, 400, 50035);
        assertThat(bogus.json().at("/errors/allowed_mentions/parse/_errors/0/code").asText()).isEqualTo("BASE_TYPE_CHOICES");
        var badIds = api.post(messages(g.general()), g.owner().token(), Map.of("content", content,
                "allowed_mentions", Map.of("users", List.of("abc"))));
        assertError(badIds, 400, 50035);
        assertThat(badIds.json().at("/errors/allowed_mentions/users/0/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();
    }

    @Test
    void repliesReferenceTheirMessageAndMentionItsAuthor() {
        var g = fx.guild();
        var original = fx.send(g.general(), g.member(), "question?");
        String originalId = original.get("id").asText();

        var reply = fx.send(g.general(), g.owner(), Map.of("content", "answer", "message_reference", Map.of("message_id", originalId)));
        assertThat(reply.get("type").asInt()).isEqualTo(19);
        assertThat(reply.at("/message_reference/message_id").asText()).isEqualTo(originalId);
        assertThat(reply.at("/message_reference/channel_id").asLong()).isEqualTo(g.general());
        assertThat(reply.at("/message_reference/guild_id").asLong()).isEqualTo(g.id());
        assertThat(reply.at("/message_reference/type").asInt()).isZero();
        assertThat(reply.at("/referenced_message/id").asText()).isEqualTo(originalId);
        assertThat(reply.at("/referenced_message/content").asText()).isEqualTo("question?");
        assertThat(reply.at("/referenced_message/author/id").asLong()).isEqualTo(g.member().id());
        assertThat(MessagingFixture.ids(reply.get("mentions"))).containsExactly(g.member().id());
        JsonNode event = data(server.events().of(DispatchType.MESSAGE_CREATE).getLast());
        assertThat(event.at("/referenced_message/id").asText()).isEqualTo(originalId);

        var quiet = fx.send(g.general(), g.owner(), Map.of("content", "answer", "message_reference", Map.of("message_id", originalId),
                "allowed_mentions", Map.of("replied_user", false)));
        assertThat(quiet.get("type").asInt()).isEqualTo(19);
        assertThat(quiet.get("mentions")).isEmpty();

        var listed = api.get(messages(g.general()) + "?limit=1", g.owner().token()).json().get(0);
        assertThat(listed.at("/referenced_message/id").asText()).isEqualTo(originalId);

        var lenient = fx.send(g.general(), g.owner(), Map.of("content", "orphan",
                "message_reference", Map.of("message_id", "123456789", "fail_if_not_exists", false)));
        assertThat(lenient.get("type").asInt()).isZero();
        assertThat(lenient.has("message_reference")).isFalse();
    }

    @Test
    void badRepliesAreRefusedAndWriteNothing() {
        var g = fx.guild();
        var elsewhere = fx.send(g.voice(), g.owner(), "in the voice chat");
        var here = fx.send(g.general(), g.owner(), "here");
        List<Long> before = fx.ids(g.general(), g.owner(), "");
        server.events().clear();

        var unknown = api.post(messages(g.general()), g.owner().token(), Map.of("content", "re",
                "message_reference", Map.of("message_id", "123456789")));
        assertError(unknown, 400, 50035);
        assertThat(unknown.json().at("/errors/message_reference/_errors/0/code").asText()).isEqualTo("MESSAGE_REFERENCE_UNKNOWN_MESSAGE");
        // a message of another channel is unknown here
        var otherChannel = api.post(messages(g.general()), g.owner().token(), Map.of("content", "re",
                "message_reference", Map.of("message_id", elsewhere.get("id").asText())));
        assertThat(otherChannel.json().at("/errors/message_reference/_errors/0/code").asText()).isEqualTo("MESSAGE_REFERENCE_UNKNOWN_MESSAGE");
        var crossChannel = api.post(messages(g.general()), g.owner().token(), Map.of("content", "re",
                "message_reference", Map.of("message_id", elsewhere.get("id").asText(), "channel_id", Long.toString(g.voice()))));
        assertError(crossChannel, 400, 50035);
        assertThat(crossChannel.json().at("/errors/message_reference/_errors/0/code").asText())
                .isEqualTo("REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL");
        var noId = api.post(messages(g.general()), g.owner().token(), Map.of("content", "re", "message_reference", Map.of()));
        assertThat(noId.json().at("/errors/message_reference/message_id/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");

        fx.deny(g.general(), g.member().id(), Permission.READ_MESSAGE_HISTORY);
        var blind = api.post(messages(g.general()), g.member().token(), Map.of("content", "re",
                "message_reference", Map.of("message_id", here.get("id").asText())));
        assertError(blind, 403, 50013);

        assertThat(fx.ids(g.general(), g.owner(), "")).isEqualTo(before);
        assertThat(server.events().of(DispatchType.MESSAGE_CREATE)).isEmpty();
    }

    @Test
    void directMessagesGoToBothRecipients() {
        Account a = api.register("dm_a");
        Account b = api.register("dm_b");
        Account c = api.register("dm_c");
        long dm = fx.dm(a, b);
        server.events().clear();
        var m = fx.send(dm, a, Map.of("content", "hi <@" + b.id() + "> <@" + c.id() + ">", "nonce", "7", "tts", true));
        assertThat(m.get("channel_id").asLong()).isEqualTo(dm);
        // any existing user can be mentioned in a DM
        assertThat(MessagingFixture.ids(m.get("mentions"))).containsExactly(b.id(), c.id());
        assertThat(m.get("tts").asBoolean()).isTrue();
        GatewayEvent e = fx.onlyForEach(DispatchType.MESSAGE_CREATE, a.id(), b.id());
        assertThat(e.guildId()).isNull();
        JsonNode d = data(e);
        assertThat(d.has("guild_id")).isFalse();
        assertThat(d.has("member")).isFalse();
        assertThat(d.get("nonce").asText()).isEqualTo("7");

        var reply = fx.send(dm, b, Map.of("content", "yo", "message_reference", Map.of("message_id", m.get("id").asText())));
        assertThat(reply.has("guild_id")).isFalse();
        assertThat(reply.at("/message_reference").has("guild_id")).isFalse();
        assertThat(MessagingFixture.ids(reply.get("mentions"))).containsExactly(a.id());

        assertError(api.post(messages(dm), c.token(), Map.of("content", "let me in")), 403, 50001);
        assertError(api.get(messages(dm), c.token()), 403, 50001);
        assertThat(fx.ids(dm, a, "")).hasSize(2);
        Long last = fx.store().read(tx -> tx.channels().find(dm).orElseThrow().lastMessageId());
        assertThat(last).isEqualTo(reply.get("id").asLong());
    }

    @Test
    void fluxerDialectGetsStringCodes() {
        var g = fx.guild();
        var r = api.version("v1").post(messages(g.general()), g.owner().token(), Map.of("content", ""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("EMPTY_MESSAGE");
    }
}
