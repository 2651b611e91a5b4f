package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.rpc.protocol.RpcCloseCode;

/** The transport side of one connection: how its program is written to, and how it is hung up on. */
public interface RpcPeer {

    /** Writes one message: an IPC FRAME, or a WebSocket text frame. */
    void send(ObjectNode message);

    /** Closes the connection with the code: an IPC CLOSE frame then the socket, or a WebSocket close frame. */
    void close(RpcCloseCode code, String reason);
}
