package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Invite;
import dev.gatehouse.core.model.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discord's invite object: the partial guild and channel it leads to and its inviter; with
 * metadata (uses, limits, creation time) for those who manage invites. Built as an ordered map
 * because the counts and metadata come and go by endpoint.
 */
public final class InviteView {

    private InviteView() {}

    /** The invite as anyone holding the code sees it ({@code GET /invites/{code}}, accept). */
    public static Map<String, Object> of(Invite i, Guild guild, Channel channel, User inviter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", 0);
        m.put("code", i.code());
        m.put("guild", partialGuild(guild));
        m.put("channel", partialChannel(channel));
        if (inviter != null) {
            m.put("inviter", UserView.of(inviter));
        }
        m.put("expires_at", i.maxAge() == 0 ? null : Timestamps.iso(i.createdAt() + i.maxAge() * 1000L));
        return m;
    }

    /** The invite with its metadata, as creating and listing invites return it. */
    public static Map<String, Object> withMetadata(Invite i, Guild guild, Channel channel, User inviter) {
        Map<String, Object> m = of(i, guild, channel, inviter);
        m.put("uses", i.uses());
        m.put("max_uses", i.maxUses());
        m.put("max_age", i.maxAge());
        m.put("temporary", i.temporary());
        m.put("created_at", Timestamps.iso(i.createdAt()));
        return m;
    }

    /** The INVITE_CREATE dispatch payload. */
    public static Map<String, Object> created(Invite i, User inviter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel_id", i.channelId());
        m.put("code", i.code());
        m.put("created_at", Timestamps.iso(i.createdAt()));
        m.put("guild_id", i.guildId());
        if (inviter != null) {
            m.put("inviter", UserView.of(inviter));
        }
        m.put("max_age", i.maxAge());
        m.put("max_uses", i.maxUses());
        m.put("temporary", i.temporary());
        m.put("uses", i.uses());
        return m;
    }

    /** The INVITE_DELETE dispatch payload. */
    public static Map<String, Object> deleted(Invite i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel_id", i.channelId());
        m.put("guild_id", i.guildId());
        m.put("code", i.code());
        return m;
    }

    private static Map<String, Object> partialGuild(Guild g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("name", g.name());
        m.put("splash", null);
        m.put("banner", null);
        m.put("description", g.description());
        m.put("icon", g.icon());
        m.put("features", List.of());
        m.put("verification_level", g.verificationLevel());
        m.put("vanity_url_code", null);
        m.put("nsfw_level", 0);
        m.put("premium_subscription_count", 0);
        return m;
    }

    private static Map<String, Object> partialChannel(Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("type", c.type());
        m.put("name", c.name());
        return m;
    }
}
