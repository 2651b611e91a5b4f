package dev.gatehouse.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InOrderOnLoopTest {

    final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /**
     * The race behind seq 3 overtaking seq 2: another thread queues seq 2 while a task on the loop
     * is running; that task then submits seq 3. Seq 2 must still run first.
     */
    @Test
    void anActionOnTheLoopWaitsForActionsOtherThreadsQueuedBeforeIt() throws Exception {
        InOrderOnLoop inOrder = new InOrderOnLoop(loop);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch loopBusy = new CountDownLatch(1);
        CountDownLatch twoQueued = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            loopBusy.countDown();
            await(twoQueued);
            inOrder.run(() -> ran.add(3));
            loop.execute(done::countDown);
        });
        await(loopBusy);
        inOrder.run(() -> ran.add(2)); // from this thread: queued behind the running task
        twoQueued.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(2, 3);
    }

    @Test
    void withNothingQueuedAnActionOnTheLoopRunsAtOnce() throws Exception {
        InOrderOnLoop inOrder = new InOrderOnLoop(loop);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            inOrder.run(() -> ran.add("inline"));
            ran.add("after");
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("inline", "after");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
