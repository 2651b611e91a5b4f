package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.OAuth2Scopes;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Decimals;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.OAuth2Client;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.RoleView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Discord's authorisation page, in its two uses. With {@code scope=bot} a person who manages a
 * guild adds an application's bot to it, optionally with a managed role carrying the permissions
 * the invite link asked for. With {@code response_type=code} a person grants an application the
 * scopes it asked for and the browser (or the local RPC server) takes back a single-use code, which
 * the application exchanges for tokens ({@link OAuth2GrantService}). Both can go together.
 */
public final class OAuth2Service {

    /** Where the authorisation page sends the browser afterwards when there is no redirect URI; Discord's own landing page. */
    static final String AUTHORIZED_PATH = "/oauth2/authorized";
    private static final int MAX_ROLES = 250;
    private static final int MAX_STATE_LENGTH = 1000;

    private final Platform.Context ctx;
    private final MemberService members;
    private final OAuth2GrantService grants;

    public OAuth2Service(Platform.Context ctx, MemberService members, OAuth2GrantService grants) {
        this.ctx = ctx;
        this.members = members;
        this.grants = grants;
    }

    /**
     * The query of an authorisation request, as given: {@code client_id}, {@code scope},
     * {@code permissions}, and for the code grant {@code response_type}, {@code redirect_uri} and
     * {@code state}.
     */
    public record Query(String clientId, String scope, String permissions, String responseType, String redirectUri, String state) {

        public Query(String clientId, String scope, String permissions) {
            this(clientId, scope, permissions, null, null, null);
        }

        boolean codeGrant() {
            return responseType != null;
        }

        /** The redirect URI the request named; an empty one names none. */
        String namedRedirect() {
            return redirectUri == null || redirectUri.isEmpty() ? null : redirectUri;
        }
    }

