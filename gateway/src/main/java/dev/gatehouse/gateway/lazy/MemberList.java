package dev.gatehouse.gateway.lazy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A channel's member list as the client draws it: groups (hoisted roles by position, then
 * "online", then "offline"), each a header row followed by its members sorted by display name.
 * Pure: built from plain entries, compared with {@link #diff}.
 */
public final class MemberList {

    /** One member as the list needs it. {@code hoistedRole} is null when no hoisted role applies. */
    public record Entry(long userId, String displayName, boolean online, HoistedRole hoistedRole, Object payload) {}

    public record HoistedRole(long id, int position) {}

    /** One row: a group header or a member, identified by {@code key}. */
    public record Row(String key, Object payload) {}

    private final List<Row> rows;
    private final List<Map<String, Object>> groups;
    private final int memberCount;
    private final int onlineCount;

    private MemberList(List<Row> rows, List<Map<String, Object>> groups, int memberCount, int onlineCount) {
        this.rows = rows;
        this.groups = groups;
        this.memberCount = memberCount;
        this.onlineCount = onlineCount;
    }

    public static MemberList of(List<Entry> entries) {
        Map<String, List<Entry>> byGroup = new LinkedHashMap<>();
        List<HoistedRole> roles = new ArrayList<>();
        int online = 0;
        for (Entry e : entries) {
            String group;
            if (!e.online()) {
                group = "offline";
            } else {
                online++;
                group = e.hoistedRole() == null ? "online" : Long.toString(e.hoistedRole().id());
                if (e.hoistedRole() != null && !roles.contains(e.hoistedRole())) {
                    roles.add(e.hoistedRole());
                }
            }
            byGroup.computeIfAbsent(group, k -> new ArrayList<>()).add(e);
        }
        roles.sort(Comparator.comparingInt(HoistedRole::position).reversed().thenComparingLong(HoistedRole::id));
        List<String> order = new ArrayList<>();
        roles.forEach(r -> order.add(Long.toString(r.id())));
        order.add("online");
        order.add("offline");
        Comparator<Entry> byName = Comparator.comparing((Entry e) -> e.displayName().toLowerCase(Locale.ROOT))
                .thenComparingLong(Entry::userId);
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String group : order) {
            List<Entry> members = byGroup.get(group);
            if (members == null) {
                continue;
            }
            members.sort(byName);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("id", group);
            header.put("count", members.size());
            groups.add(header);
            rows.add(new Row("group:" + group, Map.of("group", header)));
            for (Entry m : members) {
                rows.add(new Row("member:" + m.userId(), Map.of("member", m.payload())));
            }
        }
        return new MemberList(List.copyOf(rows), List.copyOf(groups), entries.size(), online);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Map<String, Object>> groups() {
        return groups;
    }

    public int memberCount() {
        return memberCount;
    }

    public int onlineCount() {
        return onlineCount;
    }

    /** The SYNC op of a range: the rows it covers (fewer at the end of the list). */
    public Map<String, Object> sync(LazyRequest.Range range) {
        List<Object> items = new ArrayList<>();
        for (int i = range.from(); i <= range.to() && i < rows.size(); i++) {
            items.add(rows.get(i).payload());
        }
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "SYNC");
        op.put("range", List.of(range.from(), range.to()));
        op.put("items", items);
        return op;
    }

    /**
     * The ops that turn {@code before} into this list when applied in order: DELETE {index},
     * INSERT {index, item}, UPDATE {index, item}. Rows keep their identity by key, so a member who
     * moves group is a DELETE and an INSERT, and a header whose count changed an UPDATE.
     */
    public List<Map<String, Object>> diff(MemberList before) {
        List<Row> current = new ArrayList<>(before.rows);
        List<Map<String, Object>> ops = new ArrayList<>();
        java.util.Set<String> wanted = new java.util.HashSet<>();
        rows.forEach(r -> wanted.add(r.key()));
        for (int i = current.size() - 1; i >= 0; i--) {
            if (!wanted.contains(current.get(i).key())) {
                current.remove(i);
                ops.add(op("DELETE", i, null));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            Row target = rows.get(i);
            if (i < current.size() && current.get(i).key().equals(target.key())) {
                if (!current.get(i).payload().equals(target.payload())) {
                    current.set(i, target);
                    ops.add(op("UPDATE", i, target.payload()));
                }
                continue;
            }
            int at = indexOf(current, target.key(), i + 1);
            if (at >= 0) {
                current.remove(at);
                ops.add(op("DELETE", at, null));
            }
            current.add(i, target);
            ops.add(op("INSERT", i, target.payload()));
        }
        return ops;
    }

    private static int indexOf(List<Row> rows, String key, int from) {
        for (int i = from; i < rows.size(); i++) {
            if (rows.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> op(String name, int index, Object item) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", name);
        op.put("index", index);
        if (item != null) {
            op.put("item", item);
        }
        return op;
    }
}
