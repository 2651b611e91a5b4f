package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Guild;
import java.util.List;

/**
 * Discord's guild object as REST returns it and GUILD_UPDATE carries it: the guild with its roles
 * and the empty collections and defaults libraries read (emojis, stickers, features, tiers).
 */
public record GuildView(
        long id,
        String name,
        String icon,
        String iconHash,
        String splash,
        String discoverySplash,
        String description,
        long ownerId,
        String region,
        Long afkChannelId,
        int afkTimeout,
        boolean widgetEnabled,
        Long widgetChannelId,
        int verificationLevel,
        int defaultMessageNotifications,
        int explicitContentFilter,
        List<RoleView> roles,
        List<Object> emojis,
        List<String> features,
        int mfaLevel,
        Long applicationId,
        Long systemChannelId,
        int systemChannelFlags,
        Long rulesChannelId,
        Integer maxPresences,
        int maxMembers,
        String vanityUrlCode,
        String banner,
        int premiumTier,
        int premiumSubscriptionCount,
        String preferredLocale,
        Long publicUpdatesChannelId,
        int maxVideoChannelUsers,
        int nsfwLevel,
        List<Object> stickers,
        boolean premiumProgressBarEnabled,
        Long safetyAlertsChannelId) {

    public static GuildView of(Guild g, List<RoleView> roles) {
        return new GuildView(g.id(), g.name(), g.icon(), g.icon(), null, null, g.description(), g.ownerId(),
                "deprecated", g.afkChannelId(), g.afkTimeout(), false, null, g.verificationLevel(),
                g.defaultMessageNotifications(), g.explicitContentFilter(), roles, List.of(), List.of(), 0, null,
                g.systemChannelId(), 0, null, null, 500_000, null, null, 0, 0, "en-US", null, 25, 0, List.of(),
                false, null);
    }
}
