package dev.gatehouse.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.protocol.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EmbedValidatorTest {

    private static Form form(String json) throws IOException {
        return Form.of(Json.mapper().readTree(json));
    }

    private static JsonNode errors(Form f) {
        try {
            f.validate();
        } catch (ApiException e) {
            return Json.mapper().valueToTree(e.errors());
        }
        throw new AssertionError("no field errors");
    }

    @Test
    void absentNullAndEmpty() throws IOException {
        assertThat(EmbedValidator.read(form("{}"))).isNull();
        assertThat(EmbedValidator.read(form("{\"embeds\":null}"))).isEqualTo(EmbedValidator.Embeds.NONE);
        var empty = EmbedValidator.read(form("{\"embeds\":[]}"));
        assertThat(empty.json()).isEqualTo("[]");
        assertThat(empty.visible()).isFalse();
        var blank = EmbedValidator.read(form("{\"embeds\":[{}]}"));
        assertThat(blank.visible()).isFalse();
        assertThat(EmbedValidator.hasVisible(blank.json())).isFalse();
    }

    @Test
    void rebuildsFromKnownFieldsOnly() throws IOException {
        Form f = form("""
                {"embeds":[{"type":"image","title":"T","extra":1,"video":{"url":"https://v.example"},
                  "provider":{"name":"p"},"timestamp":"2024-01-02T03:04:05.678+02:00",
                  "fields":[{"name":"n","value":"v"}]}]}""");
        var embeds = EmbedValidator.read(f);
        f.validate();
        JsonNode e = Json.mapper().readTree(embeds.json()).get(0);
        assertThat(e.get("type").asText()).isEqualTo("rich");
        assertThat(e.has("extra")).isFalse();
        assertThat(e.has("video")).isFalse();
        assertThat(e.has("provider")).isFalse();
        assertThat(e.get("timestamp").asText()).isEqualTo("2024-01-02T01:04:05.678000+00:00");
        assertThat(e.at("/fields/0/inline").asBoolean()).isFalse();
        assertThat(embeds.visible()).isTrue();
        assertThat(EmbedValidator.hasVisible(embeds.json())).isTrue();
    }

    @Test
    void totalSizeCountsEveryTextField() throws IOException {
        // 256 + 4096 + 256 + (1 + 1024) + (1 + 366) = 6000 in one embed, each field within its own limit
        String atLimit = "{\"embeds\":[{\"title\":\"" + "t".repeat(256) + "\",\"description\":\"" + "d".repeat(4096)
                + "\",\"author\":{\"name\":\"" + "a".repeat(256) + "\"},\"fields\":[{\"name\":\"n\",\"value\":\""
                + "v".repeat(1024) + "\"},{\"name\":\"m\",\"value\":\"" + "w".repeat(366) + "\"}]}]}";
        Form ok = form(atLimit);
        EmbedValidator.read(ok);
        ok.validate(); // exactly 6,000
        Form over = form(atLimit.replace("\"n\"", "\"nn\""));
        EmbedValidator.read(over);
        assertThat(errors(over).at("/embeds/_errors/0/code").asText()).isEqualTo("MAX_EMBED_SIZE_EXCEEDED");
    }

    @Test
    void urlsMustBeWebUrlsAndMediaMayBeAttachments() throws IOException {
        Form f = form("""
                {"embeds":[{"url":"attachment://x.png","image":{"url":"javascript:alert(1)"},
                  "thumbnail":{"url":"attachment://t.png"},"footer":{"text":"f","icon_url":"https://"},
                  "author":{"name":"a","icon_url":"http://example.org/a.png"}}]}""");
        EmbedValidator.read(f);
        JsonNode errors = errors(f).at("/embeds/0");
        assertThat(errors.at("/url/_errors/0/code").asText()).isEqualTo("URL_TYPE_INVALID_URL");
        assertThat(errors.at("/image/url/_errors/0/code").asText()).isEqualTo("URL_TYPE_INVALID_URL");
        assertThat(errors.at("/footer/icon_url/_errors/0/code").asText()).isEqualTo("URL_TYPE_INVALID_URL");
        assertThat(errors.has("thumbnail")).isFalse();
        assertThat(errors.has("author")).isFalse();
    }

    @Test
    void typesAreChecked() throws IOException {
        Form f = form("{\"embeds\":[{\"title\":5,\"color\":\"red\",\"timestamp\":12,\"fields\":{},\"footer\":\"x\"}, 3]}");
        EmbedValidator.read(f);
        JsonNode errors = errors(f).at("/embeds");
        assertThat(errors.at("/0/title/_errors/0/code").asText()).isEqualTo("STRING_TYPE_CONVERT");
        assertThat(errors.at("/0/color/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(errors.at("/0/timestamp/_errors/0/code").asText()).isEqualTo("DATE_TYPE_PARSE");
        assertThat(errors.at("/0/fields/_errors/0/code").asText()).isEqualTo("LIST_TYPE_CONVERT");
        assertThat(errors.at("/0/footer/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
        assertThat(errors.at("/1/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
        assertThatThrownBy(f::validate).isInstanceOf(ApiException.class);
    }
}
