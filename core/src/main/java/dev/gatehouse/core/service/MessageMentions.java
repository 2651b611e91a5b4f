package dev.gatehouse.core.service;

import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who a message really mentions: the mentions written in its content that {@code allowed_mentions}
 * lets through, narrowed to users that exist (members of the guild, for a guild channel), roles of
 * the guild that may be mentioned, and {@code @everyone}/{@code @here} only with MENTION_EVERYONE.
 */
final class MessageMentions {

    record Resolved(List<Long> users, List<Long> roles, boolean everyone) {}

    private MessageMentions() {}

    /**
     * @param repliedAuthor author of the message a reply answers, or null
     * @param mentionReplied whether that author is mentioned (allowed_mentions.replied_user)
     */
    static Resolved resolve(Tx tx, ChannelContext cc, String content, AllowedMentions allowed, Long repliedAuthor,
            boolean mentionReplied) {
        MentionParser.Parsed parsed = MentionParser.parse(content);
        Set<Long> candidates = new LinkedHashSet<>();
        for (long id : parsed.users()) {
            if (allowed.allowsUser(id)) {
                candidates.add(id);
            }
        }
        if (repliedAuthor != null && mentionReplied) {
            candidates.add(repliedAuthor);
        }
        Set<Long> present = new HashSet<>();
        if (!candidates.isEmpty()) {
            if (cc.isDm()) {
                tx.users().findAll(candidates).stream().map(User::id).forEach(present::add);
            } else {
                tx.members().findAll(cc.guildId(), candidates).stream().map(Member::userId).forEach(present::add);
            }
        }
        List<Long> users = candidates.stream().filter(present::contains).toList();

        List<Long> roles = List.of();
        if (!cc.isDm()) {
            boolean mayMentionAny = cc.has(Permission.MENTION_EVERYONE);
            roles = parsed.roles().stream().filter(id -> {
                Role role = cc.guild().roles().get(id);
                // a role that is not mentionable only pings when the author may mention everyone
                return role != null && !role.isEveryone() && allowed.allowsRole(id) && (role.mentionable() || mayMentionAny);
            }).toList();
        }
        boolean everyone = parsed.everyone() && allowed.allowsEveryone() && cc.has(Permission.MENTION_EVERYONE);
        return new Resolved(users, roles, everyone);
    }
}
