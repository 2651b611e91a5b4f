package dev.gatehouse.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delivery inside the event's section, and the rule that a change's events come from inside its section. */
class LocalEventBusTest {

    final LocalEventBus bus = new LocalEventBus();
    final List<DispatchType> heard = new ArrayList<>();

    LocalEventBusTest() {
        bus.subscribe(e -> {
            assertThat(bus.order().isWriting(e.orderKeys())).as("listeners run inside the section").isTrue();
            heard.add(e.type());
        });
    }

    @Test
    void aChangesEventsArePublishedFromInsideItsSection() {
        GatewayEvent message = GatewayEvent.channel(DispatchType.MESSAGE_CREATE, 5, 6, Map.of());
        bus.order().writing(message.orderKeys(), () -> {
            bus.publish(message);
            return null;
        });
        assertThat(heard).containsExactly(DispatchType.MESSAGE_CREATE);
    }

    /** Runs with assertions on, as every test does: a forgotten section fails loudly instead of reordering rarely. */
    @Test
    void aChangesEventPublishedOutsideItsSectionIsAProgrammingError() {
        assertThatThrownBy(() -> bus.publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, 5, 6, Map.of())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside the section");
        assertThat(heard).isEmpty();
    }

    @Test
    void whatLivesInMemoryOnlyNeedsNoSectionOfItsOwn() {
        bus.publish(GatewayEvent.channel(DispatchType.TYPING_START, 5, 6, Map.of()));
        bus.publish(GatewayEvent.guild(DispatchType.PRESENCE_UPDATE, 5, Map.of()));
        assertThat(heard).containsExactly(DispatchType.TYPING_START, DispatchType.PRESENCE_UPDATE);
    }
}
