package dev.gatehouse.core.service;

import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.model.Message;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.store.Reactions;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MessageView;
import dev.gatehouse.core.view.ReactionView;
import dev.gatehouse.core.view.Timestamps;
import dev.gatehouse.core.view.UserView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds message objects for a page of messages with one query per kind of thing they point at
 * (authors and mentioned users, replied-to messages, reaction counts), not one per message.
 */
final class MessageViews {

    private MessageViews() {}

    /** The messages as {@code viewerId} sees them (reactions' {@code me}); no nonce, as on Discord's GETs. */
    static List<MessageView> of(Tx tx, List<Message> messages, long viewerId) {
        return build(tx, messages, viewerId, false);
    }

    /** One message; {@code withNonce} for the answer to its creation and MESSAGE_CREATE. */
    static MessageView of(Tx tx, Message message, long viewerId, boolean withNonce) {
        return build(tx, List.of(message), viewerId, withNonce).getFirst();
    }

    private static List<MessageView> build(Tx tx, List<Message> messages, long viewerId, boolean withNonce) {
        if (messages.isEmpty()) {
            return List.of();
        }
        Map<Long, Message> referenced = new HashMap<>();
        for (Message m : messages) {
            if (m.type() == Message.TYPE_REPLY && m.referenceMessageId() != null && m.referenceChannelId() != null) {
                tx.messages().find(m.referenceChannelId(), m.referenceMessageId()).ifPresent(r -> referenced.put(r.id(), r));
            }
        }
        Set<Long> userIds = new HashSet<>();
        for (Message m : messages) {
            userIds.add(m.authorId());
            userIds.addAll(m.mentions());
        }
        for (Message r : referenced.values()) {
            userIds.add(r.authorId());
            userIds.addAll(r.mentions());
        }
        Map<Long, User> users = new HashMap<>();
        for (User u : tx.users().findAll(userIds)) {
            users.put(u.id(), u);
        }
        Map<Long, List<Reactions.Count>> counts = tx.reactions().counts(messages.stream().map(Message::id).toList(), viewerId);
        List<MessageView> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            List<ReactionView> reactions = counts.getOrDefault(m.id(), List.of()).stream()
                    .map(c -> ReactionView.of(c.emoji(), c.count(), c.me())).toList();
            Message ref = m.referenceMessageId() == null ? null : referenced.get(m.referenceMessageId());
            MessageView refView = ref == null ? null : view(ref, users, List.of(), null, false);
            out.add(view(m, users, reactions, refView, withNonce));
        }
        return out;
    }

    private static MessageView view(Message m, Map<Long, User> users, List<ReactionView> reactions, MessageView referenced,
            boolean withNonce) {
        List<UserView> mentions = m.mentions().stream().filter(users::containsKey).map(id -> UserView.of(users.get(id))).toList();
        MessageView.Reference reference = m.referenceMessageId() == null ? null
                : new MessageView.Reference(0, m.referenceMessageId(), m.referenceChannelId(), m.referenceGuildId());
        // Discord leaves suppressed embeds out of the message, but keeps them for when they are unsuppressed
        String embeds = (m.flags() & MessageService.SUPPRESS_EMBEDS) != 0 ? "[]" : m.embedsJson();
        return new MessageView(m.id(), m.type(), m.content(), m.channelId(), author(m, users), List.of(), embeds, mentions,
                m.mentionRoles(), m.pinned(), m.mentionEveryone(), m.tts(), Timestamps.iso(Snowflakes.timestamp(m.id())),
                Timestamps.isoOrNull(m.editedAt()), m.flags(), List.of(), withNonce ? m.nonce() : null, reactions, reference,
                referenced, null, null);
    }

    private static UserView author(Message m, Map<Long, User> users) {
        User author = users.get(m.authorId());
        if (author == null) {
            throw new IllegalStateException("message " + m.id() + " has no author " + m.authorId());
        }
        return UserView.of(author);
    }
}
