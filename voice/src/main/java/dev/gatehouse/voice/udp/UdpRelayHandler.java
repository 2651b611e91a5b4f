package dev.gatehouse.voice.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Hands each datagram to the {@link MediaRelay} and writes what it sends; flushes once per read batch. */
public final class UdpRelayHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    /** Room for any datagram the relay takes and then some: a longer one is read this far and dropped as oversized. */
    private static final int MAX_DATAGRAM = MediaRelay.MAX_PACKET + 1;

    private final MediaRelay relay;
    private final byte[] buffer = new byte[MAX_DATAGRAM];

    public UdpRelayHandler(MediaRelay relay) {
        this.relay = relay;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = Math.min(content.readableBytes(), MAX_DATAGRAM);
        content.getBytes(content.readerIndex(), buffer, 0, len);
        // the real length: the relay drops what is longer than MAX_PACKET before reading any of it
        relay.receive(buffer, content.readableBytes(), packet.sender(), System.nanoTime(),
                (bytes, length, to) -> ctx.write(new DatagramPacket(ctx.alloc().directBuffer(length).writeBytes(bytes, 0, length), to),
                        ctx.voidPromise()));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an ICMP "port unreachable" from a listener that went away surfaces here: keep relaying
    }
}
