package dev.gatehouse.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.event.LocalEventBus;
import dev.gatehouse.core.event.StreamCursors;
import dev.gatehouse.protocol.DispatchType;
import dev.gatehouse.protocol.Json;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries logged events between the nodes of a cluster on NATS ({@code docs/ARCHITECTURE.md},
 * "Cluster"). Each event this node commits is published, after its delivery here, to a JetStream
 * stream under its log stream's subject ({@code gatehouse.events.<stream>}) with a message id of
 * stream and version, so a publication repeated within the stream's duplicate window is stored
 * once. A node subscribes to the subjects of the streams it follows and nothing else, and hands
 * what comes to its bus, which delivers each version once and in order, reading from the event
 * log whatever the bus did not bring (a publication lost with a node that died between its commit
 * and its publish, or while NATS restarted). The connection does not echo: a node never hears
 * its own publications.
 */
public final class NatsEventRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsEventRelay.class);

    private static final String TYPE = "Gh-Type";
    private static final String GUILD = "Gh-Guild";
    private static final String CHANNEL = "Gh-Channel";
    private static final String USERS = "Gh-Users";
    private static final String VERSION = "Gh-Version";
    private static final String GUILD_VERSION = "Gh-Guild-Version";
    private static final String COMMITTED_AT = "Gh-At";

    /**
     * The JetStream stream events are published to, and its subjects ({@code <subjects>.<stream>}):
     * what the stream keeps, for how long, and how long a message id is remembered.
     */
    public record Settings(String stream, String subjects, Duration maxAge, Duration duplicateWindow) {
        public static final Settings DEFAULT = new Settings("GATEHOUSE_EVENTS", "gatehouse.events", Duration.ofMinutes(10),
                Duration.ofMinutes(2));

        String subject(long logStream) {
            return subjects + "." + logStream;
        }
    }

    private final Connection nats;
    private final Settings settings;
    private final JetStream jetStream;
    private final LocalEventBus bus;
    private final Dispatcher dispatcher;
    private final LongConsumer lagMillis;
    private final Map<Long, Boolean> subscribed = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong inFlight = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder received = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    /** Whatever was published while this node was away from NATS is read from the event log once it is back. */
    private final ConnectionListener reconnects = (connection, event) -> {
        if (event == ConnectionListener.Events.RECONNECTED || event == ConnectionListener.Events.RESUBSCRIBED) {
            Thread.ofVirtual().name("events-after-reconnect").start(this::catchUp);
        }
    };

    /**
     * Makes the stream if no node did, subscribes to what the bus follows now and from now on, and
     * starts relaying this node's commits.
     *
     * @param lagMillis hears, for each event received, how long after its commit it came
     */
    public static NatsEventRelay start(Connection nats, LocalEventBus bus, Settings settings, LongConsumer lagMillis)
            throws IOException, JetStreamApiException {
        ensureStream(nats.jetStreamManagement(), settings);
        NatsEventRelay relay = new NatsEventRelay(nats, settings, bus, lagMillis);
        bus.streams().listen(new StreamCursors.Listener() {
            @Override
            public void followed(long stream) {
                relay.subscribe(stream);
            }

            @Override
            public void dropped(long stream) {
                relay.unsubscribe(stream);
            }
        });
        bus.streams().followed().forEach(relay::subscribe);
        bus.relayTo(relay::publish);
        nats.addConnectionListener(relay.reconnects);
        return relay;
    }

    private NatsEventRelay(Connection nats, Settings settings, LocalEventBus bus, LongConsumer lagMillis) throws IOException {
        this.nats = nats;
        this.settings = settings;
        this.jetStream = nats.jetStream();
        this.bus = bus;
        this.lagMillis = lagMillis;
        this.dispatcher = nats.createDispatcher(this::receive);
    }

    private static void ensureStream(JetStreamManagement jsm, Settings settings) throws IOException, JetStreamApiException {
        if (jsm.getStreamNames().contains(settings.stream())) {
            return;
        }
        try {
            jsm.addStream(StreamConfiguration.builder().name(settings.stream()).subjects(settings.subjects() + ".>")
                    .storageType(StorageType.File).maxAge(settings.maxAge()).duplicateWindow(settings.duplicateWindow())
                    .build());
        } catch (JetStreamApiException e) {
            if (!jsm.getStreamNames().contains(settings.stream())) {
                throw e; // not a race with another node making it
            }
        }
    }

    private void subscribe(long stream) {
        if (subscribed.putIfAbsent(stream, Boolean.TRUE) == null) {
            dispatcher.subscribe(settings.subject(stream));
        }
    }

    private void unsubscribe(long stream) {
        if (subscribed.remove(stream) != null) {
            dispatcher.unsubscribe(settings.subject(stream));
        }
    }

    /** Publishes a commit's events; on the committing thread, so asynchronously. */
    private void publish(List<GatewayEvent> events) {
        for (GatewayEvent e : events) {
            GatewayEvent.Position at = e.position();
            Headers headers = new Headers();
            headers.add(TYPE, e.type().name());
            if (e.guildId() != null) {
                headers.add(GUILD, Long.toString(e.guildId()));
            }
            if (e.channelId() != null) {
                headers.add(CHANNEL, Long.toString(e.channelId()));
            }
            if (e.isDirected()) {
                headers.add(USERS, e.userIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            headers.add(VERSION, Long.toString(at.version()));
            headers.add(GUILD_VERSION, Long.toString(at.guildVersion()));
            headers.add(COMMITTED_AT, Long.toString(System.currentTimeMillis()));
            byte[] body = e.body() != null ? e.body() : Json.bytes(e.data());
            PublishOptions options = PublishOptions.builder().messageId(at.stream() + ":" + at.version()).build();
            inFlight.incrementAndGet();
            try {
                jetStream.publishAsync(settings.subject(at.stream()), headers, body, options).whenComplete((ack, failure) -> {
                    inFlight.decrementAndGet();
                    if (failure != null) {
                        publishFailed(e, failure);
                    } else {
                        published.increment();
                    }
                });
            } catch (RuntimeException failure) {
                inFlight.decrementAndGet();
                publishFailed(e, failure);
            }
        }
    }

    private void publishFailed(GatewayEvent e, Throwable failure) {
        // the other nodes read it from the event log instead: later, never lost
        if (publishFailures.sum() == 0 || log.isDebugEnabled()) {
            log.warn("publishing {} to NATS failed; the other nodes read it from the event log", e, failure);
        }
        publishFailures.increment();
    }

    private void receive(Message message) {
        GatewayEvent event;
        try {
            event = decode(message, settings.subjects().length() + 1);
        } catch (RuntimeException | IOException e) {
            unreadable.increment();
            log.warn("unreadable event on {}: skipped (the event log has it)", message.getSubject(), e);
            return;
        }
        received.increment();
        String at = message.getHeaders().getFirst(COMMITTED_AT);
        if (at != null) {
            lagMillis.accept(Math.max(0, System.currentTimeMillis() - Long.parseLong(at)));
        }
        bus.received(event);
    }

    private static GatewayEvent decode(Message message, int prefixLength) throws IOException {
        Headers h = message.getHeaders();
        long stream = Long.parseLong(message.getSubject().substring(prefixLength));
        DispatchType type = DispatchType.valueOf(h.getFirst(TYPE));
        Long guild = h.getFirst(GUILD) == null ? null : Long.parseLong(h.getFirst(GUILD));
        Long channel = h.getFirst(CHANNEL) == null ? null : Long.parseLong(h.getFirst(CHANNEL));
        Set<Long> users = new HashSet<>();
        if (h.getFirst(USERS) != null) {
            for (String u : h.getFirst(USERS).split(",")) {
                users.add(Long.parseLong(u));
            }
        }
        byte[] body = message.getData();
        JsonNode data = Json.mapper().readTree(body);
        GatewayEvent.Position position = new GatewayEvent.Position(stream, Long.parseLong(h.getFirst(VERSION)),
                Long.parseLong(h.getFirst(GUILD_VERSION)));
        return new GatewayEvent(type, guild, channel, users, data, position, body);
    }

    private void catchUp() {
        try {
            bus.catchUpAll();
        } catch (RuntimeException e) {
            log.warn("catching up after a NATS reconnect failed; the event log poller will", e);
        }
    }

    /** The streams this node listens to on NATS now. */
    public Set<Long> subscriptions() {
        return Set.copyOf(subscribed.keySet());
    }

    public long published() {
        return published.sum();
    }

    /** Publications not acknowledged yet: the outbox's depth, as the bus sees it. */
    public long pending() {
        return inFlight.get();
    }

    public long publishFailures() {
        return publishFailures.sum();
    }

    public long received() {
        return received.sum();
    }

    public long unreadable() {
        return unreadable.sum();
    }

    @Override
    public void close() {
        bus.relayTo(events -> { });
        nats.removeConnectionListener(reconnects);
        nats.closeDispatcher(dispatcher);
    }
}
