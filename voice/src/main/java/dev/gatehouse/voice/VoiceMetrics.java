package dev.gatehouse.voice;

import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.voice.session.VoiceRooms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the voice server reports on {@code /metrics} (docs/VOICE.md §6): WebSockets open, closes by
 * code, packets in, out and dropped by reason, bytes, relay latency. Sessions and active channels
 * are gauges over the rooms.
 */
public final class VoiceMetrics {

    /** Why the relay did not forward a packet. */
    public enum Drop {
        /** Not RTP, RTCP, discovery or a keep-alive; or RTP too short for its own header. */
        MALFORMED,
        /** Larger than a datagram on an Ethernet path (1,472 bytes); no voice client sends one. */
        OVERSIZED,
        /** No session has the packet's SSRC. */
        UNKNOWN_SSRC,
        /** The SSRC's session discovered from another address (or has not discovered yet). */
        UNKNOWN_ADDRESS,
        /** The session has not selected a protocol: there is no key yet. */
        NO_KEY,
        /** Did not authenticate under the sender's key. */
        AUTHENTICATION,
        /** Authenticated, but its nonce was used before (a replayed packet) or is too old to tell. */
        REPLAY,
        /** Over the sender's packet rate. */
        RATE,
        /** The sender is muted (by a moderator or itself) or lacks SPEAK. */
        SILENCED
    }

    // packet counts, written by the relay's one thread with plain adds and release stores: no
    // atomic read-modify-write per packet; a scrape reads them with acquire loads
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int BYTES_IN = 2;
    private static final int BYTES_OUT = 3;
    private static final int DISCOVERED = 4;
    private static final int IGNORED = 5;
    private static final int RELAYED = 6;
    private static final int DROPS = 7;
    /** Relay latency is recorded for one forwarded packet in this many: a histogram needs no more. */
    private static final int LATENCY_SAMPLE = 16;

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLongArray counts = new AtomicLongArray(DROPS + Drop.values().length);
    private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Timer relayLatency;

    public VoiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gatehouse.voice.connections", connections);
        counter("gatehouse.voice.packets.in", "UDP packets received", IN, Tags.empty());
        counter("gatehouse.voice.packets.out", "UDP packets sent", OUT, Tags.empty());
        counter("gatehouse.voice.bytes", "UDP bytes", BYTES_IN, Tags.of("direction", "in"));
        counter("gatehouse.voice.bytes", "UDP bytes", BYTES_OUT, Tags.of("direction", "out"));
        counter("gatehouse.voice.discoveries", "IP discovery answers", DISCOVERED, Tags.empty());
        counter("gatehouse.voice.packets.ignored", "keep-alives and RTCP: accepted, not forwarded", IGNORED, Tags.empty());
        for (Drop reason : Drop.values()) {
            counter("gatehouse.voice.packets.dropped", "packets not forwarded, by reason", DROPS + reason.ordinal(),
                    Tags.of("reason", reason.name().toLowerCase(Locale.ROOT)));
        }
        relayLatency = Timer.builder("gatehouse.voice.relay.latency")
                .description("from a packet's arrival to its last copy written (one packet in " + LATENCY_SAMPLE + ")")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100)).register(registry);
    }

    private void counter(String name, String description, int index, Tags tags) {
        FunctionCounter.builder(name, counts, c -> c.getAcquire(index)).description(description).tags(tags)
                .register(registry);
    }

    /** The relay thread's add: it is the only writer. */
    private void add(int index, long n) {
        counts.setRelease(index, counts.getPlain(index) + n);
    }

    /** Sessions and channels in use, read from the rooms when scraped. */
    public void watch(VoiceRooms rooms) {
        registry.gauge("gatehouse.voice.sessions", rooms, VoiceRooms::sessions);
        registry.gauge("gatehouse.voice.channels.active", rooms, VoiceRooms::activeChannels);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** A voice WebSocket closed with {@code code}, by the server or the client. */
    public void closed(int code, String by) {
        closes.computeIfAbsent(code * 2 + (by.equals("server") ? 1 : 0), k -> Counter.builder("gatehouse.voice.closes")
                .tag("code", Integer.toString(code)).tag("by", by).register(registry)).increment();
    }

    public void closed(VoiceCloseCode code) {
        closed(code.code(), "server");
    }

    public void received(int bytes) {
        add(IN, 1);
        add(BYTES_IN, bytes);
    }

    public void sent(int bytes) {
        add(OUT, 1);
        add(BYTES_OUT, bytes);
    }

    public void dropped(Drop reason) {
        add(DROPS + reason.ordinal(), 1);
    }

    public void discovered() {
        add(DISCOVERED, 1);
    }

    public void ignored() {
        add(IGNORED, 1);
    }

    /** A packet forwarded {@code nanos} after it arrived. */
    public void relayed(long nanos) {
        long n = counts.getPlain(RELAYED) + 1;
        counts.setRelease(RELAYED, n);
        if (n % LATENCY_SAMPLE == 0) {
            relayLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public double droppedCount(Drop reason) {
        return counts.getAcquire(DROPS + reason.ordinal());
    }
}
