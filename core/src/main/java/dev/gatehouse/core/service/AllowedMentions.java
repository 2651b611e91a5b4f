package dev.gatehouse.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.form.Form;
import java.util.Set;

/**
 * A message's {@code allowed_mentions}: which of the mentions written in its content really
 * mention. Without the object every mention counts (and a reply mentions the replied-to author);
 * with it, a type counts only when listed in {@code parse} or its id is listed in {@code users} /
 * {@code roles}, and the replied-to author only with {@code replied_user: true}.
 */
public record AllowedMentions(
        boolean given,
        boolean parseUsers,
        boolean parseRoles,
        boolean parseEveryone,
        Set<Long> users,
        Set<Long> roles,
        Boolean repliedUser) {

    public static final int MAX_IDS = 100;

    /** No allowed_mentions in the body. */
    public static final AllowedMentions DEFAULT = new AllowedMentions(false, true, true, true, Set.of(), Set.of(), null);

    /** Reads {@code allowed_mentions} of the body; null when absent or JSON null. Errors go to the form. */
    public static AllowedMentions read(Form body) {
        Form f = body.optObject("allowed_mentions");
        if (f == null) {
            return null;
        }
        boolean users = false;
        boolean roles = false;
        boolean everyone = false;
        JsonNode parse = f.raw("parse");
        if (parse != null) {
            if (!parse.isArray()) {
                f.error("parse", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
            } else {
                for (JsonNode type : parse) {
                    switch (type.isTextual() ? type.textValue() : "") {
                        case "users" -> users = true;
                        case "roles" -> roles = true;
                        case "everyone" -> everyone = true;
                        default -> f.error("parse", "BASE_TYPE_CHOICES", "Value must be one of {'users', 'roles', 'everyone'}.");
                    }
                }
            }
        }
        Set<Long> userIds = f.optSnowflakes("users", MAX_IDS);
        Set<Long> roleIds = f.optSnowflakes("roles", MAX_IDS);
        Boolean repliedUser = f.optBool("replied_user");
        if (users && userIds != null && !userIds.isEmpty()) {
            body.error("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    "parse:[\"users\"] and users: [ids...] are mutually exclusive.");
        }
        if (roles && roleIds != null && !roleIds.isEmpty()) {
            body.error("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    "parse:[\"roles\"] and roles: [ids...] are mutually exclusive.");
        }
        return new AllowedMentions(true, users, roles, everyone,
                userIds == null ? Set.of() : userIds, roleIds == null ? Set.of() : roleIds, repliedUser);
    }

    public boolean allowsUser(long id) {
        return parseUsers || users.contains(id);
    }

    public boolean allowsRole(long id) {
        return parseRoles || roles.contains(id);
    }

    public boolean allowsEveryone() {
        return parseEveryone;
    }

    /** Whether a reply mentions the author of the message it answers. */
    public boolean mentionsRepliedUser() {
        return repliedUser != null ? repliedUser : !given;
    }
}
