package dev.gatehouse.rpc.session;

import java.util.List;

/** What the server says of the application a program connects as: {@code GET /applications/{id}/rpc}. */
public record RpcApplication(long id, String name, List<String> rpcOrigins) {

    public RpcApplication {
        rpcOrigins = List.copyOf(rpcOrigins);
    }
}
