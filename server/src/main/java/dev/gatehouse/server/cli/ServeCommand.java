package dev.gatehouse.server.cli;

import dev.gatehouse.server.ClusterConfig;
import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.ServerConfig;
import dev.gatehouse.server.VoiceSettings;
import dev.gatehouse.server.tls.TlsConfig;
import dev.gatehouse.voice.crypto.EncryptionMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gatehouse serve}: runs a node until SIGTERM/SIGINT, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server: HTTP API, gateway and voice gateway on one port, again over TLS on a second, voice media on UDP.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:GATEHOUSE_HOST:-0.0.0.0}", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:GATEHOUSE_PORT:-8080}", description = "Port for the API and the gateway (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--public-url", defaultValue = "${env:GATEHOUSE_PUBLIC_URL}",
            description = "Base URL clients reach this server at, e.g. https://chat.example.org (env GATEHOUSE_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--no-rate-limits", description = "Disable the HTTP rate limits (load testing only).")
    boolean noRateLimits;

    @Option(names = "--no-identify-limits", description = "Disable the gateway's identify concurrency and daily session-start limits (load testing only).")
    boolean noIdentifyLimits;

    @Option(names = "--worker-id", defaultValue = "${env:GATEHOUSE_WORKER_ID:-0}", description = "Snowflake worker id of this node, 0..31 (default: ${DEFAULT-VALUE}).")
    int workerId;

    @Option(names = "--tls-port", defaultValue = "${env:GATEHOUSE_TLS_PORT:-8443}",
            description = "Port for HTTPS and WSS: the API, the gateway and the voice gateway (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--tls-cert", defaultValue = "${env:GATEHOUSE_TLS_CERT}",
            description = "PEM certificate chain for TLS (env GATEHOUSE_TLS_CERT). Without it, a self-signed certificate is made under --data-dir/tls.")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:GATEHOUSE_TLS_KEY}", description = "PEM private key of --tls-cert (env GATEHOUSE_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--no-tls", description = "Serve no TLS port (voice clients then cannot connect: they require wss).")
    boolean noTls;

    @Option(names = "--voice-udp-port", defaultValue = "${env:GATEHOUSE_VOICE_UDP_PORT:-50000}",
            description = "UDP port of the voice media relay (default: ${DEFAULT-VALUE}).")
    int voiceUdpPort;

    @Option(names = "--voice-host", defaultValue = "${env:GATEHOUSE_VOICE_HOST}",
            description = "Host name voice clients reach this node by (env GATEHOUSE_VOICE_HOST). Default: the public URL's host, else localhost.")
    String voiceHost;

    @Option(names = "--voice-modes", split = ",", defaultValue = "${env:GATEHOUSE_VOICE_MODES:-aead_aes256_gcm_rtpsize,aead_xchacha20_poly1305_rtpsize}",
            description = "Encryption modes the voice gateway offers, in order of preference (default: ${DEFAULT-VALUE}).")
    List<String> voiceModes;

    @Option(names = "--no-voice", description = "Serve no voice: VOICE_SERVER_UPDATE then carries no endpoint.")
    boolean noVoice;

    @Option(names = "--cluster", defaultValue = "${env:GATEHOUSE_CLUSTER}",
            description = "Run as a node of a cluster: the NATS server (JetStream on) the nodes share, e.g. nats://10.0.0.5:4222 (env GATEHOUSE_CLUSTER). "
                    + "The worker id is then leased, not --worker-id; the database must be shared (PostgreSQL).")
    String cluster;

    @Option(names = "--role", defaultValue = "${env:GATEHOUSE_ROLE:-all}",
            description = "With --cluster: what this node serves: api, gateway (with voice) or all (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--redis", defaultValue = "${env:GATEHOUSE_REDIS}",
            description = "With --cluster: the Redis the nodes count their limits in, e.g. redis://10.0.0.5:6379 (env GATEHOUSE_REDIS). "
                    + "Without it each node counts its own.")
    String redis;

    @Option(names = "--cluster-name", defaultValue = "${env:GATEHOUSE_CLUSTER_NAME:-gatehouse}",
            description = "With --cluster and --redis: the cluster's name, which keeps its counters in Redis apart from another cluster's (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--node-name", defaultValue = "${env:GATEHOUSE_NODE_NAME}",
            description = "With --cluster: this node's name in the cluster, letters, digits, - and _ (env GATEHOUSE_NODE_NAME; default: host name and port).")
    String nodeName;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    private ClusterConfig clusterConfig() {
        if (cluster == null || cluster.isBlank()) {
            return null;
        }
        ClusterConfig.Role parsed;
        try {
            parsed = ClusterConfig.Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--role is api, gateway or all, not " + role);
        }
        String name = nodeName != null && !nodeName.isBlank() ? nodeName : defaultNodeName();
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ParameterException(spec.commandLine(), "--node-name is 1 to 64 letters, digits, - or _");
        }
        if (!clusterName.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ParameterException(spec.commandLine(), "--cluster-name is 1 to 64 letters, digits, - or _");
        }
        return new ClusterConfig(cluster.trim(), name, parsed, redis == null || redis.isBlank() ? null : redis.trim(), clusterName);
    }

    /** The host's name and the port, which together tell nodes apart on one machine and across machines. */
    private String defaultNodeName() {
        String hostName;
        try {
            hostName = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            hostName = "node";
        }
        String clean = hostName.replaceAll("[^A-Za-z0-9_-]", "-");
        return (clean.length() > 50 ? clean.substring(0, 50) : clean) + "-" + port;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig defaults = ServerConfig.defaults(database.toConfig());
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        TlsConfig tls = noTls ? null : tlsCert != null ? TlsConfig.pem(tlsPort, tlsCert, tlsKey)
                : TlsConfig.selfSigned(tlsPort, Path.of(database.dataDir, "tls"));
        List<EncryptionMode> modes = new ArrayList<>();
        for (String name : voiceModes) {
            EncryptionMode mode = EncryptionMode.of(name.trim());
            if (mode == null) {
                throw new ParameterException(spec.commandLine(), "unknown voice encryption mode " + name);
            }
            modes.add(mode);
        }
        VoiceSettings voice = noVoice ? VoiceSettings.off()
                : new VoiceSettings(true, voiceUdpPort, voiceHost, VoiceSettings.defaults().config().withModes(modes));
        ServerConfig config = new ServerConfig(host, port, publicUrl, defaults.database(), defaults.maxBodyBytes(),
                !noRateLimits, defaults.limits(), workerId, defaults.gateway().withIdentifyLimits(!noIdentifyLimits), tls, voice,
                clusterConfig());
        GatehouseServer server = GatehouseServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Gatehouse is listening on " + server.baseUrl() + " (API " + server.baseUrl() + "/api/v10)");
        if (server.tls() != null) {
            System.out.println("TLS on " + server.secureBaseUrl() + (server.tls().selfSigned()
                    ? ", with a self-signed certificate: " + server.tls().certificate().toAbsolutePath()
                            + " (trust it in clients, e.g. NODE_EXTRA_CA_CERTS=<that file> for Node.js)"
                    : ""));
        }
        if (server.voice() != null) {
            System.out.println("Voice gateway at " + server.voiceEndpoint() + ", media relay on UDP port "
                    + server.voice().udpPort());
        }
        stopped.await();
        return 0;
    }
}
