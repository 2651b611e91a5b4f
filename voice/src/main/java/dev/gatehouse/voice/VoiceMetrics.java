package dev.gatehouse.voice;

import dev.gatehouse.protocol.voice.VoiceCloseCode;
import dev.gatehouse.voice.session.VoiceRooms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter packetsIn;
    private final Counter packetsOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter discoveries;
    private final Counter ignored;
    private final Map<Drop, Counter> drops = new EnumMap<>(Drop.class);
    private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Timer relayLatency;

    public VoiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gatehouse.voice.connections", connections);
        packetsIn = Counter.builder("gatehouse.voice.packets.in").description("UDP packets received").register(registry);
        packetsOut = Counter.builder("gatehouse.voice.packets.out").description("UDP packets sent").register(registry);
        bytesIn = Counter.builder("gatehouse.voice.bytes").tag("direction", "in").register(registry);
        bytesOut = Counter.builder("gatehouse.voice.bytes").tag("direction", "out").register(registry);
        discoveries = Counter.builder("gatehouse.voice.discoveries").description("IP discovery answers").register(registry);
        ignored = Counter.builder("gatehouse.voice.packets.ignored")
                .description("keep-alives and RTCP: accepted, not forwarded").register(registry);
        for (Drop reason : Drop.values()) {
            drops.put(reason, Counter.builder("gatehouse.voice.packets.dropped")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        relayLatency = Timer.builder("gatehouse.voice.relay.latency")
                .description("from a packet's arrival to its last copy written")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100)).register(registry);
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

    public int connections() {
        return connections.get();
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
        packetsIn.increment();
        bytesIn.increment(bytes);
    }

    public void sent(int bytes) {
        packetsOut.increment();
        bytesOut.increment(bytes);
    }

    public void dropped(Drop reason) {
        drops.get(reason).increment();
    }

    public void discovered() {
        discoveries.increment();
    }

    public void ignored() {
        ignored.increment();
    }

    public void relayed(long nanos) {
        relayLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public double droppedCount(Drop reason) {
        return drops.get(reason).count();
    }

    public double sentCount() {
        return packetsOut.count();
    }
}
