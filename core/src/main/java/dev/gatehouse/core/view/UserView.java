package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.core.model.User;

/**
 * Discord's user object. {@code email}, {@code verified}, {@code mfa_enabled} and {@code locale}
 * appear only for the user themself ({@code GET /users/@me}, READY).
 */
public record UserView(
        long id,
        String username,
        String discriminator,
        String globalName,
        String avatar,
        boolean bot,
        boolean system,
        int publicFlags,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer flags,
        @JsonInclude(JsonInclude.Include.NON_NULL) String email,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean verified,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean mfaEnabled,
        @JsonInclude(JsonInclude.Include.NON_NULL) String locale,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer premiumType) {

    public static UserView of(User u) {
        return new UserView(u.id(), u.username(), "0", u.globalName(), u.avatar(), u.bot(), false, u.flags(),
                null, null, null, null, null, null);
    }

    /** The private view a user gets of their own account. */
    public static UserView self(User u) {
        return new UserView(u.id(), u.username(), "0", u.globalName(), u.avatar(), u.bot(), false, u.flags(),
                u.flags(), u.email(), u.email() != null, false, "en-US", 0);
    }
}
