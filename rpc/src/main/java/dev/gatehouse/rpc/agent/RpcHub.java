package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.protocol.RpcCommand;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcEvent;
import dev.gatehouse.rpc.session.Account;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.rpc.session.RpcPeer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's open connections, on its one thread: transports open them, the person's gateway
 * session's events reach every one that subscribed.
 */
public final class RpcHub {

    private final Account account;
    private final Executor loop;
    private final LongSupplier clock;
    private final RpcConnection.Limits limits;
    private final RpcConnection.Listener listener;
    private final Map<Long, RpcConnection> open = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Programs on one machine; more is someone trying to wear the agent (or the server) down. */
    public static final int MAX_CONNECTIONS = 64;

    public RpcHub(Account account, Executor loop, LongSupplier clock, RpcConnection.Limits limits, RpcConnection.Listener listener) {
        this.account = account;
        this.loop = loop;
        this.clock = clock;
        this.limits = limits;
        this.listener = new RpcConnection.Listener() {
            @Override
            public void answered(RpcCommand command, RpcError error) {
                listener.answered(command, error);
            }

            @Override
            public void ready(RpcConnection connection) {
                listener.ready(connection);
            }

            @Override
            public void closed(RpcConnection connection, RpcCloseCode code) {
                open.remove(connection.id());
                listener.closed(connection, code);
            }
        };
    }

    /**
     * A new connection of a transport; call on the agent's thread. Past {@value #MAX_CONNECTIONS}
     * open connections the new one is closed with 4002 at once (it is returned closed).
     */
    public RpcConnection open(RpcConnection.Transport transport, RpcPeer peer) {
        RpcConnection c = new RpcConnection(ids.incrementAndGet(), transport, peer, account, loop, clock, limits, listener);
        if (open.size() >= MAX_CONNECTIONS) {
            c.close(RpcCloseCode.RATE_LIMITED, "Too many connections");
            return c;
        }
        open.put(c.id(), c);
        return c;
    }

    /** Asks the server again about every connection's token. */
    public void recheckGrants() {
        for (RpcConnection c : new ArrayList<>(open.values())) {
            c.grant().ifPresent(g -> c.grantEnded(g.applicationId()));
        }
    }

    /** Forgets a connection that closed before its handshake ended (the listener is not told of those). */
    public void forget(RpcConnection c) {
        open.remove(c.id());
    }

    public void deliver(RpcEvent event, Long key, ObjectNode data) {
        for (RpcConnection c : new ArrayList<>(open.values())) {
            c.deliver(event, key, data);
        }
    }

    public void grantEnded(long applicationId) {
        for (RpcConnection c : new ArrayList<>(open.values())) {
            c.grantEnded(applicationId);
        }
    }

    public List<RpcConnection> connections() {
        return List.copyOf(open.values());
    }
}
