package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Decimals;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.ApplicationView;
import dev.gatehouse.core.view.RoleView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bot part of Discord's OAuth2 authorisation ({@code scope=bot}): a person who manages a
 * guild adds an application's bot to it, optionally with a managed role carrying the permissions
 * the invite link asked for. There are no user-scoped OAuth2 grants here.
 */
public final class OAuth2Service {

    /** Where the authorisation page sends the browser afterwards; Discord's own landing page. */
    static final String AUTHORIZED_PATH = "/oauth2/authorized";
    private static final Set<String> KNOWN_SCOPES = Set.of("bot", "applications.commands");
    private static final int MAX_ROLES = 250;

    private final Platform.Context ctx;
    private final MemberService members;

    public OAuth2Service(Platform.Context ctx, MemberService members) {
        this.ctx = ctx;
        this.members = members;
    }

    /** The query of an authorisation request, as given: {@code client_id}, {@code scope}, {@code permissions}. */
    public record Query(String clientId, String scope, String permissions) {}

    /**
     * {@code GET /oauth2/authorize}: what the authorisation page shows: the application, its bot,
     * the caller, and the caller's guilds where they have MANAGE_GUILD.
     */
    public Map<String, Object> describe(Principal who, Query query) {
        if (who.isBot()) {
            throw new ApiException(ErrorCode.BOTS_CANNOT_USE_ENDPOINT);
        }
        Form form = Form.of(null);
        Long appId = clientId(form, query);
        scopes(form, query);
        form.validate();
        return ctx.store().read(tx -> {
            Application app = tx.applications().find(appId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            User bot = tx.users().find(app.botUserId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            User owner = tx.users().find(app.ownerId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            User user = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            List<Map<String, Object>> guilds = new ArrayList<>();
            for (Guild g : tx.guilds().listForUser(who.userId())) {
                GuildContext gc = GuildContext.load(tx, g.id(), who.userId());
                if (gc.has(Permission.MANAGE_GUILD)) {
                    Map<String, Object> partial = new LinkedHashMap<>();
                    partial.put("id", g.id());
                    partial.put("name", g.name());
                    partial.put("icon", g.icon());
                    partial.put("permissions", gc.permissions());
                    partial.put("mfa_level", 0);
                    guilds.add(partial);
                }
            }
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("application", ApplicationView.of(app, bot, owner));
            page.put("bot", UserView.of(bot));
            page.put("user", UserView.of(user));
            page.put("authorized", false);
            page.put("guilds", guilds);
            return page;
        });
    }

    /**
     * {@code POST /oauth2/authorize} with {@code {guild_id, permissions, authorize}}: people only;
     * MANAGE_GUILD in the guild, and the permissions asked for must be the caller's own (owners and
     * administrators have all). A bot new to the guild joins it through {@link MemberService#join};
     * with permissions it first gets a managed role named after it (GUILD_ROLE_CREATE, then
     * GUILD_MEMBER_ADD with that role), all in one transaction. A bot already there is left as is.
     * Returns where to send the browser; {@code authorize: false} changes nothing.
     */
    public Map<String, Object> authorize(Principal who, Query query, Form form) {
        if (who.isBot()) {
            throw new ApiException(ErrorCode.BOTS_CANNOT_USE_ENDPOINT);
        }
        Long appId = clientId(form, query);
        scopes(form, query);
        Long guildId = form.snowflake("guild_id");
        Long bodyPermissions = form.optPermissions("permissions");
        Long queryPermissions = queryPermissions(form, query);
        Boolean authorize = form.optBool("authorize");
        if (!form.has("authorize") || form.isNull("authorize")) {
            form.error("authorize", "BASE_TYPE_REQUIRED", "This field is required");
        }
        form.validate();
        long permissions = (bodyPermissions != null ? bodyPermissions : queryPermissions != null ? queryPermissions : 0) & Permission.ALL;
        Application app = ctx.store().read(tx -> tx.applications().find(appId))
                .orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
        if (!authorize) {
            return Map.of("location", AUTHORIZED_PATH + "?error=access_denied");
        }
        if (!app.botPublic() && app.ownerId() != who.userId()) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS, "Only the owner can add a private application's bot");
        }
        // checked before the join too, since a bot already in the guild skips the join's own checks
        ctx.store().read(tx -> requireAuthority(tx, who, guildId, permissions));
        members.join(guildId, app.botUserId(), tx -> {
            requireAuthority(tx, who, guildId, permissions);
            if (permissions == 0) {
                return new MemberService.Admission(Set.of(), List.of());
            }
            List<Role> roles = tx.roles().list(guildId);
            if (roles.size() >= MAX_ROLES) {
                throw new ApiException(ErrorCode.MAX_ROLES);
            }
            User bot = tx.users().find(app.botUserId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            // at the bottom, like Discord's integration roles: the bot outranks nobody it was not raised above
            Role role = new Role(ctx.ids().next(), guildId, bot.username(), 0, false, 1, permissions, true, false);
            tx.roles().insert(role);
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("guild_id", guildId);
            created.put("role", RoleView.of(role));
            return new MemberService.Admission(Set.of(role.id()),
                    List.of(GatewayEvent.guild(DispatchType.GUILD_ROLE_CREATE, guildId, created)));
        });
        return Map.of("location", AUTHORIZED_PATH + "?guild_id=" + guildId + "&permissions=" + permissions);
    }

    private static GuildContext requireAuthority(Tx tx, Principal who, long guildId, long permissions) {
        GuildContext gc = GuildContext.load(tx, guildId, who.userId()).require(Permission.MANAGE_GUILD);
        if ((permissions & ~gc.permissions()) != 0) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS, "Cannot grant a bot permissions you do not have");
        }
        return gc;
    }

    private static Long clientId(Form form, Query query) {
        String raw = query.clientId();
        if (raw == null || raw.isEmpty()) {
            form.error("client_id", "BASE_TYPE_REQUIRED", "This field is required");
            return null;
        }
        Long id = Decimals.parseNonNegativeLong(raw);
        if (id == null) {
            form.error("client_id", "NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not snowflake.");
        }
        return id;
    }

    /** Space-separated scopes; {@code bot} is required, since bot authorisation is all there is. */
    private static Set<String> scopes(Form form, Query query) {
        Set<String> scopes = new LinkedHashSet<>();
        if (query.scope() != null) {
            for (String s : query.scope().trim().split("[ +]+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        if (scopes.isEmpty()) {
            form.error("scope", "BASE_TYPE_REQUIRED", "This field is required");
        } else if (!KNOWN_SCOPES.containsAll(scopes)) {
            form.error("scope", "SCOPE_INVALID", "Scopes must be among " + KNOWN_SCOPES + ".");
        } else if (!scopes.contains("bot")) {
            form.error("scope", "SCOPE_BOT_REQUIRED", "Only the bot scope can be authorised here.");
        }
        return scopes;
    }

    private static Long queryPermissions(Form form, Query query) {
        String raw = query.permissions();
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Long bits = Decimals.parseNonNegativeLong(raw);
        if (bits == null) {
            form.error("permissions", "NUMBER_TYPE_COERCE", "Value \"" + raw + "\" is not a valid permission bit set.");
        }
        return bits;
    }
}
