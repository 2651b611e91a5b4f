package dev.gatehouse.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.core.model.Ban;
import dev.gatehouse.core.model.User;

/** Discord's ban object; {@code reason} is sent as null when there is none. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BanView(String reason, UserView user) {

    public static BanView of(Ban ban, User user) {
        return new BanView(ban.reason(), UserView.of(user));
    }
}
