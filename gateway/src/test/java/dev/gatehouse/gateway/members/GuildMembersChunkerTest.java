package dev.gatehouse.gateway.members;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.Snowflakes;
import dev.gatehouse.core.auth.PasswordHasher;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.User;
import dev.gatehouse.gateway.presence.PresenceRegistry;
import dev.gatehouse.protocol.gateway.PresenceUpdate;
import dev.gatehouse.protocol.gateway.RequestGuildMembers;
import dev.gatehouse.store.DatabaseConfig;
import dev.gatehouse.store.JdbcStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GUILD_MEMBERS_CHUNK payloads from a real store: chunk boundaries, queries, ids, presences. */
class GuildMembersChunkerTest {

    JdbcStore store;
    Platform platform;
    PresenceRegistry presences = new PresenceRegistry();
    GuildMembersChunker chunker;
    Snowflakes ids;
    long guildId;
    List<Long> users = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = JdbcStore.open(DatabaseConfig.inMemory("chunks-" + UUID.randomUUID()));
        Clock clock = Clock.systemUTC();
        ids = new Snowflakes(clock, 2, 2);
        platform = new Platform(new Platform.Context(store, new LocalEventBus(store), clock, ids, new PasswordHasher(), PlatformLimits.defaults()));
        chunker = new GuildMembersChunker(store, presences);
        long owner = addUser("owner");
        guildId = platform.guilds().create(owner, "Big").id();
        users.add(owner);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** Users straight into the store: the services would hash a password for each. */
    private long addUser(String name) {
        long id = ids.next();
        store.write(tx -> tx.users().insert(new User(id, name, null, null, null, false, 0, 0), "x"));
        return id;
    }

    private void addMembers(int n, String prefix) {
        store.write(tx -> {
            for (int i = 0; i < n; i++) {
                long id = ids.next();
                tx.users().insert(new User(id, prefix + i, null, null, null, false, 0, 0), "x");
                tx.members().insert(new Member(guildId, id, null, 0, Set.of()));
                users.add(id);
            }
            return null;
        });
    }

    private List<Map<String, Object>> answer(RequestGuildMembers request, boolean presences) {
        List<Map<String, Object>> chunks = new ArrayList<>();
        chunker.answer(request, presences, () -> true, chunks::add);
        return chunks;
    }

    private static RequestGuildMembers everyone(long guildId) {
        return new RequestGuildMembers(guildId, "", 0, List.of(), false, "n");
    }

    @Test
    void everyoneComesInChunksOfAThousand() {
        addMembers(2499, "m"); // and the owner: 2,500
        int total = users.size();
        assertThat(total).isEqualTo(2500);
        List<Map<String, Object>> chunks = answer(everyone(guildId), false);
        assertThat(chunks).hasSize(3);
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            Map<String, Object> chunk = chunks.get(i);
            assertThat(chunk.get("chunk_index")).isEqualTo(i);
            assertThat(chunk.get("chunk_count")).isEqualTo(3);
            assertThat(chunk.get("nonce")).isEqualTo("n");
            List<?> members = (List<?>) chunk.get("members");
            assertThat(members.size()).isLessThanOrEqualTo(GuildMembersChunker.CHUNK_SIZE);
            seen.addAll(members);
        }
        assertThat(seen).hasSize(2500);
    }

    @Test
    void exactlyAThousandIsOneChunkAndOneMoreIsTwo() {
        addMembers(999, "a");
        assertThat(answer(everyone(guildId), false)).hasSize(1);
        addMembers(1, "b");
        assertThat(answer(everyone(guildId), false)).hasSize(2);
    }

    @Test
    void anEmptyAnswerIsStillOneChunk() {
        List<Map<String, Object>> chunks = answer(new RequestGuildMembers(guildId, "zzz", 10, List.of(), false, null), false);
        assertThat(chunks).hasSize(1);
        assertThat((List<?>) chunks.get(0).get("members")).isEmpty();
        assertThat(chunks.get(0)).doesNotContainKey("nonce");
    }

    @Test
    void queriesArePrefixesAndLimited() {
        addMembers(30, "Alpha");
        addMembers(5, "beta");
        assertThat((List<?>) answer(new RequestGuildMembers(guildId, "alp", 10, List.of(), false, null), false).get(0).get("members"))
                .hasSize(10);
        assertThat((List<?>) answer(new RequestGuildMembers(guildId, "BETA", 0, List.of(), false, null), false).get(0).get("members"))
                .hasSize(5);
    }

    @Test
    void userIdsReportWhoIsNotAMember() {
        addMembers(3, "c");
        long stranger = addUser("stranger");
        Map<String, Object> chunk = answer(new RequestGuildMembers(guildId, null, 0, List.of(users.get(1), stranger), false, null), false).get(0);
        assertThat((List<?>) chunk.get("members")).hasSize(1);
        assertThat(chunk.get("not_found")).isEqualTo(List.of(stranger));
    }

    @Test
    void presencesOfOnlineMembersWhenAsked() {
        addMembers(3, "p");
        presences.sessionStarted(users.get(1), "s", PresenceUpdate.ONLINE, "web");
        Map<String, Object> chunk = answer(everyone(guildId), true).get(0);
        assertThat((List<?>) chunk.get("presences")).hasSize(1);
        assertThat(answer(everyone(guildId), false).get(0)).doesNotContainKey("presences");
    }
}
