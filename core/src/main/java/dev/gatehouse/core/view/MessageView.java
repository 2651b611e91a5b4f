package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;

/**
 * Discord's message object. {@code embeds} and {@code nonce} are stored as the JSON the client
 * sent and written back raw. {@code member} and {@code guild_id} appear for guild messages in
 * gateway events; {@code referenced_message} for replies.
 */
public record MessageView(
        long id,
        int type,
        String content,
        long channelId,
        UserView author,
        List<Object> attachments,
        @JsonRawValue String embeds,
        List<UserView> mentions,
        List<Long> mentionRoles,
        boolean pinned,
        boolean mentionEveryone,
        boolean tts,
        String timestamp,
        String editedTimestamp,
        int flags,
        List<Object> components,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String nonce,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ReactionView> reactions,
        @JsonInclude(JsonInclude.Include.NON_NULL) Reference messageReference,
        @JsonInclude(JsonInclude.Include.NON_NULL) MessageView referencedMessage,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId,
        // Discord's message events carry the author's member without its user (that is `author`)
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonIgnoreProperties({"user"}) MemberView member) {

    /** A reply's pointer to the message it answers. */
    public record Reference(int type, Long messageId, long channelId, @JsonInclude(JsonInclude.Include.NON_NULL) Long guildId) {}

    /** Same message as seen in a gateway event of a guild: with {@code guild_id} and the author's member. */
    public MessageView inGuild(long gid, MemberView authorMember) {
        return new MessageView(id, type, content, channelId, author, attachments, embeds, mentions, mentionRoles,
                pinned, mentionEveryone, tts, timestamp, editedTimestamp, flags, components, nonce, reactions,
                messageReference, referencedMessage, gid, authorMember);
    }
}
