package dev.gatehouse.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.rest.RestClient;
import dev.gatehouse.rpc.agent.ConsoleApprover;
import dev.gatehouse.rpc.agent.RpcAgent;
import dev.gatehouse.rpc.agent.RpcConfig;
import dev.gatehouse.rpc.session.RpcConnection;
import dev.gatehouse.rpc.transport.IpcServer;
import dev.gatehouse.rpc.transport.WsServer;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse rpc}: the local RPC server for a person's programs. It logs in as the person
 * (a token from {@code GATEHOUSE_TOKEN} or a file, or a login and password), keeps their gateway
 * session, and serves Discord's RPC protocol on {@code discord-ipc-N} and {@code ws://127.0.0.1:6463}
 * until stopped.
 */
@Command(name = "gatehouse rpc", mixinStandardHelpOptions = true, version = "gatehouse rpc 0.1.0",
        description = "Runs the local RPC server next to your programs, logged in to a Gatehouse server as you.")
public final class RpcCommand implements Callable<Integer> {

    @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", description = "The server, http(s)://host:port (default ${DEFAULT-VALUE}).")
    URI server;

    @Option(names = "--token-file", description = "A file holding your token (else GATEHOUSE_TOKEN, else --login).")
    Path tokenFile;

    @Option(names = "--login", description = "Log in with this username or email; the password is asked for, or read from --password-file.")
    String login;

    @Option(names = "--password-file", description = "A file holding the password for --login.")
    Path passwordFile;

    @Option(names = "--allow", split = ",", description = "Application ids approved without asking, for any scope and origin (repeatable).")
    List<Long> allow = List.of();

    @Option(names = "--ipc-dir", description = "Where discord-ipc-N goes (default: $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp).")
    Path ipcDir;

    @Option(names = "--no-ipc", description = "Do not serve the IPC socket.")
    boolean noIpc;

    @Option(names = "--ws-port", defaultValue = "" + WsServer.DEFAULT_BASE_PORT, description = "First WebSocket port of ten to try (default ${DEFAULT-VALUE}).")
    int wsPort;

    @Option(names = "--no-ws", description = "Do not serve the WebSocket.")
    boolean noWs;

    @Option(names = "--ca-file", description = "A PEM certificate to trust for the server's TLS (a self-signed server's data/tls/gatehouse-dev.crt).")
    Path caFile;

    @Option(names = "--no-prompt", description = "Never ask in the terminal: approve the --allow list only.")
    boolean noPrompt;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RpcCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (caFile != null) {
            trustOnly(caFile);
        }
        String token = token();
        Path dir = noIpc ? null : ipcDir != null ? ipcDir : IpcServer.defaultDirectory(System.getenv());
        RpcConfig config = new RpcConfig(server, token, dir, "127.0.0.1", noWs ? -1 : wsPort, RpcConnection.Limits.DEFAULT);
        Console console = System.console();
        BufferedReader terminal = noPrompt || console == null ? null
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (ConsoleApprover approver = new ConsoleApprover(new LinkedHashSet<>(allow), terminal, System.out, ConsoleApprover.PATIENCE);
                RpcAgent agent = RpcAgent.start(config, approver)) {
            agent.ipcPath().ifPresent(p -> System.out.println("gatehouse rpc: IPC on " + p));
            if (agent.wsPort() > 0) {
                System.out.println("gatehouse rpc: WebSocket on ws://127.0.0.1:" + agent.wsPort() + " (metrics at /metrics)");
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                agent.close();
            }, "rpc-shutdown"));
            agent.stopped().thenAccept(code -> stop.countDown());
            stop.await();
            if (agent.stopped().isDone()) {
                System.err.println("gatehouse rpc: the server ended your session (close code " + agent.stopped().join()
                        + "); log in again");
                return 1;
            }
        }
        return 0;
    }

    /**
     * Makes {@code pem} the JVM's trust store before any TLS client exists, so the HTTP client, the
     * gateway session and the voice connection all trust a server whose certificate it is.
     */
    static void trustOnly(Path pem) throws Exception {
        java.security.cert.Certificate cert;
        try (var in = Files.newInputStream(pem)) {
            cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("gatehouse-server", cert);
        Path file = Files.createTempFile("gatehouse-rpc-trust", ".p12");
        file.toFile().deleteOnExit();
        char[] password = "gatehouse".toCharArray();
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        System.setProperty("javax.net.ssl.trustStore", file.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", new String(password));
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    private String token() throws Exception {
        if (tokenFile != null) {
            return Files.readString(tokenFile).strip();
        }
        String env = System.getenv("GATEHOUSE_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        if (login == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give GATEHOUSE_TOKEN, --token-file or --login");
        }
        String password;
        if (passwordFile != null) {
            password = Files.readString(passwordFile).strip();
        } else if (System.console() != null) {
            password = new String(System.console().readPassword("Password for %s: ", login));
        } else {
            throw new CommandLine.ParameterException(new CommandLine(this), "--login needs a terminal or --password-file");
        }
        URI api = new RpcConfig(server, null, null, null, -1, null).apiBase();
        RestClient.Response r = RestClient.create(api, "").request("POST", "/auth/login", Map.of("login", login, "password", password)).join();
        JsonNode body = r.body();
        if (!r.ok() || body == null || !body.path("token").isTextual()) {
            throw new IllegalStateException("login failed: " + r.status());
        }
        return body.get("token").asText();
    }
}
