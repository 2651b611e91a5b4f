package dev.gatehouse.bench.voice;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who is where in the bare relay's fixed world: member {@code i} is in channel {@code i / perChannel}
 * with SSRC {@code i + 1} and a key derived from it, known to both the relay and the load clients
 * without any signalling.
 */
record BenchLayout(int channels, int perChannel) {

    int members() {
        return channels * perChannel;
    }

    long ssrc(int member) {
        return member + 1L;
    }

    /** The member with this SSRC, or -1. */
    int member(long ssrc) {
        return ssrc >= 1 && ssrc <= members() ? (int) (ssrc - 1) : -1;
    }

    int firstOfChannel(int member) {
        return member - member % perChannel;
    }

    static byte[] key(long ssrc) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(8).putLong(ssrc).array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
