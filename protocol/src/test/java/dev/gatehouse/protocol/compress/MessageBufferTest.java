package dev.gatehouse.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageBufferTest {

    @Test
    void neverGrowsPastOneByteOverTheLimit() {
        MessageBuffer buffer = new MessageBuffer(10_000);
        buffer.added(buffer.room());
        while (buffer.length() < 10_000) {
            buffer.added(Math.min(buffer.room(), 10_000 - buffer.length()));
        }
        assertThat(buffer.room()).isEqualTo(1);
        assertThat(buffer.array()).hasSize(10_001);
        assertThatThrownBy(() -> buffer.added(1)).isInstanceOf(DecompressionException.class);
    }

    @Test
    void oncePastTheLimitItRefusesToGrowFurther() {
        MessageBuffer buffer = new MessageBuffer(3);
        assertThat(buffer.room()).isEqualTo(4);
        assertThatThrownBy(() -> buffer.added(4)).isInstanceOf(DecompressionException.class);
        assertThatThrownBy(buffer::room).isInstanceOf(DecompressionException.class);
        assertThat(buffer.array()).hasSize(4);
    }

    @Test
    void takeStartsTheNextMessage() {
        MessageBuffer buffer = new MessageBuffer(100);
        buffer.array()[0] = 7;
        buffer.added(1);
        assertThat(buffer.take()).containsExactly(7);
        assertThat(buffer.length()).isZero();
    }
}
