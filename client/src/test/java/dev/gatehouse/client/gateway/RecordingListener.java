package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Records what the client core reported. */
final class RecordingListener implements GatewayListener {

    final List<String> types = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
    /** The ids of the MESSAGE_CREATE dispatches, in delivery order. */
    final List<Long> messages = new ArrayList<>();
    final List<Long> roundTrips = new ArrayList<>();
    final List<Integer> closedCodes = new ArrayList<>();
    final List<Long> resumedAfter = new ArrayList<>();
    final List<Long> identifiedAfter = new ArrayList<>();
    int resumeAttempts;
    int duplicates;
    Integer stoppedWith;

    @Override
    public void onDispatch(String type, JsonNode data, long seq) {
        types.add(type);
        seqs.add(seq);
        if (type.equals("MESSAGE_CREATE") && data.has("id")) {
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
    }

    @Override
    public void onStopped(int code, String reason) {
        stoppedWith = code;
    }
}
