package dev.gatehouse.voice;

import dev.gatehouse.core.service.VoiceService;
import dev.gatehouse.voice.netty.VoiceUpgradeHandler;
import dev.gatehouse.voice.session.VoiceConnection;
import dev.gatehouse.voice.session.VoiceIO;
import dev.gatehouse.voice.session.VoiceRooms;
import dev.gatehouse.voice.udp.MediaRelay;
import dev.gatehouse.voice.udp.UdpRelayHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's voice server (docs/VOICE.md): the voice gateway, served as WebSocket upgrades on the
 * node's HTTP ports, and the UDP media relay on a port of its own. It follows the platform's voice
 * states, so a member removed from voice loses the connection (4014), and on close every
 * connection gets 4015, which tells clients to resume.
 */
public final class VoiceServer implements AutoCloseable {

    /** Where the relay binds and what Ready tells clients. */
    public record Udp(String bindHost, int port, String publicIp) {}

    private final VoiceConfig config;
    private final Clock clock;
    private final VoiceMetrics metrics;
    private final VoiceRooms rooms;
    private final SecureRandom keys = new SecureRandom();
    private final Udp udp;
    private Channel udpChannel;
    private EventLoopGroup relayLoop;
    private VoiceConnection.UdpEndpoint readyEndpoint;
    private ScheduledFuture<?> sweeper;

    public VoiceServer(VoiceService voice, VoiceConfig config, Udp udp, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.udp = udp;
        this.metrics = new VoiceMetrics(registry);
        this.rooms = new VoiceRooms(voice::find, new SplittableRandom(keys.nextLong()), config);
        metrics.watch(rooms);
        voice.listen(rooms::stateChanged);
    }

    /**
     * Binds the relay on a thread of its own, so that no WebSocket's TLS or timers on the node's
     * event loops delay a packet, and starts ending sessions (on {@code group}) that were not
     * resumed in time.
     */
    public void start(EventLoopGroup group) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        relayLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("voice-relay"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        udpChannel = new Bootstrap().group(relayLoop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new UdpRelayHandler(new MediaRelay(rooms, metrics)))
                .bind(udp.bindHost(), udp.port()).sync().channel();
        readyEndpoint = new VoiceConnection.UdpEndpoint(udp.publicIp(), udpPort());
        sweeper = group.next().scheduleAtFixedRate(() -> rooms.expire(now()), 1, 1, TimeUnit.SECONDS);
    }

    /** The relay's bound port. */
    public int udpPort() {
        return ((InetSocketAddress) udpChannel.localAddress()).getPort();
    }

    /** The handler that takes voice WebSocket upgrades in an HTTP pipeline. */
    public VoiceUpgradeHandler upgradeHandler(Consumer<ChannelPipeline> removeHttpHandlers) {
        return new VoiceUpgradeHandler(this, removeHttpHandlers);
    }

    /** A new WebSocket's state machine. */
    public VoiceConnection newConnection(int version, VoiceIO io) {
        return new VoiceConnection(version, config, rooms, io, readyEndpoint, keys, now());
    }

    public long now() {
        return clock.millis();
    }

    public VoiceMetrics metrics() {
        return metrics;
    }

    public VoiceRooms rooms() {
        return rooms;
    }

    /** Every connection closes with 4015; the relay stops. */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        rooms.shutdown();
        if (udpChannel != null) {
            udpChannel.close().syncUninterruptibly();
        }
        if (relayLoop != null) {
            relayLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
