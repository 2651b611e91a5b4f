package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Emoji;
import dev.gatehouse.core.model.Message;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.core.view.MessageEvents;
import dev.gatehouse.core.view.ReactionView.EmojiView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reactions on messages, with Discord's rules: every route needs the channel in view; reacting
 * needs READ_MESSAGE_HISTORY, and ADD_REACTIONS too when the emoji is new on the message; at most 20 distinct emojis per message;
 * removing someone else's reaction needs MANAGE_MESSAGES (never possible in a DM). A change that
 * changes nothing (a second identical reaction, removing an absent one) publishes nothing.
 */
public final class ReactionService {

    public static final int MAX_EMOJIS_PER_MESSAGE = 20;
    public static final int DEFAULT_USERS_LIMIT = 25;

    private final Platform.Context ctx;

    public ReactionService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** The channel and the message a reaction route acts on, the caller's rights checked. */
    private record Target(ChannelContext channel, Message message, Emoji emoji) {
        Long guildId() {
            return channel.guildId();
        }
    }

    private static Target target(Tx tx, long userId, long channelId, long messageId, String emoji, Permission... needed) {
        ChannelContext cc = MessageService.textChannel(tx, channelId, userId).require(needed);
        Message message = MessageService.requireMessage(tx, channelId, messageId);
        return new Target(cc, message, emoji == null ? null : ReactionEmoji.parse(emoji));
    }

    /** 50003 in a DM, else 50013 without MANAGE_MESSAGES: acting on other users' reactions. */
    private static void requireModerator(ChannelContext cc) {
        if (cc.isDm()) {
            throw new ApiException(ErrorCode.CANNOT_EXECUTE_ON_DM);
        }
        cc.require(Permission.MANAGE_MESSAGES);
    }

    /** {@code PUT .../reactions/{emoji}/@me}. */
    public void add(Principal who, long channelId, long messageId, String emoji) {
        long now = ctx.clock().millis();
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            Target t = target(tx, who.userId(), channelId, messageId, emoji, Permission.READ_MESSAGE_HISTORY);
            String key = t.emoji().key();
            boolean present = !tx.reactions().users(messageId, key, 0, 1).isEmpty();
            if (!present) {
                t.channel().require(Permission.ADD_REACTIONS);
                if (tx.reactions().countEmojis(messageId) >= MAX_EMOJIS_PER_MESSAGE) {
                    throw new ApiException(ErrorCode.MAX_REACTIONS);
                }
            }
            if (!tx.reactions().add(channelId, messageId, t.emoji(), who.userId(), now)) {
                return null;
            }
            MemberView member = null;
            if (!t.channel().isDm()) {
                User user = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                member = MemberView.of(t.channel().guild().member(), user);
            }
            tx.events().publish(MessageService.event(DispatchType.MESSAGE_REACTION_ADD, t.channel().channel(),
                    new MessageEvents.ReactionAdd(who.userId(), channelId, messageId, t.guildId(), member,
                            EmojiView.of(t.emoji()), t.message().authorId(), false, 0)));
            return null;
        }));
    }

    /** {@code DELETE .../reactions/{emoji}/@me}. */
    public void removeOwn(Principal who, long channelId, long messageId, String emoji) {
        remove(who, channelId, messageId, emoji, who.userId());
    }

    /** {@code DELETE .../reactions/{emoji}/{user.id}}: MANAGE_MESSAGES unless it is the caller's own. */
    public void remove(Principal who, long channelId, long messageId, String emoji, long userId) {
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            Target t = target(tx, who.userId(), channelId, messageId, emoji);
            if (userId != who.userId()) {
                requireModerator(t.channel());
            }
            if (!tx.reactions().remove(messageId, t.emoji().key(), userId)) {
                return null;
            }
            tx.events().publish(MessageService.event(DispatchType.MESSAGE_REACTION_REMOVE, t.channel().channel(),
                    new MessageEvents.ReactionRemove(userId, channelId, messageId, t.guildId(), EmojiView.of(t.emoji()), false, 0)));
            return null;
        }));
    }

    /**
     * {@code GET .../reactions/{emoji}}: the users who reacted, by user id, after {@code after}.
     * {@code type} 1 asks for super reactions, which this platform does not have.
     */
    public List<UserView> users(Principal who, long channelId, long messageId, String emoji, Long after, int limit, int type) {
        return ctx.store().read(tx -> {
            Target t = target(tx, who.userId(), channelId, messageId, emoji);
            if (type != 0) {
                return List.<UserView>of();
            }
            List<Long> ids = tx.reactions().users(messageId, t.emoji().key(), after == null ? 0 : after, limit);
            Map<Long, User> users = new HashMap<>();
            for (User u : tx.users().findAll(ids)) {
                users.put(u.id(), u);
            }
            return ids.stream().filter(users::containsKey).map(id -> UserView.of(users.get(id))).toList();
        });
    }

    /** {@code DELETE .../reactions}: every reaction of the message; MANAGE_MESSAGES. */
    public void removeAll(Principal who, long channelId, long messageId) {
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            Target t = target(tx, who.userId(), channelId, messageId, null);
            requireModerator(t.channel());
            if (tx.reactions().removeAll(messageId) == 0) {
                return null;
            }
            tx.events().publish(MessageService.event(DispatchType.MESSAGE_REACTION_REMOVE_ALL, t.channel().channel(),
                    new MessageEvents.ReactionRemoveAll(channelId, messageId, t.guildId())));
            return null;
        }));
    }

    /** {@code DELETE .../reactions/{emoji}}: every reaction with that emoji; MANAGE_MESSAGES. */
    public void removeEmoji(Principal who, long channelId, long messageId, String emoji) {
        ctx.inChannel(channelId, () -> ctx.store().write(tx -> {
            Target t = target(tx, who.userId(), channelId, messageId, emoji);
            requireModerator(t.channel());
            if (tx.reactions().removeEmoji(messageId, t.emoji().key()) == 0) {
                return null;
            }
            tx.events().publish(MessageService.event(DispatchType.MESSAGE_REACTION_REMOVE_EMOJI, t.channel().channel(),
                    new MessageEvents.ReactionRemoveEmoji(channelId, t.guildId(), messageId, EmojiView.of(t.emoji()))));
            return null;
        }));
    }
}
