package dev.gatehouse.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;

/**
 * Writes a {@code Long} as a JSON number, for the few longs of the wire contract that are times in
 * milliseconds rather than snowflakes ({@link Json} writes every other long as a string). Such
 * times stay below 2^53, so JavaScript reads them exactly.
 */
public final class LongAsNumber extends JsonSerializer<Long> {
    @Override
    public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeNumber(value);
    }
}
