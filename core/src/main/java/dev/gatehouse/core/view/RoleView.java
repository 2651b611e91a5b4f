package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Role;

/** Discord's role object; {@code permissions} is a string (a long, by {@code Json}'s convention). */
public record RoleView(
        long id,
        String name,
        int color,
        Colors colors,
        boolean hoist,
        String icon,
        String unicodeEmoji,
        int position,
        long permissions,
        boolean managed,
        boolean mentionable,
        int flags) {

    /** The role's colours (Discord's gradient roles); {@code color} repeats the primary one. */
    public record Colors(int primaryColor, Integer secondaryColor, Integer tertiaryColor) {}

    public static RoleView of(Role r) {
        return new RoleView(r.id(), r.name(), r.color(), new Colors(r.color(), null, null), r.hoist(), null, null, r.position(), r.permissions(),
                r.managed(), r.mentionable(), 0);
    }
}