    /**
     * {@code GET /oauth2/authorize}: what the authorisation page shows: the application, its bot,
     * the caller, and the caller's guilds where they have MANAGE_GUILD.
     */
    public Map<String, Object> describe(Principal who, Query query) {
        OAuth2GrantService.requirePersonsOwnToken(who);
        Form form = Form.of(null);
        Long appId = clientId(form, query);
        Set<String> scopes = scopes(form, query);
        form.validate();
        return ctx.store().read(tx -> {
            Application app = tx.applications().find(appId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            String redirect = query.codeGrant() ? redirectUri(tx, appId, query) : null;
            User bot = tx.users().find(app.botUserId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            User user = tx.users().find(who.userId()).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            List<Map<String, Object>> guilds = new ArrayList<>();
            for (Guild g : scopes.contains(OAuth2Scopes.BOT) ? tx.guilds().listForUser(who.userId()) : List.<Guild>of()) {
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
            page.put("application", ApplicationService.view(tx, app));
            page.put("bot", UserView.of(bot));
            page.put("user", UserView.of(user));
            page.put("scopes", List.copyOf(scopes));
            if (query.codeGrant()) {
                page.put("redirect_uri", redirect);
            }
            page.put("authorized", false);
            page.put("guilds", guilds);
            return page;
        });
    }

    /**
     * {@code POST /oauth2/authorize} with {@code {authorize, guild_id?, permissions?}}: people only,
     * with their own token. Returns where to send the browser; {@code authorize: false} changes
     * nothing.
     *
     * <p>With {@code bot} among the scopes: MANAGE_GUILD in the guild, and the permissions asked for
     * must be the caller's own (owners and administrators have all). A bot new to the guild joins it
     * through {@link MemberService#join}; with permissions it first gets a managed role named after
     * it (GUILD_ROLE_CREATE, then GUILD_MEMBER_ADD with that role), all in one transaction. A bot
     * already there is left as is.
     *
     * <p>With {@code response_type=code}: a code for the other scopes goes to the redirect URI (the
     * one named, which must be registered, else the application's first), with {@code state}
     * echoed; without a registered URI, to the landing page, which is how the local RPC server
     * takes it.
     */
    public Map<String, Object> authorize(Principal who, Query query, Form form) {
        OAuth2GrantService.requirePersonsOwnToken(who);
        Long appId = clientId(form, query);
        Set<String> scopes = scopes(form, query);
        boolean bot = scopes.contains(OAuth2Scopes.BOT);
        // without response_type this is the bot flow, which needs a guild even when the scope is missing
        Long guildId = bot || !query.codeGrant() ? form.snowflake("guild_id") : null;
        Long bodyPermissions = form.optPermissions("permissions");
        Long queryPermissions = queryPermissions(form, query);
        if (!form.has("authorize") || form.isNull("authorize")) {
            form.error("authorize", "BASE_TYPE_REQUIRED", "This field is required");
        }
        Boolean authorize = form.optBool("authorize");
        form.validate();
        long permissions = (bodyPermissions != null ? bodyPermissions : queryPermissions != null ? queryPermissions : 0) & Permission.ALL;
        Application app = ctx.store().read(tx -> tx.applications().find(appId))
                .orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
        String redirect = query.codeGrant() ? ctx.store().read(tx -> redirectUri(tx, appId, query)) : null;
        if (!authorize) {
            return Map.of("location", query.codeGrant()
                    ? location(redirect, "error=access_denied", query.state())
                    : AUTHORIZED_PATH + "?error=access_denied");
        }
        if (bot) {
            addBot(who, app, guildId, permissions);
        }
        if (!query.codeGrant()) {
            return Map.of("location", AUTHORIZED_PATH + "?guild_id=" + guildId + "&permissions=" + permissions);
        }
        Set<String> granted = new LinkedHashSet<>(scopes);
        granted.retainAll(OAuth2Scopes.TOKEN_SCOPES);
        String code = ctx.store().write(tx -> grants.issueCode(tx, appId, who.userId(), granted, query.namedRedirect()));
        return Map.of("location", location(redirect, "code=" + code, query.state()));
    }

    private void addBot(Principal who, Application app, long guildId, long permissions) {
        if (!app.botPublic() && app.ownerId() != who.userId()) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS, "Only the owner can add a private application's bot");
        }
        // checked before the join too, since a bot already in the guild skips the join's own checks
        ctx.store().read(tx -> requireAuthority(tx, who, guildId, permissions));
        members.join(guildId, app.botUserId(), tx -> {
            requireAuthority(tx, who, guildId, permissions);
            if (permissions == 0) {
                return Set.of();
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
            tx.events().publish(GatewayEvent.guild(DispatchType.GUILD_ROLE_CREATE, guildId, created));
            return Set.of(role.id());
        });
    }

    /**
     * Where the code goes: the named URI when the application registered it (exact match, as RFC
     * 6749 3.1.2 asks), else the first registered one, else null (the landing page).
     */
    private static String redirectUri(Tx tx, long appId, Query query) {
        List<String> registered = tx.oauth2().client(appId).map(OAuth2Client::redirectUris).orElse(List.of());
        String asked = query.namedRedirect();
        if (asked == null) {
            return registered.isEmpty() ? null : registered.getFirst();
        }
        if (!registered.contains(asked)) {
            throw FieldErrors.single("redirect_uri", "REDIRECT_URI_INVALID", "Invalid \"redirect_uri\" in request.");
        }
        return asked;
    }

    private static String location(String redirect, String result, String state) {
        String base = redirect == null ? AUTHORIZED_PATH : redirect;
        StringBuilder out = new StringBuilder(base).append(base.contains("?") ? '&' : '?').append(result);
        if (state != null && !state.isEmpty()) {
            out.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
        }
        return out.toString();
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

    /**
     * The scopes asked for. Without {@code response_type} only the bot flow exists, so {@code bot}
     * is required; with it, only {@code code} is supported (no implicit grant).
     */
    private static Set<String> scopes(Form form, Query query) {
        Set<String> scopes = OAuth2Scopes.parse(query.scope());
        if (query.codeGrant() && !query.responseType().equals("code")) {
            form.error("response_type", "RESPONSE_TYPE_INVALID", "Only the code response type is supported.");
        }
        if (query.state() != null && query.state().length() > MAX_STATE_LENGTH) {
            form.error("state", "BASE_TYPE_MAX_LENGTH", "Must be " + MAX_STATE_LENGTH + " or fewer in length.");
        }
        if (scopes.isEmpty()) {
            form.error("scope", "BASE_TYPE_REQUIRED", "This field is required");
        } else if (!OAuth2Scopes.KNOWN.containsAll(scopes)) {
            Set<String> unknown = new LinkedHashSet<>(scopes);
            unknown.removeAll(OAuth2Scopes.KNOWN);
            form.error("scope", "SCOPE_INVALID", "Invalid scope: " + String.join(" ", unknown) + ".");
        } else if (!query.codeGrant() && !scopes.contains(OAuth2Scopes.BOT)) {
            form.error("scope", "SCOPE_BOT_REQUIRED", "Without response_type=code only the bot scope can be authorised.");
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
