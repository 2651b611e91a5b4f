package dev.gatehouse.gateway.members;

import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.store.Store;
import dev.gatehouse.core.view.MemberView;
import dev.gatehouse.gateway.presence.PresenceRegistry;
import dev.gatehouse.gateway.presence.PresenceView;
import dev.gatehouse.protocol.gateway.RequestGuildMembers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Answers op 8 with GUILD_MEMBERS_CHUNK payloads of at most 1,000 members. Everyone in a large
 * guild is read a page at a time and each chunk handed on before the next page is read, so memory
 * stays at one chunk whatever the guild's size. There is always at least one chunk.
 */
public final class GuildMembersChunker {

    public static final int CHUNK_SIZE = 1000;

    private final Store store;
    private final PresenceRegistry presences;

    public GuildMembersChunker(Store store, PresenceRegistry presences) {
        this.store = store;
        this.presences = presences;
    }

    /**
     * @param includePresences whether the request asked for presences and may have them
     * @param stillWanted asked before each page of a long answer: false stops it (the session lost the guild)
     * @param emit receives each chunk payload, in order
     */
    public void answer(RequestGuildMembers request, boolean includePresences, BooleanSupplier stillWanted,
            Consumer<Map<String, Object>> emit) {
        long guildId = request.guildId();
        if (!request.userIds().isEmpty()) {
            List<Member> found = store.read(tx -> tx.members().findAll(guildId, request.userIds()));
            Set<Long> foundIds = new HashSet<>();
            found.forEach(m -> foundIds.add(m.userId()));
            List<Long> notFound = request.userIds().stream().filter(id -> !foundIds.contains(id)).toList();
            Map<String, Object> chunk = chunk(request, views(found), 0, 1, includePresences);
            chunk.put("not_found", notFound);
            emit.accept(chunk);
            return;
        }
        if (!request.wantsEveryone()) {
            int limit = request.limit() == 0 ? RequestGuildMembers.MAX_QUERY_RESULTS
                    : Math.min(request.limit(), RequestGuildMembers.MAX_QUERY_RESULTS);
            List<Member> matched = store.read(tx -> tx.members().search(guildId, request.query(), limit));
            emit.accept(chunk(request, views(matched), 0, 1, includePresences));
            return;
        }
        // everyone: chunk_count is fixed up front; members who join meanwhile may be left out
        int total = store.read(tx -> tx.members().count(guildId));
        int count = Math.max(1, (total + CHUNK_SIZE - 1) / CHUNK_SIZE);
        long after = 0;
        for (int index = 0; index < count && stillWanted.getAsBoolean(); index++) {
            long from = after;
            List<Member> page = store.read(tx -> tx.members().list(guildId, from, CHUNK_SIZE));
            if (!page.isEmpty()) {
                after = page.getLast().userId();
            }
            emit.accept(chunk(request, views(page), index, count, includePresences));
        }
    }

    private List<MemberView> views(List<Member> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        Map<Long, User> users = new HashMap<>();
        store.read(tx -> tx.users().findAll(members.stream().map(Member::userId).toList()))
                .forEach(u -> users.put(u.id(), u));
        List<MemberView> out = new ArrayList<>(members.size());
        for (Member m : members) {
            User u = users.get(m.userId());
            if (u != null) {
                out.add(MemberView.of(m, u));
            }
        }
        return out;
    }

    private Map<String, Object> chunk(RequestGuildMembers request, List<MemberView> members, int index, int count,
            boolean includePresences) {
        Map<String, Object> chunk = header(request, members, index, count);
        if (includePresences) {
            List<PresenceView> online = new ArrayList<>();
            for (MemberView m : members) {
                presences.get(m.user().id()).ifPresent(p -> online.add(p.inGuild(request.guildId())));
            }
            chunk.put("presences", online);
        }
        return chunk;
    }

    /** An answer with nobody in it, for a request the session may not make. */
    public static Map<String, Object> empty(RequestGuildMembers request) {
        Map<String, Object> chunk = header(request, List.of(), 0, 1);
        if (!request.userIds().isEmpty()) {
            chunk.put("not_found", request.userIds());
        }
        return chunk;
    }

    /** The fields every chunk has; the nonce goes last, as Discord orders it. */
    private static Map<String, Object> header(RequestGuildMembers request, List<MemberView> members, int index, int count) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("guild_id", request.guildId());
        chunk.put("members", members);
        chunk.put("chunk_index", index);
        chunk.put("chunk_count", count);
        if (request.nonce() != null) {
            chunk.put("nonce", request.nonce());
        }
        return chunk;
    }
}
