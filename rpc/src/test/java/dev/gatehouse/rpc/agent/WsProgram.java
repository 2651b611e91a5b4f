package dev.gatehouse.rpc.agent;

import dev.gatehouse.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A program on the WebSocket (the JDK's client), with the query and Origin it chooses. */
final class WsProgram extends ProgramClient {

    private final WebSocket ws;
    private final StringBuilder partial = new StringBuilder();

    WsProgram(int port, String query, String origin) {
        HttpClient http = HttpClient.newHttpClient();
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/?" + query), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        try {
                            messages.add(Json.mapper().readTree(partial.toString()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closeCode = statusCode;
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    if (closeCode == null) {
                        closeCode = -1;
                    }
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void sendText(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    @Override
    public void close() {
        ws.abort();
    }
}
