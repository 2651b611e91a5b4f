package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discord's channel object. Its shape depends on the type (Discord leaves out the fields of other
 * types but sends {@code null} for empty ones of its own), so it is built as an ordered map.
 */
public final class ChannelView {

    private ChannelView() {}

    public static Map<String, Object> of(Channel c) {
        return of(c, List.of());
    }

    /** A channel; for a DM, {@code recipients} are the other participants. */
    public static Map<String, Object> of(Channel c, List<UserView> recipients) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("type", c.type());
        if (c.isDm()) {
            m.put("last_message_id", c.lastMessageId());
            m.put("flags", 0);
            m.put("recipients", recipients);
            return m;
        }
        m.put("guild_id", c.guildId());
        m.put("name", c.name());
        m.put("position", c.position());
        m.put("permission_overwrites", c.overwrites().stream().map(OverwriteView::of).toList());
        m.put("parent_id", c.parentId());
        m.put("nsfw", c.nsfw());
        m.put("flags", 0);
        if (c.type() == ChannelType.GUILD_TEXT) {
            m.put("topic", c.topic());
            m.put("last_message_id", c.lastMessageId());
            m.put("rate_limit_per_user", c.rateLimitPerUser());
        } else if (ChannelType.isVoice(c.type())) {
            m.put("last_message_id", c.lastMessageId());
            m.put("rate_limit_per_user", c.rateLimitPerUser());
            m.put("bitrate", c.bitrate());
            m.put("user_limit", c.userLimit());
            m.put("rtc_region", null);
        }
        return m;
    }
}
