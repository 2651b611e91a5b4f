package dev.gatehouse.core.event;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node bus: listeners are called on the publishing thread inside the event's key
 * section, so a listener must hand slow work off (the gateway hands each event to its event loops)
 * and must never wait for another key's section. A failing listener is logged and never stops
 * delivery to the others or fails the request that published.
 */
public final class LocalEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(LocalEventBus.class);

    private final CopyOnWriteArrayList<Consumer<GatewayEvent>> listeners = new CopyOnWriteArrayList<>();
    private final EventOrder order = new EventOrder();

    @Override
    public void publish(GatewayEvent event) {
        // a change's events are published in the section its transaction committed in, or they could
        // go out in another order than the commits (checked wherever assertions run: every test)
        assert !event.reportsCommittedChange() || order.isWriting(event.orderKeys())
                : event.type() + " published outside the section of the change it reports";
        order.writing(event.orderKeys(), () -> {
            for (Consumer<GatewayEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    log.error("event listener failed on {}", event.type(), e);
                }
            }
            return null;
        });
    }

    @Override
    public AutoCloseable subscribe(Consumer<GatewayEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public EventOrder order() {
        return order;
    }
}
