package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.OAuth2Scopes;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Accounts as their owners and others see them. */
public final class UserService {

    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_.]{2,32}");

    private final Platform.Context ctx;

    public UserService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /** {@code GET /users/@me}: with an OAuth2 token, the email only under the {@code email} scope. */
    public UserView me(Principal who) {
        User user = ctx.store().read(tx -> tx.users().find(who.userId())).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
        return who.hasScope(OAuth2Scopes.EMAIL) ? UserView.self(user) : UserView.self(user.withoutEmail());
    }

    public UserView get(long userId) {
        return ctx.store().read(tx -> tx.users().find(userId)).map(UserView::of)
                .orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
    }

    /** {@code PATCH /users/@me}: username and global_name; avatar may only be cleared (no media storage yet). */
    public UserView modifyMe(Principal who, Form form) {
        String username = form.optString("username", 2, 32);
        String globalName = form.optString("global_name", 1, 32);
        if (username != null && !who.isBot() && !USERNAME.matcher(username).matches()) {
            form.error("username", "USERNAME_INVALID_CHARACTERS", "Username can only contain letters, numbers, underscores and periods.");
        }
        if (form.has("avatar") && !form.isNull("avatar")) {
            form.error("avatar", "AVATAR_UPLOAD_UNSUPPORTED", "This server does not store images; avatar can only be set to null.");
        }
        form.validate();
        User updated = ctx.forUsers(Set.of(who.userId()), () -> {
            User done = ctx.store().write(tx -> {
                User current = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                User next = current.withProfile(
                        username != null ? username : current.username(),
                        form.has("global_name") ? globalName : current.globalName(),
                        form.has("avatar") ? null : current.avatar());
                if (!tx.users().update(next)) {
                    throw FieldErrors.single("username", "USERNAME_ALREADY_TAKEN", "Username is unavailable.");
                }
                tx.events().publish(GatewayEvent.users(DispatchType.USER_UPDATE, Set.of(who.userId()), UserView.self(next)));
                return next;
            });
            return done;
        });
        return UserView.self(updated);
    }

    /** {@code GET /users/@me/guilds}: partial guilds with the caller's permissions, by id, paged. */
    public List<Map<String, Object>> myGuilds(Principal who, Long before, Long after, int limit) {
        return ctx.store().read(tx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Guild g : tx.guilds().listForUser(who.userId())) {
                if ((before != null && g.id() >= before) || (after != null && g.id() <= after)) {
                    continue;
                }
                GuildContext gc = GuildContext.load(tx, g.id(), who.userId());
                Map<String, Object> partial = new LinkedHashMap<>();
                partial.put("id", g.id());
                partial.put("name", g.name());
                partial.put("icon", g.icon());
                partial.put("banner", null);
                partial.put("owner", g.ownerId() == who.userId());
                partial.put("permissions", PermissionCalculator.base(g, gc.member(), gc.roles()));
                partial.put("features", List.of());
                out.add(partial);
            }
            // before without after pages backwards: keep the newest `limit` below `before`
            if (before != null && after == null && out.size() > limit) {
                return out.subList(out.size() - limit, out.size());
            }
            return out.size() > limit ? out.subList(0, limit) : out;
        });
    }
}
