package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.OAuth2Client;
import dev.gatehouse.core.model.User;
import java.util.List;

/** Discord's application object, with its bot user and owner, and its OAuth2 redirect URIs and RPC origins. */
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
        List<String> rpcOrigins,
        String summary) {

    public static ApplicationView of(Application a, User bot, User owner) {
        return of(a, bot, owner, OAuth2Client.empty(a.id()));
    }

    public static ApplicationView of(Application a, User bot, User owner, OAuth2Client client) {
        return new ApplicationView(a.id(), a.name(), null, a.description(), a.botPublic(), false, UserView.of(bot),
                UserView.of(owner), "", null, a.flags(), List.of(), client.redirectUris(), client.rpcOrigins(), "");
    }
}
