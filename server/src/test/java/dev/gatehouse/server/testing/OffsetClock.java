package dev.gatehouse.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server clock that runs with the wall clock until the test moves it forward: the server behaves
 * as on the system clock, and a window or a timer the test waits out passes at once instead of
 * being slept through. It only moves forward, so whatever is due stays due.
 */
public final class OffsetClock extends Clock {

    private final AtomicLong offsetMillis = new AtomicLong();

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward: " + by);
        }
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // the server keeps time in UTC
    }
}
