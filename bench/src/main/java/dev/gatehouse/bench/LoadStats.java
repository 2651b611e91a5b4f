package dev.gatehouse.bench;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** What one load process counts, over all its sessions: deliveries and their latency, losses, reconnections. */
final class LoadStats {

    final LongAdder identified = new LongAdder();
    final LongAdder reidentified = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder churned = new LongAdder();
    final LongAdder stopped = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    final AtomicLong firstDelivery = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastDelivery = new AtomicLong();
    /** Microseconds from the POST to receipt, up to one minute. */
    final Recorder latency = new Recorder(60_000_000L, 3);
    /** Microseconds from a session's start (its connect) to its first READY, up to five minutes. */
    final Recorder identifyLatency = new Recorder(300_000_000L, 3);

    /** Wall-clock microseconds: comparable across the processes of one machine. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    void closed(int code) {
        closes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void identifiedAfter(long micros) {
        identifyLatency.recordValue(Math.max(0, Math.min(micros, 300_000_000L)));
    }

    void delivered(long micros) {
        deliveries.increment();
        latency.recordValue(Math.max(0, Math.min(micros, 60_000_000L)));
        long now = nowMicros();
        firstDelivery.accumulateAndGet(now, Math::min);
        lastDelivery.accumulateAndGet(now, Math::max);
    }

    void reset() {
        latency.getIntervalHistogram();
        deliveries.reset();
        duplicates.reset();
        resumed.reset();
        reidentified.reset();
        churned.reset();
        closes.clear();
        firstDelivery.set(Long.MAX_VALUE);
        lastDelivery.set(0);
    }
}
