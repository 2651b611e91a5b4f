package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.core.view.ReactionView.EmojiView;
import java.util.List;

/**
 * The bodies of the message, reaction and typing dispatches that are not a whole message object.
 * {@code guild_id} and {@code member} are left out in DMs, as Discord does.
 */
public final class MessageEvents {

    private MessageEvents() {}

    /** MESSAGE_DELETE. */
    public record Delete(long id, long channelId, @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId) {}

    /** MESSAGE_DELETE_BULK. */
    public record DeleteBulk(List<Long> ids, long channelId, @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId) {}

    /** TYPING_START; {@code timestamp} is Unix seconds, {@code member} the typist's member object (with its user). */
    public record TypingStart(
            long channelId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId,
            long userId,
            int timestamp,
            @JsonInclude(JsonInclude.Include.NON_NULL) MemberView member) {}

    /** MESSAGE_REACTION_ADD; {@code type} 0 is a normal reaction (1 would be a super reaction). */
    public record ReactionAdd(
            long userId,
            long channelId,
            long messageId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId,
            @JsonInclude(JsonInclude.Include.NON_NULL) MemberView member,
            EmojiView emoji,
            long messageAuthorId,
            boolean burst,
            int type) {}

    /** MESSAGE_REACTION_REMOVE. */
    public record ReactionRemove(
            long userId,
            long channelId,
            long messageId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId,
            EmojiView emoji,
            boolean burst,
            int type) {}

    /** MESSAGE_REACTION_REMOVE_ALL. */
    public record ReactionRemoveAll(long channelId, long messageId, @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId) {}

    /** MESSAGE_REACTION_REMOVE_EMOJI. */
    public record ReactionRemoveEmoji(
            long channelId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId,
            long messageId,
            EmojiView emoji) {}
}
