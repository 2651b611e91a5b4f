package dev.gatehouse.gateway.lazy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Member-list grouping, sorting, SYNC ranges and the ops that turn one list into the next. */
class MemberListTest {

    static final MemberList.HoistedRole ADMINS = new MemberList.HoistedRole(100, 5);
    static final MemberList.HoistedRole MODS = new MemberList.HoistedRole(200, 3);

    static MemberList.Entry entry(long id, String name, boolean online, MemberList.HoistedRole role) {
        return new MemberList.Entry(id, name, online, role, Map.of("id", id, "online", online));
    }

    static List<String> keys(MemberList list) {
        return list.rows().stream().map(MemberList.Row::key).toList();
    }

    @Test
    void onlineMembersGroupByTheirHighestHoistedRoleThenOnlineThenOffline() {
        MemberList list = MemberList.of(List.of(
                entry(1, "zed", true, null), entry(2, "Amy", true, MODS), entry(3, "bob", true, ADMINS),
                entry(4, "cat", false, ADMINS), entry(5, "al", true, null), entry(6, "Dan", false, null)));
        assertThat(keys(list)).containsExactly("group:100", "member:3", "group:200", "member:2",
                "group:online", "member:5", "member:1", "group:offline", "member:4", "member:6");
        assertThat(list.groups()).extracting(g -> g.get("id") + "=" + g.get("count"))
                .containsExactly("100=1", "200=1", "online=2", "offline=2");
        assertThat(list.memberCount()).isEqualTo(6);
        assertThat(list.onlineCount()).isEqualTo(4);
    }

    @Test
    void syncCoversTheRangeAndStopsAtTheEnd() {
        MemberList list = MemberList.of(List.of(entry(1, "a", true, null), entry(2, "b", false, null)));
        Map<String, Object> sync = list.sync(new LazyRequest.Range(0, 99));
        assertThat(sync.get("op")).isEqualTo("SYNC");
        assertThat(sync.get("range")).isEqualTo(List.of(0, 99));
        assertThat((List<?>) sync.get("items")).hasSize(4);
        assertThat((List<?>) list.sync(new LazyRequest.Range(100, 199)).get("items")).isEmpty();
    }

    @Test
    void comingOnlineIsADeleteAnInsertAndHeaderUpdates() {
        MemberList before = MemberList.of(List.of(entry(1, "a", true, null), entry(2, "b", false, null), entry(3, "c", false, null)));
        MemberList after = MemberList.of(List.of(entry(1, "a", true, null), entry(2, "b", true, null), entry(3, "c", false, null)));
        List<Map<String, Object>> ops = after.diff(before);
        assertThat(ops).extracting(o -> o.get("op") + "@" + o.get("index"))
                .containsExactly("UPDATE@0", "DELETE@3", "INSERT@2", "UPDATE@3");
        assertThat(apply(before, ops)).isEqualTo(after.rows().stream().map(MemberList.Row::payload).toList());
    }

    @Test
    void identicalListsNeedNoOps() {
        MemberList a = MemberList.of(List.of(entry(1, "a", true, null), entry(2, "b", false, null)));
        MemberList b = MemberList.of(List.of(entry(2, "b", false, null), entry(1, "a", true, null)));
        assertThat(b.diff(a)).isEmpty();
    }

    /** Whatever changed, applying the ops in order to the old rows gives the new rows. */
    @Test
    void randomChangesAlwaysApplyCleanly() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            MemberList before = MemberList.of(randomEntries(random));
            MemberList after = MemberList.of(randomEntries(random));
            assertThat(apply(before, after.diff(before)))
                    .isEqualTo(after.rows().stream().map(MemberList.Row::payload).toList());
        }
    }

    private static List<MemberList.Entry> randomEntries(Random random) {
        List<MemberList.Entry> out = new ArrayList<>();
        for (long id = 1; id <= 12; id++) {
            if (random.nextInt(4) > 0) {
                MemberList.HoistedRole role = switch (random.nextInt(3)) {
                    case 0 -> ADMINS;
                    case 1 -> MODS;
                    default -> null;
                };
                out.add(entry(id, "n" + random.nextInt(5), random.nextBoolean(), role));
            }
        }
        return out;
    }

    private static List<Object> apply(MemberList before, List<Map<String, Object>> ops) {
        List<Object> rows = new ArrayList<>(before.rows().stream().map(MemberList.Row::payload).toList());
        for (Map<String, Object> op : ops) {
            int index = (Integer) op.get("index");
            switch ((String) op.get("op")) {
                case "DELETE" -> rows.remove(index);
                case "INSERT" -> rows.add(index, op.get("item"));
                case "UPDATE" -> rows.set(index, op.get("item"));
                default -> throw new AssertionError(op);
            }
        }
        return rows;
    }
}
