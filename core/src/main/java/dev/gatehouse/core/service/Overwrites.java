package dev.gatehouse.core.service;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.store.Tx;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Permission overwrites as request bodies carry them, and the two rules every change to them obeys:
 * the target is a role or a member of the channel's guild, and a caller changes only bits it has
 * itself (owner and ADMINISTRATOR have every bit, so the rule never stops them). Without the second
 * rule a member with MANAGE_ROLES could grant themselves, through an overwrite, what no role gives.
 * "Has" follows Discord: in the guild, or in the parent category when there is one; bits the
 * caller has in the channel itself count too.
 */
final class Overwrites {

    /** Discord keeps at most this many overwrites in one channel body. */
    static final int MAX_PER_CHANNEL = 100;

    private Overwrites() {}

    /** An overwrite read from a body, with the form it came from (for errors found later). */
    record Read(Overwrite overwrite, Form form) {}

    /** {@code permission_overwrites} of a channel body; null when absent. Duplicate targets are an error. */
    static List<Read> readList(Form form, String field) {
        List<Form> items = form.optObjects(field, MAX_PER_CHANNEL);
        if (items == null) {
            return null;
        }
        Map<Long, Read> byTarget = new LinkedHashMap<>();
        for (Form item : items) {
            Long id = item.snowflake("id");
            Overwrite o = readBits(item, id == null ? 0 : id);
            if (id != null && o != null && byTarget.putIfAbsent(id, new Read(o, item)) != null) {
                item.error("id", "CHANNEL_OVERWRITE_DUPLICATE", "Each role or member may have only one overwrite.");
            }
        }
        return List.copyOf(byTarget.values());
    }

    static List<Overwrite> overwrites(List<Read> read) {
        return read.stream().map(Read::overwrite).toList();
    }

    /** {@code {type, allow, deny}} for the target {@code id}; null when the type is missing or bad. */
    static Overwrite readBits(Form form, long id) {
        Integer type = form.optInt("type", 0, 1);
        if (type == null && (!form.has("type") || form.isNull("type"))) {
            form.error("type", "BASE_TYPE_REQUIRED", "This field is required");
        }
        Long allow = form.optPermissions("allow");
        Long deny = form.optPermissions("deny");
        if (type == null) {
            return null;
        }
        return new Overwrite(id, type, (allow == null ? 0 : allow) & Permission.ALL, (deny == null ? 0 : deny) & Permission.ALL);
    }

    /** Records a field error on every overwrite whose target is not a role or member of the guild. */
    static void checkTargets(Tx tx, long guildId, List<Read> overwrites) {
        for (Read r : overwrites) {
            Overwrite o = r.overwrite();
            if (!targetExists(tx, guildId, o)) {
                r.form().error("id", o.type() == Overwrite.ROLE ? "UNKNOWN_ROLE" : "UNKNOWN_MEMBER",
                        o.type() == Overwrite.ROLE ? "Unknown role." : "Unknown member.");
            }
        }
    }

    /** 10011 Unknown Role or 10007 Unknown Member when the overwrite's target is not in the guild. */
    static void requireTarget(Tx tx, long guildId, Overwrite o) {
        if (!targetExists(tx, guildId, o)) {
            throw new ApiException(o.type() == Overwrite.ROLE ? ErrorCode.UNKNOWN_ROLE : ErrorCode.UNKNOWN_MEMBER);
        }
    }

    private static boolean targetExists(Tx tx, long guildId, Overwrite o) {
        return o.type() == Overwrite.ROLE
                ? tx.roles().find(guildId, o.id()).isPresent()
                : tx.members().find(guildId, o.id()).isPresent();
    }

    /** The bits that differ between two overwrite sets, target by target. */
    static long changedBits(List<Overwrite> before, List<Overwrite> after) {
        Map<Long, Overwrite> old = new LinkedHashMap<>();
        before.forEach(o -> old.put(o.id(), o));
        Map<Long, Overwrite> now = new LinkedHashMap<>();
        after.forEach(o -> now.put(o.id(), o));
        Set<Long> targets = new HashSet<>(old.keySet());
        targets.addAll(now.keySet());
        long changed = 0;
        for (long id : targets) {
            Overwrite a = old.get(id);
            Overwrite b = now.get(id);
            long allowA = a == null ? 0 : a.allow();
            long denyA = a == null ? 0 : a.deny();
            long allowB = b == null ? 0 : b.allow();
            long denyB = b == null ? 0 : b.deny();
            changed |= (allowA ^ allowB) | (denyA ^ denyB);
        }
        return changed;
    }

    /**
     * 50013 unless the caller may make this change: MANAGE_ROLES in {@code manage} (the caller's
     * permissions in the channel) and every touched bit in {@code grantable}. A change that
     * touches nothing (the same set sent back) needs neither.
     */
    static void requireMayChange(long manage, long grantable, List<Overwrite> before, List<Overwrite> after) {
        if (same(before, after)) {
            return;
        }
        if (!Permission.MANAGE_ROLES.in(manage) || (changedBits(before, after) & ~grantable) != 0) {
            throw new ApiException(ErrorCode.MISSING_PERMISSIONS);
        }
    }

    /** True when both sets have the same targets with the same bits. */
    static boolean same(List<Overwrite> a, List<Overwrite> b) {
        return changedBits(a, b) == 0
                && a.stream().map(Overwrite::id).collect(Collectors.toSet()).equals(b.stream().map(Overwrite::id).collect(Collectors.toSet()));
    }

    /** Makes the stored overwrites of {@code channel} exactly {@code wanted}. */
    static void replace(Tx tx, Channel channel, List<Overwrite> wanted) {
        Set<Long> keep = new HashSet<>();
        for (Overwrite o : wanted) {
            keep.add(o.id());
            tx.channels().putOverwrite(channel.id(), o);
        }
        for (Overwrite o : channel.overwrites()) {
            if (!keep.contains(o.id())) {
                tx.channels().deleteOverwrite(channel.id(), o.id());
            }
        }
    }
}
