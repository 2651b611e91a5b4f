package dev.gatehouse.voice.session;

import dev.gatehouse.protocol.voice.VoiceCloseCode;

/**
 * What the voice core asks of one WebSocket. Both calls may come from any thread (a peer's
 * Speaking, a moderator's disconnect); the transport keeps their order.
 */
public interface VoiceIO {

    /** One text frame. */
    void send(String json);

    /** Sends the close frame and ends the connection; later sends are dropped. */
    void close(VoiceCloseCode code, String reason);
}
