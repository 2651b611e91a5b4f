package dev.gatehouse.bench.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.bench.Options;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.protocol.voice.SelectProtocol;
import dev.gatehouse.protocol.voice.VoiceFrame;
import dev.gatehouse.protocol.voice.VoiceHeartbeat;
import dev.gatehouse.protocol.voice.VoiceIdentify;
import dev.gatehouse.protocol.voice.VoiceOpcode;
import dev.gatehouse.voice.crypto.EncryptionMode;
import dev.gatehouse.voice.crypto.TransportCipher;
import dev.gatehouse.voice.udp.IpDiscovery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * One voice load process: its share of the members (whole channels), each with a UDP socket of its
 * own and, against Gatehouse, a voice WebSocket (Identify, Ready, IP discovery, Select Protocol).
 * On {@code START} its speakers send an AES-GCM Opus-sized packet every 20 ms, spread over the
 * period; every member counts what it receives from each speaker of its channel (duplicates by
 * RTP sequence) and the latency from send to receipt, read from the RTP timestamp, which carries
 * the send time in microseconds of the shared monotonic clock. One packet in 50 is decrypted to
 * check that it was sealed for the receiver. Talks to {@link VoiceLoad} over stdin/stdout.
 */
public final class VoiceLoadWorker {

    static final int PAYLOAD = 80; // about 32 kbit/s Opus in 20 ms frames

    /** One member: its socket, key, and what it heard. */
    static final class Member {
        final int channel;
        final boolean speaker;
        final DatagramChannel udp;
        long ssrc;
        InetSocketAddress relay;
        TransportCipher sealing;
        TransportCipher opening;
        WebSocket ws;
        /** What its voice WebSocket said, for a connection that does not come up. */
        final List<Integer> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        int seq;
        long sent;
        long received;
        long duplicates;
        long verifyFailures;
        /** The RTP sequence numbers received from each sender (a channel has few). */
        long[] senders = new long[0];
        BitSet[] seen = new BitSet[0];

        BitSet seenFrom(long ssrc) {
            for (int i = 0; i < senders.length; i++) {
                if (senders[i] == ssrc) {
                    return seen[i];
                }
            }
            senders = java.util.Arrays.copyOf(senders, senders.length + 1);
            seen = java.util.Arrays.copyOf(seen, seen.length + 1);
            senders[senders.length - 1] = ssrc;
            return seen[seen.length - 1] = new BitSet();
        }

        Member(int channel, boolean speaker) throws IOException {
            this.channel = channel;
            this.speaker = speaker;
            this.udp = DatagramChannel.open();
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            udp.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        }

        /**
         * One text message; the JDK's WebSocket refuses a send while another is pending, so
         * heartbeats and the handshake's messages take turns.
         */
        synchronized void send(String text) {
            ws.sendText(text, true).join();
        }

        /** A new round: counts start over (sequence numbers go on). */
        void reset() {
            sent = 0;
            received = 0;
            duplicates = 0;
            verifyFailures = 0;
            senders = new long[0];
            seen = new BitSet[0];
        }

