package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.protocol.RpcCloseCode;
import dev.gatehouse.rpc.protocol.RpcCommand;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.session.RpcConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's monitoring: {@code gatehouse_rpc_connections{transport}} open and READY,
 * {@code gatehouse_rpc_commands_total{command, code}} ({@code ok} or the error code; an unknown
 * command name counts as {@code UNKNOWN}), {@code gatehouse_rpc_closes_total{code}} (1000 when the
 * program hung up).
 */
public final class RpcMetrics implements RpcConnection.Listener {

    private final MeterRegistry registry;
    private final Map<RpcConnection.Transport, AtomicInteger> open = new EnumMap<>(RpcConnection.Transport.class);

    public RpcMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RpcConnection.Transport t : RpcConnection.Transport.values()) {
            AtomicInteger n = new AtomicInteger();
            open.put(t, n);
            Gauge.builder("gatehouse.rpc.connections", n, AtomicInteger::get)
                    .description("RPC connections past their handshake").tag("transport", t.name().toLowerCase()).register(registry);
        }
    }

    @Override
    public void answered(RpcCommand command, RpcError error) {
        Counter.builder("gatehouse.rpc.commands").description("RPC commands answered, by command and result")
                .tag("command", command == null ? "UNKNOWN" : command.name())
                .tag("code", error == null ? "ok" : Integer.toString(error.code()))
                .register(registry).increment();
    }

    @Override
    public void ready(RpcConnection connection) {
        open.get(connection.transport()).incrementAndGet();
    }

    @Override
    public void closed(RpcConnection connection, RpcCloseCode code) {
        if (connection.application().isPresent()) {
            open.get(connection.transport()).decrementAndGet();
        }
        Counter.builder("gatehouse.rpc.closes").description("RPC connections closed, by close code")
                .tag("code", Integer.toString(code.code())).register(registry).increment();
    }
}
