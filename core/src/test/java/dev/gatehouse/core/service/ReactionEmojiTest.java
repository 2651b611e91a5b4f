package dev.gatehouse.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

class ReactionEmojiTest {

    @Test
    void unicodeEmojisAreAccepted() {
        for (String emoji : new String[] {
                "\uD83D\uDC4D", // thumbs up
                "\uD83D\uDC4D\uD83C\uDFFD", // with a skin tone
                "\u2764\uFE0F", // heart with variation selector
                "\u2705", // check mark (BMP)
                "\u00A9\uFE0F", // copyright sign
                "1\uFE0F\u20E3", "#\u20E3", "*\uFE0F\u20E3", // keycaps
                "\uD83C\uDDEF\uD83C\uDDF5", // flag: two regional indicators
                "\uD83D\uDC68\u200D\uD83D\uDCBB", // ZWJ sequence
                "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F"}) { // tag sequence
            var parsed = ReactionEmoji.parse(emoji);
            assertThat(parsed.id()).isNull();
            assertThat(parsed.name()).isEqualTo(emoji);
            assertThat(parsed.key()).isEqualTo(emoji);
        }
    }

    @Test
    void textCustomEmojisAndJunkAreUnknown() {
        for (String bad : new String[] {"", "a", "abc", "1", "12", "#", "1\uFE0F", "\u20E3", "\uFE0F", "\u200D\uD83D\uDC4D",
                "\uD83D\uDC4D ", " ", "\t", "\u00E9", "\u0661", "blob:123", ":123", "a:blob:1", "\uD83D\uDC4Da",
                "\uD83D\uDC4D".repeat(17), "\u0000"}) {
            assertThatThrownBy(() -> ReactionEmoji.parse(bad)).as("[%s]", bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_EMOJI));
        }
        assertThatThrownBy(() -> ReactionEmoji.parse(null)).isInstanceOf(ApiException.class);
    }
}
