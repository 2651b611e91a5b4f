package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.CloseCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link SessionSink} that records the dispatches written to it, as the client would see them. */
final class RecordingSink implements SessionSink {

    record Written(long seq, String type, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final List<Written> written = new ArrayList<>();
    int flushes;
    CloseCode closedWith;
    String closeReason;
    final List<Long> wakeUps = new ArrayList<>();

    @Override
    public void write(long seq, String type, byte[] body) {
        written.add(new Written(seq, type, new String(body, StandardCharsets.UTF_8)));
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close(CloseCode code, String reason) {
        closedWith = code;
        closeReason = reason;
    }

    @Override
    public void wakeAt(long at) {
        wakeUps.add(at);
    }

    List<String> types() {
        return written.stream().map(Written::type).toList();
    }

    List<Long> seqs() {
        return written.stream().map(Written::seq).toList();
    }
}
