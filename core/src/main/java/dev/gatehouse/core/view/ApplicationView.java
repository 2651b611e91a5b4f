package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.User;
import java.util.List;

/** Discord's application object, with its bot user and owner. */
public record ApplicationView(
        long id,
        String name,
        String icon,
        String description,
        boolean botPublic,
        boolean botRequireCodeGrant,
        UserView bot,
        UserView owner,
        String verifyKey,
        Object team,
        int flags,
        List<String> tags,
        List<String> redirectUris,
        String summary) {

    public static ApplicationView of(Application a, User bot, User owner) {
        return new ApplicationView(a.id(), a.name(), null, a.description(), a.botPublic(), false, UserView.of(bot),
                UserView.of(owner), "", null, a.flags(), List.of(), List.of(), "");
    }
}
