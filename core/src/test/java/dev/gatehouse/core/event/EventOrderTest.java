package dev.gatehouse.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One writer per key, readers between writers, and the nesting rule that keeps sections deadlock-free. */
class EventOrderTest {

    final EventOrder order = new EventOrder();

    @Test
    void aSecondWriterOfAKeyWaitsForTheFirstAndAReaderForBoth() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofPlatform().start(() -> order.writing(List.of(7L), () -> {
            inside.countDown();
            await(release);
            return null;
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean secondRan = new AtomicBoolean();
        AtomicBoolean readerRan = new AtomicBoolean();
        Thread second = Thread.ofPlatform().start(() -> order.writing(List.of(7L), () -> secondRan.getAndSet(true)));
        Thread reader = Thread.ofPlatform().start(() -> order.reading(7L, () -> readerRan.getAndSet(true)));
        while (order.waiting(7L) < 2) {
            Thread.sleep(5);
        }
        assertThat(secondRan).isFalse();
        assertThat(readerRan).isFalse();
        release.countDown();
        first.join();
        second.join();
        reader.join();
        assertThat(secondRan).isTrue();
        assertThat(readerRan).isTrue();
    }

    @Test
    void nestedSectionsMayOnlyReEnterWhatTheOuterOneHolds() {
        assertThat(order.writing(List.of(1L, 2L), () -> order.writing(List.of(2L), () -> "same key"))).isEqualTo("same key");
        assertThat(order.writing(List.of(1L), () -> order.reading(1L, () -> "read inside write"))).isEqualTo("read inside write");
        assertThatThrownBy(() -> order.writing(List.of(1L), () -> order.writing(List.of(3L), () -> null)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> order.reading(1L, () -> order.writing(List.of(1L), () -> null)))
                .as("a reader cannot become a writer").isInstanceOf(IllegalStateException.class);
        assertThat(order.writing(List.of(3L), () -> "free again after the failures")).isNotNull();
    }

    @Test
    void aThreadKnowsWhichKeysItWrites() {
        assertThat(order.isWriting(List.of(1L))).isFalse();
        order.writing(List.of(1L, 2L), () -> {
            assertThat(order.isWriting(List.of(2L))).isTrue();
            assertThat(order.isWriting(List.of(1L, 2L))).isTrue();
            assertThat(order.isWriting(List.of(1L, 77L))).isFalse();
            return null;
        });
        order.reading(1L, () -> assertThat(order.isWriting(List.of(1L))).as("a reader is no writer").isFalse());
        assertThat(order.isWriting(List.of(1L))).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
