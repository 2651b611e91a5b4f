package dev.gatehouse.protocol.compress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Server-message sequences for codec tests: the awkward sizes and contents a stream must survive. */
final class Messages {
    private Messages() {}

    /**
     * Empty messages (twice in a row, where zlib has nothing to flush), a single byte, 100 KiB of
     * random bytes (incompressible, larger than every window), 100 KiB of one repeated byte, and
     * JSON dispatches that repeat each other's keys, as a gateway sends them.
     */
    static List<byte[]> mixed() {
        Random random = new Random(20251122);
        List<byte[]> messages = new ArrayList<>();
        messages.add(new byte[0]);
        messages.add(new byte[] {42});
        messages.add(new byte[0]);
        messages.add(new byte[0]);
        messages.add(randomBytes(random, 100 * 1024));
        byte[] repetitive = new byte[100 * 1024];
        Arrays.fill(repetitive, (byte) 'a');
        messages.add(repetitive);
        for (int seq = 1; seq <= 200; seq++) {
            messages.add(dispatch(random, seq));
        }
        messages.add(new byte[0]);
        messages.add(randomBytes(random, 1));
        messages.add(randomBytes(random, 70_000));
        messages.add(dispatch(random, 201));
        return messages;
    }

    static byte[] dispatch(Random random, int seq) {
        String json = "{\"op\":0,\"s\":" + seq + ",\"t\":\"MESSAGE_CREATE\",\"d\":{\"id\":\""
                + (1_300_000_000_000_000_000L + random.nextInt(1_000_000)) + "\",\"channel_id\":\"1200000000000000017\","
                + "\"author\":{\"id\":\"" + (1_100_000_000_000_000_000L + random.nextInt(500)) + "\",\"username\":\"user"
                + random.nextInt(500) + "\",\"bot\":false},\"content\":\"message number " + seq + " says "
                + Long.toHexString(random.nextLong()) + "\",\"mentions\":[],\"embeds\":[],\"tts\":false}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(List<byte[]> parts) {
        int total = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static long totalLength(List<byte[]> parts) {
        return parts.stream().mapToLong(p -> p.length).sum();
    }
}
