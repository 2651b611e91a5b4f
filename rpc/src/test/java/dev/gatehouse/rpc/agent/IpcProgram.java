package dev.gatehouse.rpc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A program on the IPC socket, speaking the frames by hand. */
final class IpcProgram extends ProgramClient {

    private final SocketChannel socket;
    private final Thread reader;

    IpcProgram(Path path) {
        try {
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            socket.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = Thread.ofVirtual().start(this::read);
    }

    static IpcProgram handshake(Path path, String v, String clientId) {
        IpcProgram p = new IpcProgram(path);
        p.frame(0, "{\"v\":" + v + ",\"client_id\":\"" + clientId + "\"}");
        return p;
    }

    void frame(int op, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(op).putInt(body.length).put(body).flip();
        raw(b);
    }

    void raw(ByteBuffer b) {
        try {
            while (b.hasRemaining()) {
                socket.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void sendText(String text) {
        frame(1, text);
    }

    /** PONGs are queued as {@code {"pong": body}}. */
    private void read() {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (true) {
                header.clear();
                if (!fill(header)) {
                    break;
                }
                header.flip();
                int op = header.getInt();
                int length = header.getInt();
                ByteBuffer body = ByteBuffer.allocate(length);
                if (!fill(body)) {
                    break;
                }
                JsonNode json = Json.mapper().readTree(new String(body.array(), StandardCharsets.UTF_8));
                switch (op) {
                    case 1 -> messages.add(json);
                    case 2 -> closeCode = json.path("code").asInt();
                    case 4 -> messages.add(Json.mapper().createObjectNode().set("pong", json));
                    default -> { }
                }
            }
        } catch (IOException e) {
            // closed under us
        }
        if (closeCode == null) {
            closeCode = -1; // the socket ended without a CLOSE frame
        }
    }

    private boolean fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (socket.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
