package dev.gatehouse.voice.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.VoiceCloseCode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A WebSocket that records what the core sends; sends after the close are lost, as on a real one. */
final class RecordingVoiceIO implements VoiceIO {

    final List<JsonNode> sent = new ArrayList<>();
    VoiceCloseCode closed;
    String reason;

    @Override
    public void send(String json) {
        if (closed == null) {
            try {
                sent.add(Json.mapper().readTree(json));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close(VoiceCloseCode code, String why) {
        if (closed == null) {
            closed = code;
            reason = why;
        }
    }

    /** The messages with this opcode, in order. */
    List<JsonNode> ops(int op) {
        return sent.stream().filter(m -> m.path("op").asInt() == op).toList();
    }

    JsonNode last() {
        return sent.get(sent.size() - 1);
    }

    void clear() {
        sent.clear();
    }
}
