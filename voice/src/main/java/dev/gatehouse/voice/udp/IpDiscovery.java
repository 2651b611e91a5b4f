package dev.gatehouse.voice.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * IP discovery (docs/VOICE.md §3): 74 bytes, big-endian: type (1 request, 2 response), length 70,
 * SSRC, the address as text NUL-padded to 64 bytes, port. The response carries the address and
 * port the request came from, which is where the relay will send the member's media.
 */
public final class IpDiscovery {

    public static final int LENGTH = 74;
    public static final int REQUEST = 1;
    public static final int RESPONSE = 2;
    private static final int ADDRESS_BYTES = 64;

    private IpDiscovery() {}

    /** Whether these bytes are a discovery request. */
    public static boolean isRequest(byte[] p, int len) {
        return len == LENGTH && type(p) == REQUEST && (((p[2] & 0xFF) << 8) | (p[3] & 0xFF)) == LENGTH - 4;
    }

    public static long ssrc(byte[] p) {
        return ByteBuffer.wrap(p, 4, 4).getInt() & 0xFFFF_FFFFL;
    }

    public static byte[] request(long ssrc) {
        return encode(REQUEST, ssrc, "", 0);
    }

    public static byte[] response(long ssrc, InetSocketAddress seen) {
        return encode(RESPONSE, ssrc, seen.getAddress().getHostAddress(), seen.getPort());
    }

    /** The address in a response, up to the first NUL. */
    public static String address(byte[] p) {
        int end = 8;
        while (end < 8 + ADDRESS_BYTES && p[end] != 0) {
            end++;
        }
        return new String(p, 8, end - 8, StandardCharsets.US_ASCII);
    }

    public static int port(byte[] p) {
        return ((p[LENGTH - 2] & 0xFF) << 8) | (p[LENGTH - 1] & 0xFF);
    }

    public static int type(byte[] p) {
        return ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    }

    private static byte[] encode(int type, long ssrc, String address, int port) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putShort((short) type).putShort((short) (LENGTH - 4)).putInt((int) ssrc);
        byte[] text = address.getBytes(StandardCharsets.US_ASCII);
        b.put(text, 0, Math.min(text.length, ADDRESS_BYTES - 1));
        b.position(LENGTH - 2);
        b.putShort((short) port);
        return b.array();
    }
}
