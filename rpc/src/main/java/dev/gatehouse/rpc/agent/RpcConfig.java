package dev.gatehouse.rpc.agent;

import dev.gatehouse.rpc.session.RpcConnection;
import java.net.URI;
import java.nio.file.Path;

/**
 * How the agent runs: the server it logs in to ({@code http://host:port}), the person's token, where
 * the IPC socket goes (null: no IPC), the WebSocket's host and first port (-1: no WebSocket; 0: any
 * free port), and how many messages a program may send per window.
 */
public record RpcConfig(URI server, String token, Path ipcDirectory, String wsHost, int wsBasePort, RpcConnection.Limits limits) {

    public RpcConfig withLimits(RpcConnection.Limits l) {
        return new RpcConfig(server, token, ipcDirectory, wsHost, wsBasePort, l);
    }

    /** The versioned API root under the server. */
    public URI apiBase() {
        return URI.create(server.toString().replaceAll("/+$", "") + "/api/v10");
    }
}
