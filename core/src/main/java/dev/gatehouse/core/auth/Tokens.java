package dev.gatehouse.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * The shape of an authentication token, as on Discord:
 * {@code base64url(user id).base64url(issue time).random}. Libraries check the first part decodes
 * to the bot's id, so it must; the random part carries 160 bits, so a fast hash (SHA-256) is as
 * good as a slow one for storing it.
 */
public final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String generate(long userId, long nowMillis) {
        byte[] secret = new byte[20];
        RANDOM.nextBytes(secret);
        byte[] time = ByteBuffer.allocate(Long.BYTES).putLong(nowMillis / 1000).array();
        return B64.encodeToString(Long.toString(userId).getBytes(StandardCharsets.US_ASCII))
                + "." + B64.encodeToString(java.util.Arrays.copyOfRange(time, 4, 8))
                + "." + B64.encodeToString(secret);
    }

    /** The user id a token claims, or empty when it is not token-shaped. Claims are not proof. */
    public static OptionalLong claimedUserId(String token) {
        if (token == null || token.length() > 200) {
            return OptionalLong.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || token.indexOf('.', dot + 1) < 0) {
            return OptionalLong.empty();
        }
        try {
            String id = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.US_ASCII);
            if (id.isEmpty() || id.length() > 19 || !id.chars().allMatch(Character::isDigit)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(id));
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
