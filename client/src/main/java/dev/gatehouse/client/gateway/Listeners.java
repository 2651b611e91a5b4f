package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several listeners as one, in order; one that throws does not keep the others from hearing. */
final class Listeners implements GatewayListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private final List<GatewayListener> all;

    Listeners(List<GatewayListener> all) {
        this.all = List.copyOf(all);
    }

    private void each(java.util.function.Consumer<GatewayListener> call) {
        for (GatewayListener l : all) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.error("gateway listener {} failed", l, e);
            }
        }
    }

    @Override
    public void onDispatch(String type, JsonNode data, long seq) {
        each(l -> l.onDispatch(type, data, seq));
    }

    @Override
    public void onClosed(int code, String reason, boolean byServer) {
        each(l -> l.onClosed(code, reason, byServer));
    }

    @Override
    public void onResumeAttempt() {
        each(GatewayListener::onResumeAttempt);
    }

    @Override
    public void onResumed(long downtimeMillis) {
        each(l -> l.onResumed(downtimeMillis));
    }

    @Override
    public void onIdentified(long downtimeMillis) {
        each(l -> l.onIdentified(downtimeMillis));
    }

    @Override
    public void onHeartbeatAck(long roundTripMillis) {
        each(l -> l.onHeartbeatAck(roundTripMillis));
    }

    @Override
    public void onDuplicate(long seq) {
        each(l -> l.onDuplicate(seq));
    }

    @Override
    public void onSessionEnded() {
        each(GatewayListener::onSessionEnded);
    }

    @Override
    public void onStopped(int code, String reason) {
        each(l -> l.onStopped(code, reason));
    }
}
