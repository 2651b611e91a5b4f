package dev.gatehouse.bench.voice;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor for the voice benchmark: the least a relay must do. Netty epoll UDP on one event loop;
 * members are fixed by number ({@link BenchLayout}), so there is no signalling, no discovery check
 * beyond "the first packet of an SSRC binds its address", no rate limit, no replay window, no
 * permissions and no metrics. Each RTP packet is decrypted with the sender's AES-256-GCM key and
 * encrypted for each other member of its channel with theirs.
 *
 * <pre>java -cp gatehouse-bench.jar dev.gatehouse.bench.voice.BareRelay --port 50100 --channels 160 --members 10</pre>
 */
public final class BareRelay {

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> opts = dev.gatehouse.bench.Options.parse(args,
                java.util.Map.of("port", "50100", "channels", "160", "members", "10"));
        BenchLayout layout = new BenchLayout(Integer.parseInt(opts.get("channels")), Integer.parseInt(opts.get("members")));
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new Handler(layout)).bind("127.0.0.1", Integer.parseInt(opts.get("port"))).sync();
        System.out.println("READY " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }

    private static final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final BenchLayout layout;
        private final InetSocketAddress[] addresses;
        private final SecretKeySpec[] keys;
        private final int[] counters;
        private final Cipher cipher;
        private final byte[] buffer = new byte[2048];
        private final byte[] nonce = new byte[12];

        Handler(BenchLayout layout) throws GeneralSecurityException {
            this.layout = layout;
            int n = layout.members();
            addresses = new InetSocketAddress[n];
            keys = new SecretKeySpec[n];
            counters = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = new SecretKeySpec(BenchLayout.key(layout.ssrc(i)), "AES");
            }
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) throws Exception {
            ByteBuf content = packet.content();
            int len = content.readableBytes();
            content.getBytes(content.readerIndex(), buffer, 0, len);
            int member = layout.member(((buffer[8] & 0xFFL) << 24) | ((buffer[9] & 0xFFL) << 16) | ((buffer[10] & 0xFFL) << 8)
                    | (buffer[11] & 0xFFL));
            if (member < 0) {
                return;
            }
            if (addresses[member] == null) {
                addresses[member] = packet.sender(); // the first packet binds, as discovery would
            }
            if (len < 12 + 16 + 4 || !packet.sender().equals(addresses[member])) {
                return;
            }
            java.util.Arrays.fill(nonce, (byte) 0);
            System.arraycopy(buffer, len - 4, nonce, 0, 4);
            cipher.init(Cipher.DECRYPT_MODE, keys[member], new GCMParameterSpec(128, nonce));
            cipher.updateAAD(buffer, 0, 12);
            byte[] plain;
            try {
                plain = cipher.doFinal(buffer, 12, len - 16);
            } catch (javax.crypto.AEADBadTagException forged) {
                return;
            }
            int first = layout.firstOfChannel(member);
            for (int other = first; other < first + layout.perChannel(); other++) {
                if (other == member || addresses[other] == null) {
                    continue;
                }
                byte[] out = new byte[12 + plain.length + 16 + 4];
                System.arraycopy(buffer, 0, out, 0, 12);
                int c = counters[other]++;
                java.util.Arrays.fill(nonce, (byte) 0);
                nonce[0] = (byte) (c >>> 24);
                nonce[1] = (byte) (c >>> 16);
                nonce[2] = (byte) (c >>> 8);
                nonce[3] = (byte) c;
                cipher.init(Cipher.ENCRYPT_MODE, keys[other], new GCMParameterSpec(128, nonce));
                cipher.updateAAD(out, 0, 12);
                cipher.doFinal(plain, 0, plain.length, out, 12);
                System.arraycopy(nonce, 0, out, out.length - 4, 4);
                ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(out), addresses[other]), ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
