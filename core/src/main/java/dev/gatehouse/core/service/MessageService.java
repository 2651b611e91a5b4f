package dev.gatehouse.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Platform;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Message;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.MessageEvents;
import dev.gatehouse.core.view.MessageView;
import dev.gatehouse.protocol.DispatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Messages in text channels (guild text, voice channels' text chat, DMs): sending, reading,
 * editing, deleting, bulk deleting, and the typing indicator, with Discord's permission rules.
 */
public final class MessageService {

    public static final int MAX_CONTENT = 2000;
    public static final int MAX_NONCE = 25;
    public static final int SUPPRESS_EMBEDS = 1 << 2;
    public static final int SUPPRESS_NOTIFICATIONS = 1 << 12;
    /** The flags a client may set when sending; on edit only SUPPRESS_EMBEDS changes. */
    public static final int SETTABLE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS;
    public static final Duration BULK_DELETE_MAX_AGE = Duration.ofDays(14);

    private final Platform.Context ctx;

    public MessageService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** The channel, if the user can see it and it holds messages; a category is 50024. */
    static ChannelContext textChannel(Tx tx, long channelId, long userId) {
        ChannelContext cc = ChannelContext.load(tx, channelId, userId);
        int type = cc.channel().type();
        if (type != ChannelType.GUILD_TEXT && type != ChannelType.DM && !ChannelType.isVoice(type)) {
            throw new ApiException(ErrorCode.WRONG_CHANNEL_TYPE);
        }
        return cc;
    }

    /** A dispatch about the channel: to those who may view it in a guild, to both recipients of a DM. */
    static GatewayEvent event(DispatchType type, Channel channel, Object data) {
        return channel.isDm()
                ? GatewayEvent.users(type, Set.copyOf(channel.recipientIds()), data)
                : GatewayEvent.channel(type, channel.guildId(), channel.id(), data);
    }

    static Message requireMessage(Tx tx, long channelId, long messageId) {
        return tx.messages().find(channelId, messageId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_MESSAGE));
    }

    private record Reply(long messageId, Long channelId, Long guildId, boolean failIfNotExists) {}


    /** {@code POST /channels/{id}/messages}. */
    public MessageView create(Principal who, long channelId, Form form) {
        String content = form.optString("content", 0, MAX_CONTENT);
        String nonce = nonce(form);
        boolean tts = form.bool("tts", false);
        EmbedValidator.Embeds embeds = EmbedValidator.read(form);
        Reply reply = reply(form);
        AllowedMentions allowed = AllowedMentions.read(form);
        Integer flags = form.optInt("flags", 0, Integer.MAX_VALUE);
        if (flags != null && (flags & ~SETTABLE_FLAGS) != 0) {
            form.error("flags", "MESSAGE_FLAGS_INVALID", "Only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS can be set.");
        }
        form.validate();
        if (isEmpty(content, embeds)) {
            throw new ApiException(ErrorCode.EMPTY_MESSAGE);
        }
        long id = ctx.ids().next();
        return ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            cc.require(Permission.SEND_MESSAGES);
            Message replied = reply == null ? null : replied(tx, cc, reply);
            AllowedMentions mentions = allowed == null ? AllowedMentions.DEFAULT : allowed;
            String text = content == null ? "" : content;
            MessageMentions.Resolved resolved = MessageMentions.resolve(tx, cc, text, mentions,
                    replied == null ? null : replied.authorId(), mentions.mentionsRepliedUser());
            // Discord sends without TTS rather than refusing when SEND_TTS_MESSAGES is missing
            boolean speak = tts && (cc.isDm() || cc.has(Permission.SEND_TTS_MESSAGES));
            Message message = new Message(id, channelId, cc.guildId(), who.userId(), text, nonce,
                    replied == null ? Message.TYPE_DEFAULT : Message.TYPE_REPLY, null, speak, resolved.everyone(),
                    resolved.users(), resolved.roles(), embeds == null ? "[]" : embeds.json(),
                    replied == null ? null : replied.id(), replied == null ? null : channelId,
                    replied == null ? null : cc.guildId(), false, flags == null ? 0 : flags);
            tx.messages().insert(message);
            tx.channels().setLastMessageId(channelId, id);
            MessageView view = MessageViews.of(tx, message, who.userId(), true);
            tx.events().publish(event(DispatchType.MESSAGE_CREATE, cc.channel(), forEvent(tx, cc.channel(), message, view)));
            return view;
        }));
    }

    private static boolean isEmpty(String content, EmbedValidator.Embeds embeds) {
        return (content == null || content.isBlank()) && (embeds == null || !embeds.visible());
    }

    /** The nonce as JSON text (a string of at most 25 characters, or an integer), echoed back as sent. */
    private static String nonce(Form form) {
        JsonNode v = form.raw("nonce");
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            String s = v.textValue();
            // the JSON text is stored (100 columns): escaped control characters could outgrow it
            if (s.codePointCount(0, s.length()) > MAX_NONCE || v.toString().length() > 100) {
                form.error("nonce", "BASE_TYPE_BAD_LENGTH", "Must be " + MAX_NONCE + " or fewer in length.");
                return null;
            }
            return v.toString();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.longValue());
        }
        form.error("nonce", "NONCE_TYPE_INVALID", "Nonce must be a string or an integer.");
        return null;
    }

    private static Reply reply(Form form) {
        Form ref = form.optObject("message_reference");
        if (ref == null) {
            return null;
        }
        Integer type = ref.optInt("type", 0, 1);
        if (type != null && type != 0) {
            ref.error("type", "BASE_TYPE_CHOICES", "Only replies (type 0) are supported.");
        }
        Long messageId = ref.snowflake("message_id");
        Long channelId = ref.optSnowflake("channel_id");
        Long guildId = ref.optSnowflake("guild_id");
        boolean fail = ref.bool("fail_if_not_exists", true);
        return messageId == null ? null : new Reply(messageId, channelId, guildId, fail);
    }

    /**
     * The message a reply answers; replying needs READ_MESSAGE_HISTORY. A reply must stay in its
     * channel. A missing message is an error unless {@code fail_if_not_exists} is false, in which
     * case the message is sent as a plain one (null).
     */
    private static Message replied(Tx tx, ChannelContext cc, Reply reply) {
        cc.require(Permission.READ_MESSAGE_HISTORY);
        long channelId = cc.channel().id();
        if ((reply.channelId() != null && reply.channelId() != channelId)
                || (reply.guildId() != null && !reply.guildId().equals(cc.guildId()))) {
            throw FieldErrors.single("message_reference", "REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL",
                    "Cannot reply to a message in a different channel");
        }
        Message replied = tx.messages().find(channelId, reply.messageId()).orElse(null);
        if (replied == null && reply.failIfNotExists()) {
            throw FieldErrors.single("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
        }
        return replied;
    }

    /** The message as its guild's events carry it: with guild_id and the author's member (if still one). */
    private static MessageView forEvent(Tx tx, Channel channel, Message message, MessageView view) {
        if (channel.isDm()) {
            return view;
        }
        MessageView plain = withoutReactions(view);
        Member member = tx.members().find(channel.guildId(), message.authorId()).orElse(null);
        User author = member == null ? null : tx.users().find(message.authorId()).orElse(null);
        return plain.inGuild(channel.guildId(), author == null ? null : MemberView.of(member, author));
    }

    /** Reactions' {@code me} is relative to a viewer; a broadcast has none. */
    private static MessageView withoutReactions(MessageView v) {
        return new MessageView(v.id(), v.type(), v.content(), v.channelId(), v.author(), v.attachments(), v.embeds(),
                v.mentions(), v.mentionRoles(), v.pinned(), v.mentionEveryone(), v.tts(), v.timestamp(), v.editedTimestamp(),
                v.flags(), v.components(), v.nonce(), List.of(), v.messageReference(), v.referencedMessage(), v.guildId(),
                v.member());
    }

    /**
     * {@code GET /channels/{id}/messages}: newest first, one of before / after / around (around
     * wins, then before). Without READ_MESSAGE_HISTORY the list is empty, as on Discord.
     */
    public List<MessageView> list(Principal who, long channelId, Long before, Long after, Long around, int limit) {
        return ctx.store().read(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            if (!cc.has(Permission.READ_MESSAGE_HISTORY)) {
                return List.<MessageView>of();
            }
            List<Message> page;
            if (around != null) {
                page = around(tx, channelId, around, limit);
            } else if (before != null) {
                page = tx.messages().listBefore(channelId, before, limit);
            } else if (after != null) {
                page = tx.messages().listAfter(channelId, after, limit);
            } else {
                page = tx.messages().listBefore(channelId, Long.MAX_VALUE, limit);
            }
            return MessageViews.of(tx, page, who.userId());
        });
    }

    /**
     * Up to {@code limit} messages centred on {@code id} (which is included if it exists): half
     * newer, the rest older; when one side runs short the other fills the page.
     */
    private static List<Message> around(Tx tx, long channelId, long id, int limit) {
        List<Message> newer = tx.messages().listAfter(channelId, id, limit);
        List<Message> older = tx.messages().listBefore(channelId, id == Long.MAX_VALUE ? id : id + 1, limit);
        int takeNewer = Math.min(newer.size(), limit / 2);
        int takeOlder = Math.min(older.size(), limit - takeNewer);
        takeNewer = Math.min(newer.size(), limit - takeOlder);
        List<Message> page = new ArrayList<>(newer.subList(newer.size() - takeNewer, newer.size()));
        page.addAll(older.subList(0, takeOlder));
        return page;
    }

    /** {@code GET /channels/{id}/messages/{id}}: needs READ_MESSAGE_HISTORY. */
    public MessageView get(Principal who, long channelId, long messageId) {
        return ctx.store().read(tx -> {
            textChannel(tx, channelId, who.userId()).require(Permission.READ_MESSAGE_HISTORY);
            return MessageViews.of(tx, requireMessage(tx, channelId, messageId), who.userId(), false);
        });
    }

    /**
     * {@code PATCH /channels/{id}/messages/{id}}: the author may change content, embeds, flags and
     * allowed_mentions; anyone else only SUPPRESS_EMBEDS, and only with MANAGE_MESSAGES. A change of
     * content or embeds marks the message edited and parses its mentions again.
     */
    public MessageView edit(Principal who, long channelId, long messageId, Form form) {
        boolean touchesContent = form.has("content");
        String content = !touchesContent ? null : form.isNull("content") ? "" : form.optString("content", 0, MAX_CONTENT);
        EmbedValidator.Embeds embeds = EmbedValidator.read(form);
        AllowedMentions allowed = AllowedMentions.read(form);
        Integer flags = form.optInt("flags", 0, Integer.MAX_VALUE);
        form.validate();
        boolean authorOnly = touchesContent || form.has("embeds") || form.has("allowed_mentions");
        long now = ctx.clock().millis();
        return ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            Message m = requireMessage(tx, channelId, messageId);
            if (m.authorId() != who.userId()) {
                if (authorOnly || flags == null) {
                    throw new ApiException(ErrorCode.CANNOT_EDIT_OTHERS_MESSAGE);
                }
                cc.require(Permission.MANAGE_MESSAGES);
            }
            String nextContent = content != null ? content : m.content();
            String nextEmbeds = embeds != null ? embeds.json() : m.embedsJson();
            boolean edited = content != null || embeds != null;
            if (edited && nextContent.isBlank() && !EmbedValidator.hasVisible(nextEmbeds)) {
                throw new ApiException(ErrorCode.EMPTY_MESSAGE);
            }
            int nextFlags = flags == null ? m.flags() : (m.flags() & ~SUPPRESS_EMBEDS) | (flags & SUPPRESS_EMBEDS);
            MessageMentions.Resolved mentions = touchesContent || allowed != null
                    ? reparse(tx, cc, m, nextContent, allowed)
                    : new MessageMentions.Resolved(m.mentions(), m.mentionRoles(), m.mentionEveryone());
            Message next = new Message(m.id(), m.channelId(), m.guildId(), m.authorId(), nextContent, m.nonce(), m.type(),
                    edited ? Long.valueOf(now) : m.editedAt(), m.tts(), mentions.everyone(), mentions.users(),
                    mentions.roles(), nextEmbeds, m.referenceMessageId(), m.referenceChannelId(), m.referenceGuildId(),
                    m.pinned(), nextFlags);
            tx.messages().update(next);
            MessageView view = MessageViews.of(tx, next, who.userId(), false);
            tx.events().publish(event(DispatchType.MESSAGE_UPDATE, cc.channel(), forEvent(tx, cc.channel(), next, view)));
            return view;
        }));
    }

    /**
     * The mentions of an edited message, parsed again from its new content. The replied-to author
     * stays mentioned as before unless allowed_mentions.replied_user says otherwise (the original
     * allowed_mentions is not kept).
     */
    private static MessageMentions.Resolved reparse(Tx tx, ChannelContext cc, Message m, String content, AllowedMentions allowed) {
        Long repliedAuthor = null;
        if (m.type() == Message.TYPE_REPLY && m.referenceMessageId() != null && m.referenceChannelId() != null) {
            repliedAuthor = tx.messages().find(m.referenceChannelId(), m.referenceMessageId()).map(Message::authorId).orElse(null);
        }
        boolean mentionReplied = allowed != null && allowed.repliedUser() != null
                ? allowed.repliedUser()
                : repliedAuthor != null && m.mentions().contains(repliedAuthor);
        return MessageMentions.resolve(tx, cc, content, allowed == null ? AllowedMentions.DEFAULT : allowed, repliedAuthor,
                mentionReplied);
    }

    /** {@code DELETE /channels/{id}/messages/{id}}: the author, or MANAGE_MESSAGES; in a DM only the author. */
    public void delete(Principal who, long channelId, long messageId) {
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            Message m = requireMessage(tx, channelId, messageId);
            if (m.authorId() != who.userId()) {
                if (cc.isDm()) {
                    throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
                }
                cc.require(Permission.MANAGE_MESSAGES);
            }
            tx.messages().delete(channelId, messageId);
            tx.events().publish(event(DispatchType.MESSAGE_DELETE, cc.channel(), new MessageEvents.Delete(messageId, channelId, cc.guildId())));
            return null;
        }));
    }

    /**
     * {@code POST /channels/{id}/messages/bulk-delete}: 2 to 100 ids, MANAGE_MESSAGES, none older
     * than 14 days (50034); ids not in the channel are skipped. Not in DMs (50003).
     */
    public void bulkDelete(Principal who, long channelId, Form form) {
        JsonNode raw = form.raw("messages");
        Set<Long> ids = null;
        if (raw == null) {
            form.error("messages", "BASE_TYPE_REQUIRED", "This field is required");
        } else if (raw.isArray() && raw.size() < 2) {
            form.error("messages", "BASE_TYPE_MIN_LENGTH", "Must be 2 or more in length.");
        } else {
            ids = form.optSnowflakes("messages", 100);
        }
        form.validate();
        if (ids.size() < 2) {
            throw new ApiException(ErrorCode.BULK_DELETE_COUNT); // repeats of one id
        }
        long oldest = Snowflakes.fromTimestamp(ctx.clock().millis() - BULK_DELETE_MAX_AGE.toMillis());
        Set<Long> requested = ids;
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            if (cc.isDm()) {
                throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
            }
            cc.require(Permission.MANAGE_MESSAGES);
            if (requested.stream().anyMatch(id -> id < oldest)) {
                throw new ApiException(ErrorCode.BULK_DELETE_TOO_OLD);
            }
            List<Long> deleted = tx.messages().deleteAll(channelId, requested);
            if (!deleted.isEmpty()) {
                tx.events().publish(event(DispatchType.MESSAGE_DELETE_BULK, cc.channel(),
                        new MessageEvents.DeleteBulk(deleted, channelId, cc.guildId())));
            }
            return null;
        }));
    }

    /** {@code POST /channels/{id}/typing}: needs SEND_MESSAGES; publishes TYPING_START. */
    public void typing(Principal who, long channelId) {
        long now = ctx.clock().millis();
        GatewayEvent published = ctx.store().read(tx -> {
            ChannelContext cc = textChannel(tx, channelId, who.userId());
            cc.require(Permission.SEND_MESSAGES);
            MemberView member = null;
            if (!cc.isDm()) {
                User user = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                member = MemberView.of(cc.guild().member(), user);
            }
            return event(DispatchType.TYPING_START, cc.channel(),
                    new MessageEvents.TypingStart(channelId, cc.guildId(), who.userId(), (int) (now / 1000), member));
        });
        ctx.bus().publish(published);
    }
}
