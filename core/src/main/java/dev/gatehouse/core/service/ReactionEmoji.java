package dev.gatehouse.core.service;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.model.Emoji;

/**
 * The {@code {emoji}} of the reaction routes, already URL-decoded: a Unicode emoji, or
 * {@code name:id} for a custom one. The platform has no custom emojis yet, so every {@code name:id}
 * is 10014 Unknown Emoji, as is anything that does not look like an emoji.
 */
public final class ReactionEmoji {

    /** Long enough for the longest ZWJ sequences (family with skin tones), in UTF-16 units. */
    public static final int MAX_LENGTH = 32;

    private static final int VARIATION_SELECTOR_16 = 0xFE0F;
    private static final int COMBINING_KEYCAP = 0x20E3;

    private ReactionEmoji() {}

    public static Emoji parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH || raw.indexOf(':') >= 0 || !looksLikeEmoji(raw)) {
            throw new ApiException(ErrorCode.UNKNOWN_EMOJI);
        }
        return new Emoji(null, raw);
    }

    /**
     * A plausibility check, not the Unicode emoji table: no letters, digits, spaces or control
     * characters, except the ASCII bases of keycap sequences (1️⃣ #️⃣ *️⃣); the first code point
     * is not a modifier that only combines with something before it.
     */
    static boolean looksLikeEmoji(String s) {
        int[] cps = s.codePoints().toArray();
        if (isCombining(cps[0])) {
            return false;
        }
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp < 0x80) {
                if (!isKeycapAt(cps, i)) {
                    return false;
                }
                continue;
            }
            if (Character.isLetterOrDigit(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                    || Character.isISOControl(cp) || !Character.isDefined(cp)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeycapAt(int[] cps, int i) {
        int c = cps[i];
        if (!((c >= '0' && c <= '9') || c == '#' || c == '*')) {
            return false;
        }
        int next = i + 1 < cps.length && cps[i + 1] == VARIATION_SELECTOR_16 ? i + 2 : i + 1;
        return next < cps.length && cps[next] == COMBINING_KEYCAP;
    }

    private static boolean isCombining(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT || type == Character.MODIFIER_SYMBOL;
    }
}
