package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.core.model.OAuth2Client;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.ApplicationView;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Applications: creation with their bot user, privileged-intent flags, token and secret resets, OAuth2 settings. */
public final class ApplicationService {

    private static final int MAX_URIS = 10;
    private static final int MAX_URI_LENGTH = 2000;

    private final Platform.Context ctx;
    private final TokenService tokens;
    private final OAuth2GrantService grants;

    public ApplicationService(Platform.Context ctx, TokenService tokens, OAuth2GrantService grants) {
        this.ctx = ctx;
        this.tokens = tokens;
        this.grants = grants;
    }

    /** A bot application created, and the bot's first token (shown once; only the admin command prints it). */
    public record Created(ApplicationView application, String token) {}

    /** {@code POST /applications}: people only; the bot user shares the application's id. */
    public Created create(Principal who, Form form) {
        if (who.isBot()) {
            throw new ApiException(ErrorCode.BOTS_CANNOT_USE_ENDPOINT);
        }
        String name = form.string("name", 2, 32);
        String description = form.optString("description", 0, 400);
        form.validate();
        return create(who.userId(), name, description == null ? "" : description);
    }

    /** Creates an application owned by {@code ownerId}; shared by the API and the admin command. */
    public Created create(long ownerId, String name, String description) {
        long now = ctx.clock().millis();
        long id = ctx.ids().next();
        return ctx.store().write(tx -> {
            User owner = tx.users().find(ownerId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            User bot = new User(id, name, null, null, null, true, 0, now);
            tx.users().insert(bot, null);
            Application app = new Application(id, name, description, ownerId, 0, true, now);
            tx.applications().insert(app);
            String token = tokens.issue(tx, id);
            return new Created(ApplicationView.of(app, bot, owner), token);
        });
    }

    private Application owned(Tx tx, Principal who, long appId) {
        Application app = tx.applications().find(appId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
        if (app.ownerId() != who.userId() && app.id() != who.userId()) {
            throw new ApiException(ErrorCode.MISSING_ACCESS);
        }
        return app;
    }

    /** The application as its owner and the OAuth2 pages show it, with its client settings. */
    static ApplicationView view(Tx tx, Application app) {
        User bot = tx.users().find(app.botUserId()).orElseThrow();
        User owner = tx.users().find(app.ownerId()).orElseThrow();
        return ApplicationView.of(app, bot, owner, client(tx, app.id()));
    }

    private static OAuth2Client client(Tx tx, long appId) {
        return tx.oauth2().client(appId).orElse(OAuth2Client.empty(appId));
    }

    /** {@code GET /applications/{id}}: the owner or the bot itself. */
    public ApplicationView get(Principal who, long appId) {
        return ctx.store().read(tx -> view(tx, owned(tx, who, appId)));
    }

    /** {@code GET /applications/@me}, {@code GET /oauth2/applications/@me}: the bot's own application. */
    public ApplicationView mine(Principal who) {
        if (!who.isBot()) {
            throw new ApiException(ErrorCode.ONLY_BOTS_CAN_USE_ENDPOINT);
        }
        return get(who, who.userId());
    }

    public Optional<Application> find(long appId) {
        return ctx.store().read(tx -> tx.applications().find(appId));
    }

    /**
     * {@code PATCH /applications/{id}}: owner only; {@code flags} limited to the intent grants;
     * {@code redirect_uris} (absolute URIs without a fragment) and {@code rpc_origins} (origins such
     * as {@code https://app.example}), ten of each at most.
     */
    public ApplicationView modify(Principal who, long appId, Form form) {
        String name = form.optString("name", 2, 32);
        String description = form.optString("description", 0, 400);
        Integer flags = form.optInt("flags", 0, Integer.MAX_VALUE);
        if (flags != null && (flags & ~Application.SETTABLE_FLAGS) != 0) {
            form.error("flags", "APPLICATION_FLAGS_INVALID", "Only the gateway intent flags can be set.");
        }
        List<String> redirects = form.optStrings("redirect_uris", MAX_URIS, MAX_URI_LENGTH);
        List<String> origins = form.optStrings("rpc_origins", MAX_URIS, MAX_URI_LENGTH);
        checkUris(form, "redirect_uris", redirects, false);
        checkUris(form, "rpc_origins", origins, true);
        List<String> normalizedOrigins = origins == null ? null : origins.stream().map(ApplicationService::origin).distinct().toList();
        form.validate();
        return ctx.store().write(tx -> {
            Application app = owned(tx, who, appId);
            if (app.ownerId() != who.userId()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            Application next = new Application(app.id(), name != null ? name : app.name(),
                    description != null ? description : app.description(), app.ownerId(),
                    flags != null ? flags : app.flags(), app.botPublic(), app.createdAt());
            tx.applications().update(next);
            if (redirects != null || origins != null) {
                OAuth2Client client = client(tx, appId);
                tx.oauth2().saveClient(client.withUris(redirects != null ? redirects : client.redirectUris(),
                        normalizedOrigins != null ? normalizedOrigins : client.rpcOrigins()));
            }
            return view(tx, next);
        });
    }

    /** Sets the intent flags without an owner check: the operator's admin command. */
    public Application setFlags(long appId, int flags) {
        return ctx.store().write(tx -> {
            Application app = tx.applications().find(appId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            tx.applications().updateFlags(appId, flags);
            return app.withFlags(flags);
        });
    }

    /**
     * {@code POST /applications/{id}/reset}: owner only; a new OAuth2 client secret, shown this once.
     * The old secret stops working; tokens already issued keep theirs.
     */
    public String resetSecret(Principal who, long appId) {
        return ctx.store().write(tx -> {
            Application app = owned(tx, who, appId);
            if (app.ownerId() != who.userId()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            return grants.newSecret(tx, appId);
        });
    }

    /**
     * {@code GET /applications/{id}/rpc}: what anyone may know of an application, for the local RPC
     * server's checks: its name and the origins its programs may connect from.
     */
    public Map<String, Object> rpcInfo(long appId) {
        return ctx.store().read(tx -> {
            Application app = tx.applications().find(appId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_APPLICATION));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", app.id());
            out.put("name", app.name());
            out.put("icon", null);
            out.put("description", app.description());
            out.put("summary", "");
            out.put("bot_public", app.botPublic());
            out.put("bot_require_code_grant", false);
            out.put("verify_key", "");
            out.put("flags", app.flags());
            out.put("rpc_origins", client(tx, appId).rpcOrigins());
            return out;
        });
    }

    private static void checkUris(Form form, String field, List<String> values, boolean origins) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            if (!validUri(v, origins)) {
                form.error(field, "URL_TYPE_INVALID_URL", "Not a well formed URL.");
                return;
            }
        }
    }

    /** Schemes a browser would run or read locally instead of handing the code to the application. */
    private static final Set<String> UNSAFE_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "blob", "about");

    /**
     * An absolute URI without a fragment or a newline, whose scheme hands the code on (http(s), or
     * an application's own scheme; not {@code javascript:} or {@code data:}); an origin also has
     * only a scheme, a host and a port.
     */
    static boolean validUri(String raw, boolean origin) {
        try {
            URI uri = new URI(raw);
            if (!uri.isAbsolute() || uri.getFragment() != null || raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0
                    || UNSAFE_SCHEMES.contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
            if (origin) {
                String path = uri.getRawPath();
                return uri.getHost() != null && uri.getRawQuery() == null && uri.getUserInfo() == null
                        && (path == null || path.isEmpty() || path.equals("/"));
            }
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** An origin as browsers send it in {@code Origin}: without the trailing slash a URL may have. */
    static String origin(String raw) {
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** {@code POST /applications/{id}/bot/reset}: revokes every token of the bot and returns a new one. */
    public String resetBotToken(Principal who, long appId) {
        return ctx.store().write(tx -> {
            Application app = owned(tx, who, appId);
            if (app.ownerId() != who.userId()) {
                throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
            }
            return tokens.reset(tx, app.botUserId());
        });
    }
}
