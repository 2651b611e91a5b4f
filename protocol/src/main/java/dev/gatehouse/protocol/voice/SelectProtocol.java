package dev.gatehouse.protocol.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.gateway.Fields;

/**
 * Op 1 Select Protocol {@code {protocol: "udp", data: {address, port, mode}}}. Only UDP is served
 * (4012 for anything else); the mode is checked by the session against what Ready offered (4016).
 * {@code address} and {@code port} are what the client learned from IP discovery: the relay sends to
 * the address that discovered, never to one a client merely names.
 */
public record SelectProtocol(String protocol, String address, int port, String mode) {

    public static final String UDP = "udp";

    public static SelectProtocol parse(JsonNode d) throws VoiceViolation {
        String protocol = VoiceFrame.decoding(() -> Fields.string(Fields.object(d, "Select Protocol"), "protocol", 32));
        if (!UDP.equals(protocol)) {
            throw new VoiceViolation(VoiceCloseCode.UNKNOWN_PROTOCOL, "Unknown protocol " + protocol + " (only udp)");
        }
        return VoiceFrame.decoding(() -> {
            JsonNode data = Fields.object(d.get("data"), "data");
            return new SelectProtocol(protocol, Fields.string(data, "address", 64),
                    (int) Fields.integer(data, "port", 1, 65535, 0), Fields.string(data, "mode", 64));
        });
    }

    public JsonNode data() {
        ObjectNode d = Json.mapper().createObjectNode().put("protocol", protocol);
        d.putObject("data").put("address", address).put("port", port).put("mode", mode);
        return d;
    }
}
