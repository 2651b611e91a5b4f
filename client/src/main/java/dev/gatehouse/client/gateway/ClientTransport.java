package dev.gatehouse.client.gateway;

/**
 * What the client core asks of the network. Calls come from the core's thread and must not block:
 * the transport starts the work and reports back through {@link GatewayClientCore#opened},
 * {@link GatewayClientCore#received} and {@link GatewayClientCore#closed}.
 */
public interface ClientTransport {

    /** Opens a WebSocket to {@code url}; later reports it opened, or closed (1006 when it never opened). */
    void connect(String url);

    /**
     * Sends one payload (JSON text; the transport encodes it as the connection's encoding). False
     * when the current connection is not open (it is reported closed soon after).
     */
    boolean send(String payload);

    /** Closes the current connection with a close frame; it is reported closed afterwards. */
    void close(int code, String reason);
}
