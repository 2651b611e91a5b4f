package dev.gatehouse.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AllowedMentionsTest {

    private static AllowedMentions read(String json) throws IOException {
        Form f = Form.of(Json.mapper().readTree(json));
        AllowedMentions a = AllowedMentions.read(f);
        f.validate();
        return a;
    }

    @Test
    void absentMeansEverythingAndTheRepliedUser() throws IOException {
        assertThat(read("{}")).isNull();
        assertThat(read("{\"allowed_mentions\":null}")).isNull();
        AllowedMentions d = AllowedMentions.DEFAULT;
        assertThat(d.allowsUser(1)).isTrue();
        assertThat(d.allowsRole(1)).isTrue();
        assertThat(d.allowsEveryone()).isTrue();
        assertThat(d.mentionsRepliedUser()).isTrue();
    }

    @Test
    void anEmptyObjectAllowsNothing() throws IOException {
        AllowedMentions a = read("{\"allowed_mentions\":{}}");
        assertThat(a.allowsUser(1)).isFalse();
        assertThat(a.allowsRole(1)).isFalse();
        assertThat(a.allowsEveryone()).isFalse();
        assertThat(a.mentionsRepliedUser()).as("replied_user defaults to false once the object is given").isFalse();
    }

    @Test
    void listsAndParseTypes() throws IOException {
        AllowedMentions a = read("{\"allowed_mentions\":{\"parse\":[\"roles\"],\"users\":[\"5\",6],\"replied_user\":true}}");
        assertThat(a.allowsUser(5)).isTrue();
        assertThat(a.allowsUser(6)).isTrue();
        assertThat(a.allowsUser(7)).isFalse();
        assertThat(a.allowsRole(123)).isTrue();
        assertThat(a.allowsEveryone()).isFalse();
        assertThat(a.mentionsRepliedUser()).isTrue();
    }

    @Test
    void invalidShapesAreFieldErrors() {
        for (String bad : new String[] {
                "{\"allowed_mentions\":{\"parse\":\"users\"}}",
                "{\"allowed_mentions\":{\"parse\":[\"users\",\"bots\"]}}",
                "{\"allowed_mentions\":{\"parse\":[\"roles\"],\"roles\":[\"1\"]}}",
                "{\"allowed_mentions\":{\"users\":[\"x\"]}}",
                "{\"allowed_mentions\":{\"replied_user\":\"yes\"}}",
                "{\"allowed_mentions\":[]}"}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(ApiException.class);
        }
    }
}
