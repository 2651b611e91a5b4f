package dev.gatehouse.store;

import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.store.Applications;
import dev.gatehouse.core.store.Bans;
import dev.gatehouse.core.store.Channels;
import dev.gatehouse.core.store.EventLog;
import dev.gatehouse.core.store.Guilds;
import dev.gatehouse.core.store.Invites;
import dev.gatehouse.core.store.Members;
import dev.gatehouse.core.store.Messages;
import dev.gatehouse.core.store.OAuth2Grants;
import dev.gatehouse.core.store.Reactions;
import dev.gatehouse.core.store.Roles;
import dev.gatehouse.core.store.SessionStarts;
import dev.gatehouse.core.store.Tokens;
import dev.gatehouse.core.store.Tx;
import dev.gatehouse.core.store.Users;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The repositories of one JDBI handle, which holds the open transaction. */
final class JdbcTx implements Tx {

    private final Handle h;
    private final JdbcEventLog events;
    private final List<GatewayEvent> published;

    /** @param writable whether the transaction may publish events (a write) */
    JdbcTx(Handle h, boolean writable) {
        this.h = h;
        this.published = writable ? new ArrayList<>() : null;
        this.events = new JdbcEventLog(h, published);
    }

    /** Logs the events the transaction published (last thing before its commit); returns them numbered. */
    List<GatewayEvent> logPublished(long now) {
        return published == null || published.isEmpty() ? List.of() : events.append(published, now);
    }

    @Override public Users users() { return new JdbcUsers(h); }
    @Override public Applications applications() { return new JdbcApplications(h); }
    @Override public Tokens tokens() { return new JdbcTokens(h); }
    @Override public Guilds guilds() { return new JdbcGuilds(h); }
    @Override public Roles roles() { return new JdbcRoles(h); }
    @Override public Channels channels() { return new JdbcChannels(h); }
    @Override public Members members() { return new JdbcMembers(h); }
    @Override public Bans bans() { return new JdbcBans(h); }
    @Override public Invites invites() { return new JdbcInvites(h); }
    @Override public Messages messages() { return new JdbcMessages(h); }
    @Override public Reactions reactions() { return new JdbcReactions(h); }
    @Override public SessionStarts sessionStarts() { return new JdbcSessionStarts(h); }
    @Override public OAuth2Grants oauth2() { return new JdbcOAuth2Grants(h); }
    @Override public EventLog events() { return events; }
}
