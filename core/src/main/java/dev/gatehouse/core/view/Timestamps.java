package dev.gatehouse.core.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Discord's ISO 8601 timestamps: microseconds and an explicit {@code +00:00} offset. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String iso(long unixMillis) {
        return FORMAT.format(Instant.ofEpochMilli(unixMillis));
    }

    public static String isoOrNull(Long unixMillis) {
        return unixMillis == null ? null : iso(unixMillis);
    }
}
