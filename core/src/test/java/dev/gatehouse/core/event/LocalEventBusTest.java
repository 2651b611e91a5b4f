package dev.gatehouse.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.DispatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Delivery inside the event's section, the rule that a change's events come from inside its
 * section, and per-stream order: each version once, in order, whatever order they come in. (Gaps
 * read back from the log are tested with a real store: {@code EventLogDeliveryTest}.)
 */
class LocalEventBusTest {

    static final long GUILD = 5;

    final LocalEventBus bus = new LocalEventBus();
    final List<String> heard = new ArrayList<>();

    LocalEventBusTest() {
        bus.subscribe(e -> {
            assertThat(bus.order().isWriting(e.orderKeys())).as("listeners run inside the section").isTrue();
            heard.add(e.type() + (e.position() == null ? "" : "@" + e.position().version()));
        });
    }

    static GatewayEvent message(long version) {
        return GatewayEvent.channel(DispatchType.MESSAGE_CREATE, GUILD, 6, Map.of())
                .logged(new GatewayEvent.Position(GUILD, version, version), null);
    }

    @Test
    void aChangesEventsAreDeliveredFromInsideItsSection() {
        bus.order().writing(List.of(GUILD), () -> {
            bus.committed(List.of(message(1)));
            return null;
        });
        assertThat(heard).containsExactly("MESSAGE_CREATE@1");
    }

    /** Runs with assertions on, as every test does: a forgotten section fails loudly instead of reordering rarely. */
    @Test
    void aChangesEventCommittedOutsideItsSectionIsAProgrammingError() {
        assertThatThrownBy(() -> bus.committed(List.of(message(1))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside the section");
        assertThat(heard).isEmpty();
    }

    @Test
    void aChangeIsNotPublishedPastItsTransaction() {
        assertThatThrownBy(() -> bus.publish(GatewayEvent.channel(DispatchType.CHANNEL_UPDATE, GUILD, 6, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transaction");
    }

    @Test
    void whatLivesInMemoryOnlyNeedsNoSectionOfItsOwn() {
        bus.publish(GatewayEvent.channel(DispatchType.TYPING_START, GUILD, 6, Map.of()));
        bus.publish(GatewayEvent.guild(DispatchType.PRESENCE_UPDATE, GUILD, Map.of()));
        assertThat(heard).containsExactly("TYPING_START", "PRESENCE_UPDATE");
    }

    @Test
    void aFollowedStreamIsDeliveredOnceInVersionOrderWhateverTheOrderOfArrival() {
        bus.order().writing(List.of(GUILD), () -> bus.streams().follow(GUILD, 2));
        for (long v : new long[] {4, 3, 1, 2, 3, 5, 4, 6}) {
            bus.received(message(v));
        }
        assertThat(heard).containsExactly("MESSAGE_CREATE@3", "MESSAGE_CREATE@4", "MESSAGE_CREATE@5", "MESSAGE_CREATE@6");
        assertThat(bus.duplicates()).as("1, 2 (followed from 2), and 3 and 4 again").isEqualTo(4);
    }

    /** A session taken over from another node catches up from what the node still holds, or from the log. */
    @Test
    void theLastDeliveredEventsAreHeldForLateJoiners() {
        bus.order().writing(List.of(GUILD), () -> bus.streams().follow(GUILD, 0));
        for (long v = 1; v <= 300; v++) {
            bus.received(message(v));
        }
        List<Long> recent = bus.order().reading(GUILD, () -> bus.streams().recent(GUILD, 250, 260)).stream()
                .map(e -> e.position().version()).toList();
        assertThat(recent).containsExactly(251L, 252L, 253L, 254L, 255L, 256L, 257L, 258L, 259L, 260L);
        assertThat(bus.order().reading(GUILD, () -> bus.streams().recent(GUILD, 10, 20))).as("no longer held: read the log").isNull();
        assertThat(bus.order().reading(GUILD, () -> bus.streams().recent(GUILD, 300, 300))).as("nothing past it").isEmpty();
    }

    @Test
    void eventsOfStreamsNobodyHereFollowsAreNotHeardFromElsewhere() {
        bus.received(message(1));
        assertThat(heard).isEmpty();
    }

    @Test
    void aListenersOwnChangeToTheStreamWaitsForTheDeliveryUnderWay() {
        bus.order().writing(List.of(GUILD), () -> bus.streams().follow(GUILD, 0));
        bus.subscribe(e -> {
            if (e.position() != null && e.position().version() == 1) {
                // a listener's change (a voice disconnect on a member's removal) commits version 3
                // while version 2 of the same commit is still to come
                bus.committed(List.of(message(3)));
            }
        });
        bus.order().writing(List.of(GUILD), () -> {
            bus.committed(List.of(message(1), message(2)));
            return null;
        });
        assertThat(heard).containsExactly("MESSAGE_CREATE@1", "MESSAGE_CREATE@2", "MESSAGE_CREATE@3");
    }
}
