package dev.gatehouse.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/** Records what the client core asked of the network. */
final class FakeTransport implements ClientTransport {

    final List<String> connects = new ArrayList<>();
    final List<JsonNode> sent = new ArrayList<>();
    final List<Integer> closes = new ArrayList<>();
    /** False: the connection is gone and the core has yet to hear; sends are refused. */
    boolean open = true;

    @Override
    public void connect(String url) {
        connects.add(url);
    }

    @Override
    public boolean send(String payload) {
        if (!open) {
            return false;
        }
        try {
            sent.add(Json.mapper().readTree(payload));
            return true;
        } catch (Exception e) {
            throw new AssertionError("the core sent invalid JSON: " + payload, e);
        }
    }

    @Override
    public void close(int code, String reason) {
        closes.add(code);
    }

    JsonNode last() {
        return sent.get(sent.size() - 1);
    }

    List<Integer> sentOps() {
        return sent.stream().map(f -> f.get("op").intValue()).toList();
    }
}
