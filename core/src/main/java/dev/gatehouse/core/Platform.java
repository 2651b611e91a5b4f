package dev.gatehouse.core;

import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.EventBus;
import dev.gatehouse.core.service.ApplicationService;
import dev.gatehouse.core.service.AuthService;
import dev.gatehouse.core.service.ChannelService;
import dev.gatehouse.core.service.GuildService;
import dev.gatehouse.core.service.InviteService;
import dev.gatehouse.core.service.MemberService;
import dev.gatehouse.core.service.MessageService;
import dev.gatehouse.core.service.ReactionService;
import dev.gatehouse.core.service.RoleService;
import dev.gatehouse.core.service.SessionStartLimiter;
import dev.gatehouse.core.service.TokenService;
import dev.gatehouse.core.service.UserService;
import dev.gatehouse.core.store.Store;
import java.time.Clock;

/**
 * The platform's services over one store and one bus. Transport-free: the HTTP API and the gateway
 * both call into it, and tests can drive it directly.
 */
public final class Platform {

    /** What the services need from their surroundings. */
    public record Context(Store store, EventBus bus, Clock clock, Snowflakes ids, PasswordHasher passwords, PlatformLimits limits) {}

    private final Context context;
    private final TokenService tokens;
    private final AuthService auth;
    private final UserService users;
    private final ApplicationService applications;
    private final GuildService guilds;
    private final ChannelService channels;
    private final RoleService roles;
    private final MemberService members;
    private final InviteService invites;
    private final MessageService messages;
    private final ReactionService reactions;
    private final SessionStartLimiter sessionStarts;
    private final dev.gatehouse.core.service.BanService bans;
    private final dev.gatehouse.core.service.DmService dms;
    private final dev.gatehouse.core.service.OAuth2Service oauth2;

    public Platform(Context context) {
        this.context = context;
        this.tokens = new TokenService(context);
        this.auth = new AuthService(context, tokens);
        this.users = new UserService(context);
        this.applications = new ApplicationService(context, tokens);
        this.guilds = new GuildService(context);
        this.channels = new ChannelService(context);
        this.roles = new RoleService(context);
        this.members = new MemberService(context, guilds);
        this.invites = new InviteService(context, members);
        this.messages = new MessageService(context);
        this.reactions = new ReactionService(context);
        this.sessionStarts = new SessionStartLimiter(context);
        this.bans = new dev.gatehouse.core.service.BanService(context, members);
        this.dms = new dev.gatehouse.core.service.DmService(context);
        this.oauth2 = new dev.gatehouse.core.service.OAuth2Service(context, members);
    }

    public Context context() { return context; }
    public TokenService tokens() { return tokens; }
    public AuthService auth() { return auth; }
    public UserService users() { return users; }
    public ApplicationService applications() { return applications; }
    public GuildService guilds() { return guilds; }
    public ChannelService channels() { return channels; }
    public RoleService roles() { return roles; }
    public MemberService members() { return members; }
    public InviteService invites() { return invites; }
    public MessageService messages() { return messages; }
    public ReactionService reactions() { return reactions; }
    public SessionStartLimiter sessionStarts() { return sessionStarts; }
    public dev.gatehouse.core.service.BanService bans() { return bans; }
    public dev.gatehouse.core.service.DmService dms() { return dms; }
    public dev.gatehouse.core.service.OAuth2Service oauth2() { return oauth2; }
}
