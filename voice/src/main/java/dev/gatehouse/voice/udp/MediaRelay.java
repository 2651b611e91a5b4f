package dev.gatehouse.voice.udp;

import dev.gatehouse.voice.VoiceMetrics;
import dev.gatehouse.voice.VoiceMetrics.Drop;
import dev.gatehouse.voice.crypto.Rtp;
import dev.gatehouse.voice.crypto.TransportCipher;
import dev.gatehouse.voice.session.VoiceRoom;
import dev.gatehouse.voice.session.VoiceRooms;
import dev.gatehouse.voice.session.VoiceSession;
import java.net.InetSocketAddress;

/**
 * The media path, without the socket (docs/VOICE.md §3): IP discovery binds a session to the
 * address it came from; an RTP packet from that address is authenticated and decrypted with the
 * sender's key, then encrypted for each listener in the channel with theirs, SSRC, sequence and
 * timestamp kept. Keep-alives and RTCP are accepted and go nowhere. Everything else is dropped
 * and counted by reason, never forwarded.
 *
 * <p>Runs on one thread (the UDP channel's event loop): the ciphers and rate budgets it uses are
 * not thread-safe.
 */
public final class MediaRelay {

    /** Where the relay's packets go: {@code packet[0..length)} is the relay's to reuse once the call returns. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] packet, int length, InetSocketAddress to);
    }

    /** The largest UDP payload on a 1,500-byte MTU path; Opus frames are far smaller. */
    public static final int MAX_PACKET = 1472;
    private static final VoiceSession[] NOBODY = {};

    private final VoiceRooms rooms;
    private final VoiceMetrics metrics;
    // reused for every packet: forwarding allocates no buffers
    private final byte[] plain = new byte[MAX_PACKET];
    private final byte[] header = new byte[Rtp.FIXED_HEADER + 4];
    private final byte[] out = new byte[MAX_PACKET + TransportCipher.TAG + TransportCipher.NONCE_SUFFIX];

    public MediaRelay(VoiceRooms rooms, VoiceMetrics metrics) {
        this.rooms = rooms;
        this.metrics = metrics;
    }

    public void receive(byte[] p, int len, InetSocketAddress from, long nanos, Sender out) {
        metrics.received(len);
        if (len > MAX_PACKET) {
            metrics.dropped(Drop.OVERSIZED);
        } else if (IpDiscovery.isRequest(p, len)) {
            discover(IpDiscovery.ssrc(p), from, out);
        } else if (Rtp.isRtcp(p, len) || len < Rtp.FIXED_HEADER) {
            // RTCP reports, 8-byte keep-alives, JDA's 9-byte ones and empty datagrams: accepted, never echoed
            metrics.ignored();
        } else if (Rtp.isRtp(p, len)) {
            relay(p, len, from, nanos, out);
        } else {
            metrics.dropped(Drop.MALFORMED);
        }
    }

    /**
     * The first discovery binds the session to its source address; a repeat from the same address is
     * answered again (the answer may have been lost), one from another address is not: nobody who
     * merely learned an SSRC can redirect a member's media.
     */
    private void discover(long ssrc, InetSocketAddress from, Sender out) {
        VoiceSession session = rooms.bySsrc(ssrc);
        if (session == null) {
            metrics.dropped(Drop.UNKNOWN_SSRC);
            return;
        }
        InetSocketAddress bound = session.address();
        if (bound != null && !bound.equals(from)) {
            metrics.dropped(Drop.UNKNOWN_ADDRESS);
            return;
        }
        session.discovered(from);
        metrics.discovered();
        byte[] answer = IpDiscovery.response(ssrc, from);
        send(answer, answer.length, from, out);
    }

    private void relay(byte[] p, int len, InetSocketAddress from, long started, Sender output) {
        VoiceSession sender = rooms.bySsrc(Rtp.ssrc(p));
        if (sender == null) {
            metrics.dropped(Drop.UNKNOWN_SSRC);
            return;
        }
        if (!from.equals(sender.address())) {
            metrics.dropped(Drop.UNKNOWN_ADDRESS);
            return;
        }
        TransportCipher cipher = sender.cipher();
        ReplayWindow replays = sender.replays();
        if (cipher == null) {
            metrics.dropped(Drop.NO_KEY);
            return;
        }
        if (!sender.packets().tryTake(started)) {
            metrics.dropped(Drop.RATE);
            return;
        }
        int clear = Rtp.clearLength(p, len);
        int plainLength = cipher.open(p, len, clear, plain);
        if (plainLength < 0) {
            metrics.dropped(Drop.AUTHENTICATION);
            return;
        }
        if (!replays.accept(nonceCounter(p, len))) {
            metrics.dropped(Drop.REPLAY);
            return;
        }
        if (sender.silenced()) {
            metrics.dropped(Drop.SILENCED);
            return;
        }
        int extension = Rtp.extensionBodyLength(p, len);
        int payloadEnd = plainLength;
        if ((p[0] & 0x20) != 0) {
            int padding = plainLength > 0 ? plain[plainLength - 1] & 0xFF : 0;
            if (padding == 0 || padding > plainLength - extension) {
                metrics.dropped(Drop.MALFORMED);
                return;
            }
            payloadEnd -= padding;
        }
        if (extension > payloadEnd) {
            metrics.dropped(Drop.MALFORMED);
            return;
        }
        int headerLength = forwardedHeader(p, header);
        VoiceRoom room = sender.room();
        for (VoiceSession listener : room == null ? NOBODY : room.members()) {
            InetSocketAddress to = listener.address();
            TransportCipher theirs = listener.cipher();
            if (listener == sender || to == null || theirs == null || listener.deafened()) {
                continue;
            }
            send(out, theirs.seal(header, headerLength, plain, payloadEnd, out, 0), to, output);
        }
        metrics.relayed(System.nanoTime() - started);
    }

    /**
     * The header listeners get: the sender's sequence, timestamp and SSRC, its extension preamble,
     * no CSRCs, no padding and no marker bit (receivers read the second byte as the payload type).
     */
    private static int forwardedHeader(byte[] p, byte[] h) {
        boolean extension = (p[0] & 0x10) != 0;
        System.arraycopy(p, 0, h, 0, Rtp.FIXED_HEADER);
        h[0] = (byte) (0x80 | (extension ? 0x10 : 0));
        h[1] = (byte) (p[1] & 0x7F);
        if (extension) {
            System.arraycopy(p, Rtp.FIXED_HEADER + 4 * (p[0] & 0x0F), h, Rtp.FIXED_HEADER, 4);
        }
        return Rtp.FIXED_HEADER + (extension ? 4 : 0);
    }

    private static long nonceCounter(byte[] p, int len) {
        return ((p[len - 4] & 0xFFL) << 24) | ((p[len - 3] & 0xFFL) << 16) | ((p[len - 2] & 0xFFL) << 8) | (p[len - 1] & 0xFFL);
    }

    private void send(byte[] packet, int length, InetSocketAddress to, Sender output) {
        output.send(packet, length, to);
        metrics.sent(length);
    }
}
