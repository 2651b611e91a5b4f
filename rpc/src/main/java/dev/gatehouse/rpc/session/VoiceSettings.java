package dev.gatehouse.rpc.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.rpc.protocol.RpcError;
import dev.gatehouse.rpc.protocol.RpcException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The person's voice settings as RPC shows them ({@code GET_VOICE_SETTINGS}), kept by the agent:
 * devices (the agent plays no audio, so there is one default device each way), volumes, input
 * mode and the processing switches, {@code mute} and {@code deaf}. {@link #apply} checks a whole
 * {@code SET_VOICE_SETTINGS} before changing anything, so a bad field changes nothing (4000).
 */
public final class VoiceSettings {

    private static final Set<String> SWITCHES = Set.of("automatic_gain_control", "echo_cancellation", "noise_suppression", "qos",
            "silence_warning", "deaf", "mute");
    private static final Set<String> MODES = Set.of("PUSH_TO_TALK", "VOICE_ACTIVITY");
    private static final String DEVICE = "default";

    private ObjectNode settings = initial();

    private static ObjectNode initial() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.set("input", device(100));
        s.set("output", device(100));
        ObjectNode mode = s.putObject("mode");
        mode.put("type", "VOICE_ACTIVITY");
        mode.put("auto_threshold", true);
        mode.put("threshold", -60.0);
        mode.putArray("shortcut");
        mode.put("delay", 20.0);
        s.put("automatic_gain_control", true);
        s.put("echo_cancellation", true);
        s.put("noise_suppression", true);
        s.put("qos", false);
        s.put("silence_warning", true);
        s.put("deaf", false);
        s.put("mute", false);
        return s;
    }

    private static ObjectNode device(double volume) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("device_id", DEVICE);
        d.put("volume", volume);
        ArrayNode devices = d.putArray("available_devices");
        devices.addObject().put("id", DEVICE).put("name", "Default");
        return d;
    }

    public ObjectNode get() {
        return settings.deepCopy();
    }

    public boolean mute() {
        return settings.get("mute").booleanValue();
    }

    public boolean deaf() {
        return settings.get("deaf").booleanValue();
    }

    /** Applies a partial update and returns the whole settings; nothing changes when a field is wrong. */
    public ObjectNode apply(JsonNode patch) {
        ObjectNode next = settings.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode v = e.getValue();
            if (SWITCHES.contains(field)) {
                if (!v.isBoolean()) {
                    throw invalid(field + " must be a boolean");
                }
                next.put(field, v.booleanValue());
            } else if (field.equals("input") || field.equals("output")) {
                applyDevice((ObjectNode) next.get(field), v, field, field.equals("input") ? 100 : 200);
            } else if (field.equals("mode")) {
                applyMode((ObjectNode) next.get("mode"), v);
            } else {
                throw invalid("Unknown voice setting: " + (field.length() > 64 ? field.substring(0, 64) : field));
            }
        }
        settings = next;
        return get();
    }

    private static void applyDevice(ObjectNode device, JsonNode v, String field, double maxVolume) {
        if (!v.isObject()) {
            throw invalid(field + " must be an object");
        }
        JsonNode id = v.get("device_id");
        if (id != null && (!id.isTextual() || !id.textValue().equals(DEVICE))) {
            throw invalid(field + ".device_id must be one of available_devices");
        }
        JsonNode volume = v.get("volume");
        if (volume != null) {
            if (!volume.isNumber() || volume.asDouble() < 0 || volume.asDouble() > maxVolume) {
                throw invalid(field + ".volume must be between 0 and " + (int) maxVolume);
            }
            device.put("volume", volume.asDouble());
        }
    }

    private static void applyMode(ObjectNode mode, JsonNode v) {
        if (!v.isObject()) {
            throw invalid("mode must be an object");
        }
        JsonNode type = v.get("type");
        if (type != null) {
            if (!type.isTextual() || !MODES.contains(type.textValue())) {
                throw invalid("mode.type must be PUSH_TO_TALK or VOICE_ACTIVITY");
            }
            mode.put("type", type.textValue());
        }
        JsonNode auto = v.get("auto_threshold");
        if (auto != null) {
            if (!auto.isBoolean()) {
                throw invalid("mode.auto_threshold must be a boolean");
            }
            mode.put("auto_threshold", auto.booleanValue());
        }
        JsonNode threshold = v.get("threshold");
        if (threshold != null) {
            if (!threshold.isNumber() || threshold.asDouble() < -100 || threshold.asDouble() > 0) {
                throw invalid("mode.threshold must be between -100 and 0");
            }
            mode.put("threshold", threshold.asDouble());
        }
        JsonNode delay = v.get("delay");
        if (delay != null) {
            if (!delay.isNumber() || delay.asDouble() < 0 || delay.asDouble() > 2000) {
                throw invalid("mode.delay must be between 0 and 2000");
            }
            mode.put("delay", delay.asDouble());
        }
        JsonNode shortcut = v.get("shortcut");
        if (shortcut != null) {
            if (!shortcut.isArray() || shortcut.size() > 4) {
                throw invalid("mode.shortcut must be an array of at most 4 keys");
            }
            for (JsonNode key : shortcut) {
                if (!key.isObject() || !key.path("type").canConvertToInt() || !key.path("code").canConvertToInt()
                        || !key.path("name").isTextual() || key.path("name").textValue().length() > 32) {
                    throw invalid("mode.shortcut keys are {type, code, name}");
                }
            }
            mode.set("shortcut", shortcut.deepCopy());
        }
    }

    private static RpcException invalid(String message) {
        return new RpcException(RpcError.INVALID_PAYLOAD, message);
    }
}
