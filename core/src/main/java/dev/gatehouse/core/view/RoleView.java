package dev.gatehouse.core.view;

import dev.gatehouse.core.model.Role;

/** Discord's role object; {@code permissions} is a string (a long, by {@code Json}'s convention). */
public record RoleView(
        long id,
        String name,
        int color,
        boolean hoist,
        String icon,
        String unicodeEmoji,
        int position,
        long permissions,
        boolean managed,
        boolean mentionable,
        int flags) {

    public static RoleView of(Role r) {
        return new RoleView(r.id(), r.name(), r.color(), r.hoist(), null, null, r.position(), r.permissions(),
                r.managed(), r.mentionable(), 0);
    }
}
