package dev.gatehouse.protocol.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import org.junit.jupiter.api.Test;

class ActivityTest {

    private static Activity parse(String json) throws Exception {
        return Activity.parse(Json.mapper().readTree(json));
    }

    @Test
    void richPresenceAsAProgramSendsIt() throws Exception {
        Activity a = parse("""
                {"name":"Chess","type":0,"details":"Ranked","state":"Move 12","timestamps":{"start":1765000000000},
                 "assets":{"large_image":"board","large_text":"Board"},"party":{"id":"p1","size":[1,4]},"instance":true,
                 "buttons":[{"label":"Watch","url":"https://chess.example/w"},{"label":"Join","url":"https://chess.example/j"}],
                 "secrets":{"join":"s3cret"},"application_id":"41771983423143937"}""");
        assertThat(a.buttons()).containsExactly("Watch", "Join");
        assertThat(a.applicationId()).isEqualTo(41771983423143937L);
        JsonNode written = Json.mapper().valueToTree(a);
        assertThat(written.at("/timestamps/start").isNumber()).as("milliseconds are numbers").isTrue();
        assertThat(written.get("application_id").isTextual()).as("a snowflake is a string").isTrue();
        assertThat(written.has("secrets")).as("secrets are never kept").isFalse();
        assertThat(written.at("/buttons/0").asText()).isEqualTo("Watch");
        assertThat(written.at("/party/size/1").asInt()).isEqualTo(4);
        assertThat(written.has("url")).isFalse();
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"party\":{\"size\":[3,2]}}")).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"buttons\":[\"a\",\"b\",\"c\"]}")).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"buttons\":[{\"label\":\"" + "l".repeat(33) + "\"}]}"))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"details\":\"" + "d".repeat(513) + "\"}")).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"timestamps\":{\"start\":-1}}")).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"timestamps\":7}")).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> parse("{\"name\":\"x\",\"application_id\":\"abc\"}")).isInstanceOf(ProtocolViolation.class);
    }
}
