package dev.gatehouse.voice.crypto;

/**
 * The parts of an RTP packet (RFC 3550) the relay reads. In the {@code _rtpsize} modes the fixed
 * header, the CSRCs and the 4-byte preamble of a header extension travel in the clear as additional
 * data; the extension's body and the payload are encrypted.
 */
public final class Rtp {

    public static final int FIXED_HEADER = 12;
    public static final int OPUS_PAYLOAD_TYPE = 0x78;

    private Rtp() {}

    /** Whether the packet is RTP version 2 and long enough for its own header. */
    public static boolean isRtp(byte[] p, int len) {
        return len >= FIXED_HEADER && (p[0] & 0xC0) == 0x80 && clearLength(p, len) <= len;
    }

    /**
     * RTCP shares the port (RFC 5761): payload types 200 to 204 sit where RTP's marker bit and
     * payload type are.
     */
    public static boolean isRtcp(byte[] p, int len) {
        int type = len >= 2 ? p[1] & 0xFF : 0;
        return len >= 8 && (p[0] & 0xC0) == 0x80 && type >= 200 && type <= 204;
    }

    public static long ssrc(byte[] p) {
        return ((p[8] & 0xFFL) << 24) | ((p[9] & 0xFFL) << 16) | ((p[10] & 0xFFL) << 8) | (p[11] & 0xFFL);
    }

    /** The header bytes sent in the clear: fixed header, CSRCs and, with the X bit, the extension preamble. */
    public static int clearLength(byte[] p, int len) {
        int csrcs = p[0] & 0x0F;
        int clear = FIXED_HEADER + 4 * csrcs;
        if ((p[0] & 0x10) != 0) {
            clear += 4;
        }
        return clear;
    }

    /** The extension body's length in bytes (inside the encrypted part), 0 without the X bit. */
    public static int extensionBodyLength(byte[] p, int len) {
        if ((p[0] & 0x10) == 0) {
            return 0;
        }
        int preamble = FIXED_HEADER + 4 * (p[0] & 0x0F);
        return preamble + 4 <= len ? 4 * (((p[preamble + 2] & 0xFF) << 8) | (p[preamble + 3] & 0xFF)) : 0;
    }
}
