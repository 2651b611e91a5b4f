package dev.gatehouse.core.service;

import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a guild channel body, shared by {@code POST /guilds/{id}/channels} (name required)
 * and {@code PATCH /channels/{id}} (everything optional). A null value is an absent field; the
 * {@code has...} flags tell "absent" from "set to null" where null means "clear".
 */
record ChannelFields(
        String name,
        Integer type,
        String topic,
        boolean hasTopic,
        Integer position,
        Long parentId,
        boolean hasParent,
        Boolean nsfw,
        Integer bitrate,
        Integer userLimit,
        Integer rateLimitPerUser,
        List<Overwrites.Read> overwrites) {

    static ChannelFields read(Form form, boolean create) {
        String name = create ? form.string("name", 1, 100) : form.optString("name", 1, 100);
        if (name != null && name.isBlank()) {
            form.error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
            name = null;
        }
        Integer type = form.optInt("type", 0, Integer.MAX_VALUE);
        if (type != null && !ChannelType.isGuildType(type)) {
            form.error("type", "BASE_TYPE_CHOICES", "Value must be one of {0, 2, 4, 13}.");
            type = null;
        }
        return new ChannelFields(
                name,
                type,
                form.optString("topic", 0, 1024),
                form.has("topic"),
                form.optInt("position", 0, Integer.MAX_VALUE),
                form.optSnowflake("parent_id"),
                form.has("parent_id"),
                form.optBool("nsfw"),
                form.optInt("bitrate", 8_000, 96_000),
                form.optInt("user_limit", 0, 99),
                form.optInt("rate_limit_per_user", 0, 21_600),
                Overwrites.readList(form, "permission_overwrites"));
    }

    /**
     * Discord's text channel names are lower case with dashes for spaces; voice channels and
     * categories keep the name as given.
     */
    static String normalName(String name, int type) {
        if (type != ChannelType.GUILD_TEXT) {
            return name;
        }
        return name.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    }

    /**
     * The channel with these fields applied, each only where the channel's type has it (a topic
     * sent for a voice channel is ignored, as Discord ignores it). Overwrites are not applied here.
     */
    Channel applyTo(Channel c) {
        boolean text = c.type() == ChannelType.GUILD_TEXT;
        boolean voice = ChannelType.isVoice(c.type());
        boolean category = c.type() == ChannelType.GUILD_CATEGORY;
        return new Channel(
                c.id(),
                c.type(),
                c.guildId(),
                name != null ? normalName(name, c.type()) : c.name(),
                text && hasTopic ? emptyToNull(topic) : c.topic(),
                position != null ? position : c.position(),
                hasParent && !category ? parentId : c.parentId(),
                nsfw != null && !category ? nsfw : c.nsfw(),
                voice && bitrate != null ? bitrate : c.bitrate(),
                voice && userLimit != null ? userLimit : c.userLimit(),
                !category && rateLimitPerUser != null ? rateLimitPerUser : c.rateLimitPerUser(),
                c.lastMessageId(),
                c.overwrites(),
                c.recipientIds());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
