package dev.gatehouse.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import dev.gatehouse.core.perm.Permission;
import dev.gatehouse.core.perm.PermissionCalculator;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.GatewayTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Exactly once, in order, under any interleaving: several threads post messages, change
 * overwrites, role permissions and role grants, create and delete channels, kick members, make
 * them leave and join again, while every member's session takes abrupt drops and resumes. The
 * oracle then replays the committed history (the bus's events of the guild, in their order) on a
 * model of the guild, decides for each session which of those events it must have received, and
 * compares that with what the session's sockets delivered: the same events, in the same order,
 * each once.
 *
 * <p>Runs for {@code gatehouse.oracle.seconds} (4 by default, what CI runs); run it long with
 * {@code ./mvnw -pl server verify -Dtest=FanoutOracleTest -Dgatehouse.oracle.seconds=300
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FanoutOracleTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final long INTENTS = GatewayWorld.ALL_UNPRIVILEGED | GatewayWorld.GUILD_MEMBERS | GatewayWorld.MESSAGE_CONTENT;
    static final long VIEW = Permission.VIEW_CHANNEL.bit;
    static final Set<String> TRACKED = Set.of("MESSAGE_CREATE", "MESSAGE_DELETE", "CHANNEL_CREATE", "CHANNEL_UPDATE",
            "CHANNEL_DELETE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE", "GUILD_MEMBER_ADD",
            "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "GUILD_CREATE", "GUILD_DELETE");

    /** The content of the last message: every session stops recording when it arrives. */
    static final String MARKER = "oracle: the end";

    /** One dispatch as both sides name it: its type and the id of what it is about. */
    record Seen(String type, String key) {}

    @Test
    void everySessionReceivesExactlyWhatTheCommittedHistoryAllowsItInOrder() throws Exception {
        long seconds = Long.getLong("gatehouse.oracle.seconds", 4);
        try (GatewayWorld world = GatewayWorld.start()) {
            ApiClient api = world.api;
            long guild = world.guildId;
            List<Account> members = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                members.add(world.member("oracle"));
            }
            List<Long> roles = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                roles.add(api.post("/guilds/" + guild + "/roles", world.owner.token(), Map.of("name", "r" + i)).json()
                        .get("id").asLong());
            }
            List<Long> channels = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                channels.add(api.post("/guilds/" + guild + "/channels", world.owner.token(), Map.of("name", "c" + i)).json()
                        .get("id").asLong());
            }
            String invite = api.post("/channels/" + world.channelId + "/invites", world.owner.token(), Map.of("max_uses", 0))
                    .json().get("code").asText();

            List<Account> everyone = new ArrayList<>(members);
            everyone.add(world.owner);
            Model model = Model.snapshot(api, world.owner, guild);
            List<Driver> drivers = new ArrayList<>();
            for (Account a : everyone) {
                drivers.add(new Driver(world, a, guild));
            }
            world.server.events().clear();
            AtomicBoolean running = new AtomicBoolean(true);
            drivers.forEach(Driver::start);

            Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                long seed = 1000L * w + System.nanoTime() % 1000;
                writers.add(Thread.ofPlatform().name("oracle-writer-" + w).start(() -> {
                    Random random = new Random(seed);
                    while (running.get()) {
                        String op = randomChange(random, api, world.owner, guild, members, roles, channels, invite);
                        attempts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
                    }
                }));
            }
            Thread.sleep(seconds * 1000);
            running.set(false);
            for (Thread t : writers) {
                t.join();
            }
            // settle: everyone a member again, then a fresh channel all can see, and a marker in it
            for (Account m : members) {
                api.post("/invites/" + invite, m.token(), null);
            }
            long markerChannel = api.post("/guilds/" + guild + "/channels", world.owner.token(), Map.of("name", "end"))
                    .json().get("id").asLong();
            for (Driver d : drivers) {
                d.finishing = true;
            }
            world.post(world.owner, markerChannel, MARKER);
            for (Driver d : drivers) {
                d.join(60_000);
                assertThat(d.isAlive()).as("%s's session got the marker within a minute", d.account.username()).isFalse();
            }

            List<GatewayEvent> history = world.server.events().all().stream()
                    .filter(e -> Long.valueOf(guild).equals(e.aboutGuild())).toList();
            Map<Long, List<Seen>> expected = model.replay(history, everyone.stream().map(Account::id).toList());
            dumpOnMismatch(history, expected, drivers);
            int compared = 0;
            for (Driver d : drivers) {
                assertThat(d.failure).as("session of %s", d.account.username()).isNull();
                List<Seen> want = expected.get(d.account.id());
                assertThat(d.seen).as("what %s's session received (drops %s, %s changes attempted)", d.account.username(),
                        d.resumes, attempts).containsExactlyElementsOf(want);
                compared += want.size();
            }
            assertThat(compared).as("the run did something").isGreaterThan(drivers.size());
            System.out.printf("oracle: %d events in the guild's history, %d deliveries checked, changes tried %s, resumes %s%n",
                    history.size(), compared, attempts, drivers.stream().mapToInt(d -> d.resumes).sum());
        }
    }

    /** Writes the history and every session's log to target/ when some session differs, for reading the failure. */
    static void dumpOnMismatch(List<GatewayEvent> history, Map<Long, List<Seen>> expected, List<Driver> drivers) throws Exception {
        boolean differs = drivers.stream().anyMatch(d -> !d.seen.equals(expected.get(d.account.id())));
        if (!differs) {
            return;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (GatewayEvent e : history) {
            JsonNode d = Json.mapper().valueToTree(e.data());
            out.append(i++).append(' ').append(e.type()).append(' ').append(TRACKED.contains(e.type().name()) ? keyOf(e.type().name(), d) : "")
                    .append(" channel=").append(e.channelId()).append(" users=").append(e.userIds()).append('\n');
        }
        for (Driver d : drivers) {
            out.append("== ").append(d.account.username()).append(' ').append(d.account.id()).append('\n');
            d.log.forEach(l -> out.append(l).append('\n'));
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "fanout-oracle-failure.txt"), out);
    }

    /** One random change through the API; failures (403 after a permission change, 404 after a delete) are fine. */
    static String randomChange(Random random, ApiClient api, Account owner, long guild, List<Account> members, List<Long> roles,
            List<Long> channels, String invite) {
        Account m = members.get(random.nextInt(members.size()));
        long role = roles.get(random.nextInt(roles.size()));
        long channel = channels.isEmpty() ? 0 : channels.get(random.nextInt(channels.size()));
        int pick = random.nextInt(100);
        if (pick < 35) {
            api.post("/channels/" + channel + "/messages", owner.token(), Map.of("content", "m" + random.nextInt()));
            return "message";
        } else if (pick < 45) {
            api.post("/channels/" + channel + "/messages", m.token(), Map.of("content", "by member"));
            return "member message";
        } else if (pick < 55) {
            boolean roleTarget = random.nextBoolean();
            long target = roleTarget ? role : m.id();
            boolean deny = random.nextBoolean();
            api.put("/channels/" + channel + "/permissions/" + target, owner.token(), Map.of("type", roleTarget ? 0 : 1,
                    "allow", deny ? "0" : Long.toString(VIEW), "deny", deny ? Long.toString(VIEW) : "0"));
            return "overwrite";
        } else if (pick < 60) {
            api.delete("/channels/" + channel + "/permissions/" + (random.nextBoolean() ? role : m.id()), owner.token());
            return "overwrite removed";
        } else if (pick < 68) {
            String path = "/guilds/" + guild + "/members/" + m.id() + "/roles/" + role;
            if (random.nextBoolean()) {
                api.put(path, owner.token(), null);
            } else {
                api.delete(path, owner.token());
            }
            return "role grant";
        } else if (pick < 73) {
            api.patch("/guilds/" + guild + "/roles/" + role, owner.token(),
                    Map.of("permissions", random.nextBoolean() ? "0" : Long.toString(VIEW)));
            return "role permissions";
        } else if (pick < 78) {
            api.delete("/guilds/" + guild + "/members/" + m.id(), owner.token());
            return "kick";
        } else if (pick < 82) {
            api.delete("/users/@me/guilds/" + guild, m.token());
            return "leave";
        } else if (pick < 92) {
            api.post("/invites/" + invite, m.token(), null);
            return "join";
        } else if (pick < 96) {
            var created = api.post("/guilds/" + guild + "/channels", owner.token(), Map.of("name", "n" + random.nextInt(1000)));
            if (created.status() == 201 || created.status() == 200) {
                channels.add(created.json().get("id").asLong());
            }
            return "channel created";
        } else {
            if (channels.size() > 2 && channels.remove(Long.valueOf(channel))) {
                api.delete("/channels/" + channel, owner.token());
            }
            return "channel deleted";
        }
    }

    /**
     * Drives one session on its own thread: records every dispatch of the guild, heartbeats, and
     * now and then drops the socket without a close frame and resumes on a new one.
     */
    static final class Driver extends Thread {
        final GatewayWorld world;
        final Account account;
        final long guild;
        final List<Seen> seen = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        int resumes;
        volatile boolean finishing;
        volatile Throwable failure;
        private GatewayTestClient client;
        private String sessionId;
        private long seq;

        Driver(GatewayWorld world, Account account, long guild) {
            super("oracle-" + account.username());
            this.world = world;
            this.account = account;
            this.guild = guild;
            client = world.connect("v=10");
            client.next(WAIT);
            client.identify(account.token(), INTENTS);
            while (true) {
                JsonNode p = client.next(WAIT);
                record(p, false);
                if ("GUILD_CREATE".equals(p.path("t").asText()) && p.at("/d/id").asLong() == guild) {
                    break;
                }
            }
        }

        @Override
        public void run() {
            Random random = new Random(account.id());
            long nextBeat = System.currentTimeMillis() + 5_000;
            long nextDrop = System.currentTimeMillis() + 300 + random.nextInt(700);
            try {
                while (true) {
                    JsonNode p = client.poll(Duration.ofMillis(20));
                    if (p != null && record(p, true)) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    if (now >= nextBeat) {
                        client.heartbeat(seq);
                        nextBeat = now + 5_000;
                    }
                    if (!finishing && now >= nextDrop) {
                        dropAndResume();
                        nextDrop = now + 300 + random.nextInt(1200);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                client.close();
            }
        }

        private void dropAndResume() {
            // take what is already here first: the resume replays from the last seq we hold
            JsonNode p;
            while ((p = client.poll(Duration.ZERO)) != null) {
                record(p, true);
            }
            client.abort();
            client = world.connect("v=10");
            client.next(WAIT);
            client.resume(account.token(), sessionId, seq);
            log.add("resume from " + seq);
            resumes++;
        }

        /** Records a payload; true when it was the marker. */
        private boolean record(JsonNode p, boolean live) {
            if (p.path("op").asInt() == 9) {
                throw new AssertionError(account.username() + ": op 9 invalid session; resumes must succeed");
            }
            if (p.path("op").asInt() != 0) {
                return false;
            }
            long s = p.get("s").asLong();
            log.add(s + " " + p.get("t").asText() + " " + (p.get("d").has("id") ? p.get("d").get("id").asText() : "")
                    + (p.get("d").has("user") ? " user=" + p.at("/d/user/id").asText() : ""));
            assertThat(s).as("%s: seq after %s", account.username(), seq).isEqualTo(seq + 1);
            seq = s;
            String type = p.get("t").asText();
            if (type.equals("READY")) {
                sessionId = p.at("/d/session_id").asText();
                return false;
            }
            if (!live || !TRACKED.contains(type)) {
                return false;
            }
            JsonNode d = p.get("d");
            long about = d.has("guild_id") ? d.get("guild_id").asLong() : d.path("id").asLong();
            if (about != guild) {
                return false;
            }
            if (type.equals("MESSAGE_CREATE") && d.path("content").asText().equals(MARKER)) {
                return true;
            }
            seen.add(new Seen(type, keyOf(type, d)));
            return false;
        }
    }

    static String keyOf(String type, JsonNode d) {
        return switch (type) {
            case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE" -> d.at("/role/id").asText();
            case "GUILD_ROLE_DELETE" -> d.get("role_id").asText();
            case "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE" -> d.at("/user/id").asText();
            default -> d.get("id").asText();
        };
    }

    /**
     * The guild as the events say it is: owner, roles, channels with overwrites, members with
     * their roles, and which users' sessions follow it (from their GUILD_CREATE to their
     * GUILD_DELETE). Built from the API before the run, then only from the history.
     */
    static final class Model {
        final long guildId;
        final long ownerId;
        final Map<Long, Role> roles = new HashMap<>();
        final Map<Long, Channel> channels = new HashMap<>();
        final Map<Long, Member> members = new HashMap<>();
        final Set<Long> following = new HashSet<>();

        Model(long guildId, long ownerId) {
            this.guildId = guildId;
            this.ownerId = ownerId;
        }

        static Model snapshot(ApiClient api, Account owner, long guildId) {
            JsonNode guild = api.get("/guilds/" + guildId, owner.token()).json();
            Model m = new Model(guildId, guild.get("owner_id").asLong());
            for (JsonNode r : guild.get("roles")) {
                m.putRole(r);
            }
            for (JsonNode c : api.get("/guilds/" + guildId + "/channels", owner.token()).json()) {
                m.putChannel(c);
            }
            for (JsonNode mem : api.get("/guilds/" + guildId + "/members?limit=1000", owner.token()).json()) {
                m.putMember(mem);
                m.following.add(mem.at("/user/id").asLong());
            }
            return m;
        }

        void putRole(JsonNode r) {
            long id = r.get("id").asLong();
            roles.put(id, new Role(id, guildId, r.path("name").asText(), 0, false, r.path("position").asInt(),
                    r.get("permissions").asLong(), false, false));
        }

        void putChannel(JsonNode c) {
            List<Overwrite> overwrites = new ArrayList<>();
            for (JsonNode o : c.path("permission_overwrites")) {
                overwrites.add(new Overwrite(o.get("id").asLong(), o.get("type").asInt(), o.get("allow").asLong(),
                        o.get("deny").asLong()));
            }
            long id = c.get("id").asLong();
            channels.put(id, new Channel(id, c.get("type").asInt(), guildId, c.path("name").asText(), null, 0, null, false, 0,
                    0, 0, null, overwrites, List.of()));
        }

        void putMember(JsonNode m) {
            Set<Long> ids = new HashSet<>();
            m.path("roles").forEach(r -> ids.add(r.asLong()));
            long user = m.at("/user/id").asLong();
            members.put(user, new Member(guildId, user, null, 0, ids));
        }

        boolean canView(long userId, Long channelId) {
            Member member = members.get(userId);
            if (member == null) {
                return false;
            }
            if (channelId == null) {
                return true;
            }
            Channel channel = channels.get(channelId);
            if (channel == null) {
                return false;
            }
            Guild guild = new Guild(guildId, "", null, null, ownerId, null, null, 0, 0, 0, 0, 0);
            return Permission.VIEW_CHANNEL.in(PermissionCalculator.inChannel(guild, member, roles, channel));
        }

        /** What each user's session must have received of the history, in order. */
        Map<Long, List<Seen>> replay(List<GatewayEvent> history, List<Long> users) {
            Map<Long, List<Seen>> out = new LinkedHashMap<>();
            users.forEach(u -> out.put(u, new ArrayList<>()));
            for (GatewayEvent e : history) {
                JsonNode d = Json.mapper().valueToTree(e.data());
                String type = e.type().name();
                boolean deletion = e.type() == DispatchType.CHANNEL_DELETE;
                if (!deletion) {
                    apply(e, d);
                }
                if (e.type() == DispatchType.MESSAGE_CREATE && d.path("content").asText().equals(MARKER)) {
                    break;
                }
                for (long u : users) {
                    if (TRACKED.contains(type) && receives(u, e)) {
                        out.get(u).add(new Seen(type, keyOf(type, d)));
                    }
                }
                if (e.type() == DispatchType.GUILD_CREATE && e.isDirected()) {
                    following.addAll(e.userIds());
                }
                if (deletion) {
                    apply(e, d);
                }
            }
            return out;
        }

        private boolean receives(long user, GatewayEvent e) {
            if (e.isDirected()) {
                if (!e.userIds().contains(user)) {
                    return false;
                }
                if (e.type() == DispatchType.GUILD_DELETE) {
                    return following.remove(user);
                }
                return e.type() != DispatchType.GUILD_CREATE || !following.contains(user);
            }
            return following.contains(user) && canView(user, e.channelId());
        }

        private void apply(GatewayEvent e, JsonNode d) {
            switch (e.type()) {
                case GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE -> putRole(d.get("role"));
                case GUILD_ROLE_DELETE -> {
                    long id = d.get("role_id").asLong();
                    roles.remove(id);
                    members.replaceAll((u, m) -> {
                        Set<Long> kept = new HashSet<>(m.roles());
                        kept.remove(id);
                        return new Member(guildId, u, null, 0, kept);
                    });
                }
                case CHANNEL_CREATE, CHANNEL_UPDATE -> putChannel(d);
                case CHANNEL_DELETE -> channels.remove(d.get("id").asLong());
                case GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE -> putMember(d);
                case GUILD_MEMBER_REMOVE -> members.remove(d.at("/user/id").asLong());
                default -> { }
            }
        }
    }
}
