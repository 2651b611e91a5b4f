package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.core.model.Emoji;

/** One emoji's reactions on a message, as listed in the message object. */
public record ReactionView(int count, CountDetails countDetails, boolean me, boolean meBurst, EmojiView emoji, Object burstColors) {

    public record CountDetails(int burst, int normal) {}

    /** Discord's partial emoji: {@code id} null for a Unicode emoji. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EmojiView(Long id, String name) {
        public static EmojiView of(Emoji e) {
            return new EmojiView(e.id(), e.name());
        }
    }

    public static ReactionView of(Emoji emoji, int count, boolean me) {
        return new ReactionView(count, new CountDetails(0, count), me, false, EmojiView.of(emoji), java.util.List.of());
    }
}
