package dev.gatehouse.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Identify;
import dev.gatehouse.protocol.gateway.Opcode;
import dev.gatehouse.protocol.gateway.ProtocolViolation;
import dev.gatehouse.protocol.gateway.Resume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A {@link ConnectionIO} that records what the connection asked for. */
final class RecordingIO implements ConnectionIO {

    record Request(Opcode op, JsonNode d) {}

    final List<JsonNode> sent = new ArrayList<>();
    final List<Identify> identifies = new ArrayList<>();
    final List<Resume> resumes = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final List<Long> roundTrips = new ArrayList<>();
    Integer closeCode;
    String closeReason;
    int closes;
    /** When set, the next request throws it (a malformed payload). */
    ProtocolViolation failNextRequest;

    @Override
    public void send(String frame) {
        try {
            sent.add(Json.mapper().readTree(frame));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        closes++;
        closeCode = code;
        closeReason = reason;
    }

    @Override
    public void identify(Identify identify) {
        identifies.add(identify);
    }

    @Override
    public void resume(Resume resume) {
        resumes.add(resume);
    }

    @Override
    public void request(GatewaySession session, Opcode op, JsonNode d) throws ProtocolViolation {
        if (failNextRequest != null) {
            ProtocolViolation v = failNextRequest;
            failNextRequest = null;
            throw v;
        }
        requests.add(new Request(op, d));
    }

    @Override
    public void heartbeatRoundTrip(long millis) {
        roundTrips.add(millis);
    }

    JsonNode last() {
        return sent.get(sent.size() - 1);
    }

    List<Integer> sentOps() {
        return sent.stream().map(n -> n.get("op").intValue()).toList();
    }
}
