package dev.gatehouse.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The one JSON configuration of the wire contract, shared by server and client.
 *
 * <p>Convention: every Java {@code long} in a payload is a snowflake or a permission bit set, and
 * Discord sends both as JSON strings (JavaScript loses precision above 2^53). So all {@code long}
 * and {@code Long} values are written as strings; plain numbers use {@code int} or {@code double}.
 * Reading accepts both forms. Property names are snake_case, as on the wire.
 */
public final class Json {

    private static final ObjectMapper MAPPER = create();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        SimpleModule longsAsStrings = new SimpleModule("gatehouse-longs-as-strings");
        JsonSerializer<Long> asString = new JsonSerializer<>() {
            @Override
            public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Long.toString(value));
            }
        };
        longsAsStrings.addSerializer(Long.class, asString);
        longsAsStrings.addSerializer(Long.TYPE, asString);
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addModule(longsAsStrings)
                .build();
    }

    /** Serialises a payload; payload records never fail to serialise, so a failure is a bug. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("unserialisable payload " + value.getClass().getName(), e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("unserialisable payload " + value.getClass().getName(), e);
        }
    }
}
