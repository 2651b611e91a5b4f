package dev.gatehouse.core;

import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.auth.Tokens;
import dev.gatehouse.core.event.EventBus;
import dev.gatehouse.core.service.ApplicationService;
import dev.gatehouse.core.service.AuthService;
import dev.gatehouse.core.service.ChannelService;
import dev.gatehouse.core.service.GuildService;
import dev.gatehouse.core.service.InviteService;
import dev.gatehouse.core.service.MemberService;
import dev.gatehouse.core.service.MessageService;
import dev.gatehouse.core.service.OAuth2GrantService;
import dev.gatehouse.core.service.ReactionService;
import dev.gatehouse.core.service.RoleService;
import dev.gatehouse.core.service.SessionStartLimiter;
import dev.gatehouse.core.service.TokenService;
import dev.gatehouse.core.service.UserService;
import dev.gatehouse.core.service.VoiceService;
import dev.gatehouse.core.store.Store;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The platform's services over one store and one bus. Transport-free: the HTTP API and the gateway
 * both call into it, and tests can drive it directly.
 */
public final class Platform {

    /** What the services need from their surroundings. */
    public record Context(Store store, EventBus bus, Clock clock, Snowflakes ids, PasswordHasher passwords, PlatformLimits limits) {

        /**
         * Runs a change to a guild, and the publishing of its events, as the guild's one writer
         * ({@link dev.gatehouse.core.event.EventOrder}): concurrent changes to the guild commit and
         * reach the gateways one after another, in the same order.
         */
        public <T> T inGuild(long guildId, Supplier<T> work) {
            return bus.order().writing(List.of(guildId), work);
        }

        /**
         * As {@link #inGuild}, for a change that makes {@code userId} a member (a join, a new
         * guild's owner): it is also that user's writer, since the user's sessions start following
         * the guild at that point of its order.
         */
        public <T> T inGuildJoinedBy(long guildId, long userId, Supplier<T> work) {
            return bus.order().writing(List.of(guildId, userId), work);
        }

        /** As {@link #inGuild}, for what is addressed to these users alone (DMs, their own profile). */
        public <T> T forUsers(Collection<Long> userIds, Supplier<T> work) {
            return bus.order().writing(userIds, work);
        }

        /**
         * As {@link #inGuild} for the channel's guild, or {@link #forUsers} for a DM's recipients. A
         * channel's guild and recipients never change, so they are read before the section; an
         * unknown channel takes no key (the work then fails on its own).
         */
        public <T> T inChannel(long channelId, Supplier<T> work) {
            List<Long> keys = store.read(tx -> tx.channels().find(channelId)
                    .map(c -> c.guildId() != null ? List.of(c.guildId()) : List.copyOf(c.recipientIds()))
                    .orElse(List.of()));
            return bus.order().writing(keys, work);
        }
    }

    private final Context context;
    private final TokenService tokens;
    private final OAuth2GrantService grants;
    private final AuthService auth;
    private final UserService users;
    private final ApplicationService applications;
    private final VoiceService voice;
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
        this.grants = new OAuth2GrantService(context);
        this.applications = new ApplicationService(context, tokens, grants);
        this.voice = new VoiceService(context); // subscribes before any gateway: disconnects go out first
        this.guilds = new GuildService(context, voice);
        this.channels = new ChannelService(context, voice);
        this.roles = new RoleService(context);
        this.members = new MemberService(context, guilds, voice);
        this.invites = new InviteService(context, members);
        this.messages = new MessageService(context);
        this.reactions = new ReactionService(context);
        this.sessionStarts = new SessionStartLimiter(context);
        this.bans = new dev.gatehouse.core.service.BanService(context, voice);
        this.dms = new dev.gatehouse.core.service.DmService(context);
        this.oauth2 = new dev.gatehouse.core.service.OAuth2Service(context, members, grants);
    }

    public Context context() { return context; }

    /**
     * Who an HTTP request's token names: a user's or bot's own token (the shape that starts with
     * the user id), else an OAuth2 access token. The gateway takes only the former
     * ({@link TokenService#authenticate}), as Discord's does.
     */
    public Optional<Principal> authenticateRequest(String token) {
        return Tokens.claimedUserId(token).isPresent() ? tokens.authenticate(token) : grants.authenticate(token);
    }
    public TokenService tokens() { return tokens; }
    public OAuth2GrantService grants() { return grants; }
    public AuthService auth() { return auth; }
    public UserService users() { return users; }
    public ApplicationService applications() { return applications; }
    public GuildService guilds() { return guilds; }
    public VoiceService voice() { return voice; }
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