        void keys(byte[] key) {
            sealing = EncryptionMode.AEAD_AES256_GCM_RTPSIZE.cipher(key);
            opening = EncryptionMode.AEAD_AES256_GCM_RTPSIZE.cipher(key);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
        }
        System.exit(0); // the heartbeat timer and the HTTP client's threads would keep a failed worker alive
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> opts = Options.parse(args, Map.of("grants", "", "cert", "", "relay", ""));
        List<String> lines = Files.readAllLines(Path.of(opts.get("grants")));
        boolean bare = !opts.get("relay").isEmpty();
        List<Member> members = new ArrayList<>();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = bare ? null : HttpClient.newBuilder().sslContext(trust(Path.of(opts.get("cert"))))
                .connectTimeout(java.time.Duration.ofSeconds(30)).build();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            Member m = new Member(Integer.parseInt(f[0]), f[2].equals("1"));
            members.add(m);
            if (bare) {
                m.ssrc = Long.parseLong(f[3]);
                String[] hp = opts.get("relay").split(":");
                m.relay = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
                m.keys(BenchLayout.key(m.ssrc));
                // the bare relay binds an SSRC to the address of its first packet: one that fails authentication
                ByteBuffer bind = ByteBuffer.allocate(40).put((byte) 0x80).put((byte) 0x78).putShort((short) 0).putInt(0)
                        .putInt((int) m.ssrc);
                m.udp.send(bind.flip(), m.relay);
            } else {
                ready.add(connect(http, m, f[3], Long.parseLong(f[4]), Long.parseLong(f[5]), f[6], f[7], heartbeats));
            }
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.TimeoutException e) {
            long waiting = ready.stream().filter(f -> !f.isDone()).count();
            throw new IllegalStateException(waiting + " of " + ready.size() + " voice connections not ready after 2 minutes: "
                    + members.stream().filter(m -> m.ws != null && m.sealing == null).limit(3)
                            .map(m -> "channel " + m.channel + " ssrc " + m.ssrc + " heard " + m.log).toList());
        }
        System.out.println("CONNECTED " + members.size());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null && command.startsWith("START ");) {
            int seconds = Integer.parseInt(command.split(" ")[1]);
            members.forEach(Member::reset);
            Histogram latency = new Histogram(60_000_000L, 3);
            AtomicBoolean receiving = new AtomicBoolean(true);
            Thread receiver = Thread.ofPlatform().name("receive").start(() -> receive(members, latency, receiving));
            send(members, seconds);
            Thread.sleep(2_000); // the last packets drain
            receiving.set(false);
            receiver.join();
            System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result(members, latency)));
            System.out.flush();
        }
        heartbeats.shutdownNow();
    }

    private static Map<String, Object> result(List<Member> members, Histogram latency) {
        Map<Integer, long[]> perChannel = new HashMap<>(); // sent by speakers, listeners, received
        long duplicates = 0;
        long verifyFailures = 0;
        for (Member m : members) {
            long[] c = perChannel.computeIfAbsent(m.channel, k -> new long[3]);
            c[0] += m.sent;
            c[1]++;
            c[2] += m.received;
            duplicates += m.duplicates;
            verifyFailures += m.verifyFailures;
        }
        long expected = 0;
        long received = 0;
        long sent = 0;
        for (long[] c : perChannel.values()) {
            sent += c[0];
            expected += c[0] * (c[1] - 1);
            received += c[2];
        }
        ByteBuffer h = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        latency.encodeIntoCompressedByteBuffer(h);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent);
        r.put("expected", expected);
        r.put("received", received);
        r.put("duplicates", duplicates);
        r.put("verify_failures", verifyFailures);
        r.put("latency", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(h.array(), h.position())));
        return r;
    }

    /** Hello, Identify, Ready, discovery, Select Protocol, Session Description; then heartbeats. */
    private static CompletableFuture<Void> connect(HttpClient http, Member m, String endpoint, long guild, long user,
            String sessionId, String token, ScheduledExecutorService heartbeats) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        handle(ws, Json.mapper().readTree(text.toString()));
                    } catch (Exception e) {
                        done.completeExceptionally(e);
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            private void handle(WebSocket ws, JsonNode msg) throws IOException {
                m.log.add(msg.get("op").asInt());
                switch (msg.get("op").asInt()) {
                    case 2 -> {
                        m.ssrc = msg.at("/d/ssrc").asLong();
                        m.relay = new InetSocketAddress(msg.at("/d/ip").asText(), msg.at("/d/port").asInt());
                        m.udp.send(ByteBuffer.wrap(IpDiscovery.request(m.ssrc)), m.relay);
                        byte[] a = new byte[IpDiscovery.LENGTH];
                        m.udp.socket().setSoTimeout(5_000);
                        m.udp.socket().receive(new java.net.DatagramPacket(a, a.length));
                        m.send(new VoiceFrame(VoiceOpcode.SELECT_PROTOCOL, new SelectProtocol("udp",
                                IpDiscovery.address(a), IpDiscovery.port(a), EncryptionMode.AEAD_AES256_GCM_RTPSIZE.wireName())
                                .data()).toJson());
                    }
                    case 4 -> {
                        byte[] key = new byte[32];
                        for (int i = 0; i < 32; i++) {
                            key[i] = (byte) msg.at("/d/secret_key/" + i).asInt();
                        }
                        m.keys(key);
                        done.complete(null);
                    }
                    default -> { }
                }
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                done.completeExceptionally(new IllegalStateException("voice closed " + status + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                done.completeExceptionally(error);
            }
        };
        http.newWebSocketBuilder().buildAsync(URI.create("wss://" + endpoint + "/?v=8"), listener).thenAccept(ws -> {
            m.ws = ws;
            m.send(new VoiceFrame(VoiceOpcode.IDENTIFY, new VoiceIdentify(guild, user, sessionId, token, 0).data()).toJson());
            heartbeats.scheduleAtFixedRate(() -> m.send(new VoiceFrame(VoiceOpcode.HEARTBEAT,
                    VoiceHeartbeat.v8(System.currentTimeMillis(), -1).d()).toJson()), 10, 10, TimeUnit.SECONDS);
        }).exceptionally(e -> {
            done.completeExceptionally(e);
            return null;
        });
        return done;
    }

    /** Each speaker sends every 20 ms, speakers spread evenly over the period. */
    private static void send(List<Member> members, int seconds) throws IOException {
        List<Member> speakers = members.stream().filter(m -> m.speaker).toList();
        if (speakers.isEmpty()) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            return;
        }
        long period = 20_000_000L;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        byte[] opus = new byte[PAYLOAD];
        for (long tick = start; tick < end; tick += period) {
            for (int i = 0; i < speakers.size(); i++) {
                long due = tick + period * i / speakers.size();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Member s = speakers.get(i);
                int micros = (int) (System.nanoTime() / 1_000);
                byte[] header = ByteBuffer.allocate(12).put((byte) 0x80).put((byte) 0x78).putShort((short) s.seq++)
                        .putInt(micros).putInt((int) s.ssrc).array();
                opus[0] = (byte) s.seq;
                s.udp.send(ByteBuffer.wrap(s.sealing.seal(header, 12, opus)), s.relay);
                s.sent++;
            }
        }
    }

    private static void receive(List<Member> members, Histogram latency, AtomicBoolean running) {
        try (Selector selector = Selector.open()) {
            for (Member m : members) {
                m.udp.configureBlocking(false);
                m.udp.register(selector, SelectionKey.OP_READ, m);
            }
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            while (running.get()) {
                selector.select(100);
                if (selector.selectedKeys().isEmpty()) {
                    continue;
                }
                // one datagram per ready socket and pass: epoll reports a socket again while it
                // holds more, and a second receive would mostly be a wasted syscall
                for (SelectionKey key : selector.selectedKeys()) {
                    Member m = (Member) key.attachment();
                    buffer.clear();
                    if (m.udp.receive(buffer) != null) {
                        count(m, buffer, latency);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void count(Member m, ByteBuffer packet, Histogram latency) {
        int len = packet.position();
        if (len < 12) {
            return;
        }
        long ssrc = packet.getInt(8) & 0xFFFF_FFFFL;
        int seq = packet.getShort(2) & 0xFFFF;
        long micros = ((int) (System.nanoTime() / 1_000) - packet.getInt(4)) & 0xFFFF_FFFFL;
        BitSet seen = m.seenFrom(ssrc);
        if (seen.get(seq)) {
            m.duplicates++;
            return;
        }
        seen.set(seq);
        m.received++;
        latency.recordValue(Math.min(micros, 59_000_000L));
        if (m.received % 50 == 0 && m.opening.open(packet.array(), len, 12) == null) {
            m.verifyFailures++;
        }
    }

    private static SSLContext trust(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            store.setCertificateEntry("gatehouse", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
