package dev.gatehouse.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.gateway.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SendPacerTest {

    static final int LAZY = Opcode.LAZY_REQUEST.code();
    static final int PRESENCE = Opcode.PRESENCE_UPDATE.code();
    static final int MEMBERS = Opcode.REQUEST_GUILD_MEMBERS.code();

    final SendPacer pacer = new SendPacer(SendLimits.defaults());
    final List<SendPacer.Queued> sent = new ArrayList<>();
    final List<Long> sentAt = new ArrayList<>();
    final List<String> outcomes = new ArrayList<>();

    SendPacer.Queued frame(int op, int n) {
        return new SendPacer.Queued(op, Integer.toString(n), outcomes::add);
    }

    void release(long now) {
        for (SendPacer.Queued f : pacer.release(now)) {
            sent.add(f);
            sentAt.add(now);
        }
    }

    static int n(SendPacer.Queued f) {
        return Integer.parseInt(f.frame());
    }

    @Test
    void theApplicationGetsAllButTheReservedShareOfEachWindow() {
        for (int i = 0; i < 500; i++) {
            assertThat(pacer.offer(frame(LAZY, i))).isTrue();
        }
        release(0);
        assertThat(sent).hasSize(110);
        assertThat(pacer.nextReleaseAt(0)).isEqualTo(61_000); // the window plus the margin
        release(60_999);
        assertThat(sent).hasSize(110);
        release(61_000);
        assertThat(sent).hasSize(220);
        assertThat(sent).extracting(SendPacerTest::n).isSorted();
    }

    @Test
    void reservedSendsAlwaysFindRoomAndCount() {
        for (int i = 0; i < 200; i++) {
            pacer.offer(frame(LAZY, i));
        }
        pacer.sentReserved(0); // identify
        release(0);
        assertThat(sent).as("identify took one of the window's 120, the application keeps 10 clear").hasSize(109);
        for (int i = 0; i < 10; i++) {
            pacer.sentReserved(1); // heartbeats: never refused
        }
        release(2);
        assertThat(sent).hasSize(109);
    }

    /** Whatever the application does, no window-long interval holds more than the server's 120. */
    @Test
    void noIntervalOfAWindowEverHoldsMoreThanTheLimit() {
        Random random = new Random(7);
        List<Long> all = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 5_000; step++) {
            now += random.nextInt(400);
            if (random.nextInt(200) == 0) { // about a heartbeat a minute, as in life
                pacer.sentReserved(now);
                all.add(now);
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                pacer.offer(frame(random.nextBoolean() ? LAZY : random.nextBoolean() ? PRESENCE : MEMBERS, step));
            }
            int before = sent.size();
            release(now);
            for (int i = before; i < sent.size(); i++) {
                all.add(now);
            }
        }
        all.sort(null);
        for (int i = 0, j = 0; i < all.size(); i++) {
            while (all.get(i) - all.get(j) >= 60_000) {
                j++;
            }
            assertThat(i - j + 1).as("sends in the 60 s before %d", all.get(i)).isLessThanOrEqualTo(120);
        }
        assertThat(sent.size()).as("the application got most of the budget").isGreaterThan(1_000);
    }

    @Test
    void anOpcodeAtItsLimitDoesNotHoldUpOthers() {
        for (int i = 0; i < 5; i++) {
            pacer.offer(frame(MEMBERS, i));
        }
        pacer.offer(frame(LAZY, 99));
        release(0);
        assertThat(sent).extracting(SendPacerTest::n).containsExactly(0, 1, 2, 99);
        assertThat(pacer.nextReleaseAt(0)).isEqualTo(11_000);
        release(11_000);
        assertThat(sent).extracting(SendPacerTest::n).containsExactly(0, 1, 2, 99, 3, 4);
    }

    @Test
    void aNewerPresenceReplacesOneStillWaiting() {
        for (int i = 0; i < 5; i++) {
            pacer.offer(frame(PRESENCE, i));
            release(i);
        }
        pacer.offer(frame(PRESENCE, 5));
        pacer.offer(frame(PRESENCE, 6));
        pacer.offer(frame(PRESENCE, 7));
        assertThat(outcomes).as("5 and 6 were superseded while waiting").containsExactly(SendPacer.SUPERSEDED, SendPacer.SUPERSEDED);
        release(21_000);
        assertThat(sent).extracting(SendPacerTest::n).containsExactly(0, 1, 2, 3, 4, 7);
        assertThat(pacer.nextReleaseAt(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNewConnectionCountsAfreshAndAnEndedSessionDropsWhatWaits() {
        for (int i = 0; i < 115; i++) {
            pacer.offer(frame(LAZY, i));
        }
        release(0);
        assertThat(sent).hasSize(110);
        pacer.newConnection();
        release(1);
        assertThat(sent).hasSize(115);
        pacer.offer(frame(LAZY, 200));
        pacer.offer(frame(MEMBERS, 201));
        for (int i = 0; i < 3; i++) {
            pacer.offer(frame(MEMBERS, 202 + i));
        }
        release(2);
        pacer.dropAll("gone");
        assertThat(outcomes).containsExactly("gone");
        assertThat(pacer.nextReleaseAt(3)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theQueueIsBounded() {
        for (int i = 0; i < SendPacer.MAX_QUEUED; i++) {
            assertThat(pacer.offer(frame(LAZY, i))).isTrue();
        }
        assertThat(pacer.offer(frame(LAZY, -1))).isFalse();
    }
}
