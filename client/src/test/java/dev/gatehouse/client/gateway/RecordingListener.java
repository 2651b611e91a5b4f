package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what a client reported, for the core's tests (one thread) and for clients over sockets
 * (their event loop writes, the test thread reads). {@link #phase} labels what follows in the log.
 */
final class RecordingListener implements GatewayListener {

    final List<String> types = new CopyOnWriteArrayList<>();
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    /** The ids of the MESSAGE_CREATE dispatches, in delivery order, and their contents. */
    final List<Long> messages = new CopyOnWriteArrayList<>();
    final List<String> contents = new CopyOnWriteArrayList<>();
    final List<Long> roundTrips = new CopyOnWriteArrayList<>();
    final List<Integer> closedCodes = new CopyOnWriteArrayList<>();
    final List<Long> resumedAfter = new CopyOnWriteArrayList<>();
    final List<Long> identifiedAfter = new CopyOnWriteArrayList<>();
    /** Every dispatch as "phase seq type", and the dispatches dropped by seq as "phase seq n". */
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> duplicateAt = new CopyOnWriteArrayList<>();
    volatile String phase = "start";
    volatile int resumeAttempts;
    volatile int duplicates;
    volatile Integer stoppedWith;

    int resumed() {
        return resumedAfter.size();
    }

    int identified() {
        return identifiedAfter.size();
    }

    @Override
    public void onDispatch(String type, JsonNode data, long seq) {
        types.add(type);
        seqs.add(seq);
        log.add(phase + " " + seq + " " + type);
        if (type.equals("MESSAGE_CREATE") && data.has("id")) {
            // content first: a test that waits for the id then reads the content must find it
            contents.add(data.path("content").asText(""));
            messages.add(data.get("id").asLong());
        }
    }

    @Override
    public void onClosed(int code, String reason, boolean byServer) {
        closedCodes.add(code);
    }

    @Override
    public void onResumeAttempt() {
        resumeAttempts++;
    }

    @Override
    public void onResumed(long downtimeMillis) {
        resumedAfter.add(downtimeMillis);
    }

    @Override
    public void onIdentified(long downtimeMillis) {
        identifiedAfter.add(downtimeMillis);
    }

    @Override
    public void onHeartbeatAck(long roundTripMillis) {
        roundTrips.add(roundTripMillis);
    }

    @Override
    public void onDuplicate(long seq) {
        duplicates++;
        duplicateAt.add(phase + " seq " + seq);
    }

    int sessionsEnded;

    @Override
    public void onSessionEnded() {
        sessionsEnded++;
    }

    @Override
    public void onStopped(int code, String reason) {
        stoppedWith = code;
    }
}
