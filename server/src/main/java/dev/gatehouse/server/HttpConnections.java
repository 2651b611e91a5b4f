package dev.gatehouse.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open HTTP connections of a server and whether each owes an answer, so shutdown can close
 * the idle ones at once and let the busy ones finish. Counting requests in the dispatcher is not
 * enough: a request whose bytes arrived but which no handler has read yet counts nowhere, and
 * closing its connection would leave the client with no answer.
 */
final class HttpConnections {

    private final Set<Tracker> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** A new handler for one connection; put it right after the HTTP codec. */
    ChannelHandler handler() {
        return new Tracker();
    }

    int open() {
        return open.size();
    }

    int busy() {
        return (int) open.stream().filter(t -> t.pending > 0).count();
    }

    /**
     * From now on every connection closes once it has answered what it was asked; idle ones close
     * now. A connection that has not sent its first request yet gets {@code grace} to send it (it
     * was accepted, so its client is about to). Returns the connections still open at
     * {@code timeout}: those the caller closes unanswered.
     */
    int drain(Duration grace, Duration timeout) throws InterruptedException {
        draining = true;
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            boolean graceOver = System.nanoTime() - started >= grace.toNanos();
            for (Tracker t : open) {
                t.closeIfIdle(graceOver);
            }
            Thread.sleep(20);
        }
        return open.size();
    }

    private final class Tracker extends ChannelDuplexHandler {

        private volatile Channel channel;
        /** Requests read and not yet answered; written on the event loop only, read by drain(). */
        private volatile int pending;
        /** Whether this connection has answered anything yet (event loop only). */
        private boolean served;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            open.add(this);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.remove(this);
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                pending++;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().code() == 101) {
                // upgraded to a WebSocket: no longer an HTTP connection, the gateway drains its sessions
                open.remove(this);
            } else if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                pending = Math.max(0, pending - 1);
                served = true;
                if (draining && pending == 0) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ChannelPromise p = promise.unvoid();
                    ctx.write(msg, p);
                    p.addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            ctx.write(msg, promise);
        }

        void closeIfIdle(boolean graceOver) {
            Channel c = channel;
            if (c == null) {
                return;
            }
            c.eventLoop().execute(() -> {
                if (pending == 0 && (served || graceOver)) {
                    c.close();
                }
            });
        }
    }
}
