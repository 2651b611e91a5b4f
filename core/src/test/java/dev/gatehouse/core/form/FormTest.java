package dev.gatehouse.core.form;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.protocol.Json;
import org.junit.jupiter.api.Test;

class FormTest {

    static Form form(String json) throws Exception {
        return Form.of(Json.mapper().readTree(json));
    }

    @SuppressWarnings("unchecked")
    static JsonNode errorsOf(Form f) {
        try {
            f.validate();
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FORM_BODY);
            return Json.mapper().valueToTree(e.errors());
        }
        throw new AssertionError("expected field errors");
    }

    @Test
    void collectsEveryFieldErrorInDiscordsNestedShape() throws Exception {
        Form f = form("{\"name\":\"\",\"count\":\"7\",\"flag\":1,\"id\":\"12a\",\"embeds\":[{\"title\":5},3]}");
        f.string("name", 1, 100);
        f.optInt("count", 0, 10);
        f.optBool("flag");
        f.optSnowflake("id");
        f.string("missing", 1, 5);
        for (Form embed : f.optObjects("embeds", 10)) {
            embed.optString("title", 0, 256);
        }
        JsonNode errors = errorsOf(f);
        assertThat(errors.at("/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
        assertThat(errors.at("/count/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(errors.at("/flag/_errors/0/code").asText()).isEqualTo("BOOLEAN_TYPE_CONVERT");
        assertThat(errors.at("/id/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(errors.at("/missing/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(errors.at("/embeds/0/title/_errors/0/code").asText()).isEqualTo("STRING_TYPE_CONVERT");
        assertThat(errors.at("/embeds/1/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
    }

    @Test
    void validValuesPassAndSnowflakesAcceptStringsAndNumbers() throws Exception {
        Form f = form("{\"name\":\"ok\",\"a\":\"175928847299117063\",\"b\":42,\"perms\":\"8\",\"ids\":[\"1\",2,\"1\"],\"n\":null}");
        assertThat(f.string("name", 1, 100)).isEqualTo("ok");
        assertThat(f.optSnowflake("a")).isEqualTo(175928847299117063L);
        assertThat(f.optSnowflake("b")).isEqualTo(42L);
        assertThat(f.optPermissions("perms")).isEqualTo(8L);
        assertThat(f.optSnowflakes("ids", 10)).containsExactly(1L, 2L);
        assertThat(f.has("n")).isTrue();
        assertThat(f.isNull("n")).isTrue();
        assertThat(f.optString("n", 0, 1)).isNull();
        f.validate();
    }

    @Test
    void lengthsCountCodePointsNotUtf16Units() throws Exception {
        Form f = form("{\"name\":\"\\uD83D\\uDC4D\\uD83D\\uDC4D\"}"); // two emoji, four UTF-16 units
        assertThat(f.string("name", 1, 2)).hasSize(4);
        f.validate();
    }

    @Test
    void aBodyThatIsNotAnObjectIsAnError() throws Exception {
        Form f = form("[1,2]");
        assertThat(errorsOf(f).at("/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
    }

    @Test
    void singleBuildsANestedPath() {
        ApiException e = FieldErrors.single("message_reference.message_id", "X", "y");
        JsonNode tree = Json.mapper().valueToTree(e.errors());
        assertThat(tree.at("/message_reference/message_id/_errors/0/code").asText()).isEqualTo("X");
    }

    @Test
    void idsBeyondLongRangeAreFieldErrorsNotCrashes() throws Exception {
        Form f = form("{\"a\":\"9999999999999999999\",\"b\":\"-1\",\"p\":\"99999999999999999999\"}");
        assertThat(f.optSnowflake("a")).isNull();
        assertThat(f.optSnowflake("b")).isNull();
        assertThat(f.optPermissions("p")).isNull();
        JsonNode errors = errorsOf(f);
        assertThat(errors.at("/a/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(errors.at("/p/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(Decimals.parseNonNegativeLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Decimals.parseNonNegativeLong("9223372036854775808")).isNull();
    }
}
