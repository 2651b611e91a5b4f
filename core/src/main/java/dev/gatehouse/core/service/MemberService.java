package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.protocol.DispatchType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Guild membership. */
public final class MemberService {

    private final Platform.Context ctx;
    private final GuildService guilds;

    public MemberService(Platform.Context ctx, GuildService guilds) {
        this.ctx = ctx;
        this.guilds = guilds;
    }

    /** What a join did: the member, and whether it was new (false: the user already was one). */
    public record Joined(Member member, boolean created) {}

    /**
     * Adds the user to the guild (invite accepted, bot authorised, operator command). Banned
     * users get 40007; a user already in the guild is left as is and nothing is published. A new
     * member publishes GUILD_MEMBER_ADD to the guild and GUILD_CREATE to the user.
     */
    public Joined join(long guildId, long userId, Set<Long> roleIds) {
        long now = ctx.clock().millis();
        record Result(Joined joined, MemberView view, Map<String, Object> guild) {}
        Result result = ctx.store().write(tx -> {
            tx.guilds().find(guildId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_GUILD));
            User user = tx.users().find(userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
            Optional<Member> existing = tx.members().find(guildId, userId);
            if (existing.isPresent()) {
                return new Result(new Joined(existing.get(), false), null, null);
            }
            if (tx.bans().find(guildId, userId).isPresent()) {
                throw new ApiException(ErrorCode.USER_BANNED);
            }
            if (tx.guilds().countOwnedOrJoined(userId) >= ctx.limits().maxGuildsPerUser()) {
                throw new ApiException(ErrorCode.MAX_GUILDS, "Maximum number of guilds reached (" + ctx.limits().maxGuildsPerUser() + ")");
            }
            Member member = new Member(guildId, userId, null, now, Set.copyOf(roleIds));
            tx.members().insert(member);
            return new Result(new Joined(member, true), MemberView.of(member, user).withGuildId(guildId),
                    guilds.fullGuild(tx, guildId, userId, GuildService.DEFAULT_LARGE_THRESHOLD));
        });
        if (result.joined().created()) {
            ctx.bus().publish(GatewayEvent.guild(DispatchType.GUILD_MEMBER_ADD, guildId, result.view()));
            ctx.bus().publish(GatewayEvent.users(DispatchType.GUILD_CREATE, Set.of(userId), result.guild()));
        }
        return result.joined();
    }

    static Member requireMember(Tx tx, long guildId, long userId) {
        return tx.members().find(guildId, userId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_MEMBER));
    }
}
